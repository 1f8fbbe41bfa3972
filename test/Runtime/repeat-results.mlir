// zo-run --repeat reuses one set of result buffers across calls (the calls
// write them again; nothing is accumulated): three calls give numpy's
// x * x, for a result written straight into its out-param through a
// reshape (result-in-out-param.mlir) and a 0-d result.
// RUN: %python %testlib/make_npz.py %t.in.npz x:f32:64
// RUN: zo-run %s --inputs %t.in.npz --repeat 3 --outputs %t.out.npz | FileCheck %s --check-prefix=TIME
// RUN: %python -c "import numpy as np; x = np.load('%t.in.npz')['x']; np.savez('%t.ref.npz', y=x * x, s=np.float32((x * x).sum()))"
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-6 --atol 0 | FileCheck %s
// TIME: time: {{.*}} ms per call
// CHECK-DAG: y: ok
// CHECK-DAG: s: ok
#id = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1) -> ()>
func.func @forward(%x: tensor<64xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<64xf32> {zo.name = "y"}, tensor<f32> {zo.name = "s"}) {
  %v = tensor.expand_shape %x [[0, 1]] output_shape [4, 16] : tensor<64xf32> into tensor<4x16xf32>
  %e = tensor.empty() : tensor<4x16xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%v : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["reduction", "reduction"]}
       ins(%g : tensor<4x16xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %o, %a : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  %y = tensor.collapse_shape %g [[0, 1]] : tensor<4x16xf32> into tensor<64xf32>
  return %y, %sum : tensor<64xf32>, tensor<f32>
}
