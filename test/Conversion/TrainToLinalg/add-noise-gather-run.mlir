// A gather of 4 rows from a perturbed 16x32 table (an embedding lookup in a
// ZO step): zo-fuse-elementwise recomputes the noise at the rows read instead
// of perturbing the whole table (test/Runtime/fuse-into-extract.mlir), which
// must give the same values as python/zo/philox.py.
// RUN: %python %S/Inputs/noise_ref.py inputs %t.in.npz
// RUN: zo-opt %s --convert-train-to-linalg -o %t.mlir
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/noise_ref.py gather %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-6 --atol 1e-8 | FileCheck %s
// RUN: zo-opt %s --convert-train-to-linalg --zo-fuse-elementwise | FileCheck %s --check-prefix=IR
// CHECK: y: ok
// IR-LABEL: func.func @forward
// IR-NOT:     -> tensor<8x4x16xf32>
// IR:         linalg.generic
// IR-SAME:      outs(%{{.*}} : tensor<4x32xf32>)
// IR:         tensor.extract %{{.*}} : tensor<8x4x16xf32>
// IR:         arith.mului_extended
// IR:         linalg.yield
// IR-NOT:     linalg.generic

#row = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @forward(%sb: tensor<i64> {zo.name = "seed_b", zo.role = "input"},
                   %x0: tensor<16x32xf32> {zo.name = "x0", zo.role = "input"},
                   %alpha: tensor<f32> {zo.name = "alpha", zo.role = "input"},
                   %ids: tensor<4xi64> {zo.name = "ids", zo.role = "input"})
    -> (tensor<4x32xf32> {zo.name = "y"}) {
  %t = train.add_noise %x0, %sb, %alpha {param_id = 3 : i64} : tensor<16x32xf32>, tensor<i64>, tensor<f32>
  %e = tensor.empty() : tensor<4x32xf32>
  %y = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<4xi64>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%i: i64, %o: f32):
    %r = arith.index_cast %i : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %t[%r, %c] : tensor<16x32xf32>
    linalg.yield %v : f32
  } -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}
