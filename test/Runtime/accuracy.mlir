// Accuracy of the polynomial f32 erf/tanh/exp/log over [-12, 12] against
// float64 numpy: relative error 2e-6 (log: absolute 3e-7 near log(1) = 0, where the f32 rounding of its argument dominates).
// RUN: %python -c "import numpy as np; np.savez('%t.in.npz', x=np.linspace(-12, 12, 24001, dtype=np.float32))"
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/reference.py accuracy %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 2e-6 --atol 3e-7 | FileCheck %s
// CHECK-DAG: erf: ok
// CHECK-DAG: tanh: ok
// CHECK-DAG: exp: ok
// CHECK-DAG: log: ok

#id = affine_map<(d0) -> (d0)>

func.func @forward(%x: tensor<24001xf32> {zo.name = "x"})
    -> (tensor<24001xf32> {zo.name = "erf"}, tensor<24001xf32> {zo.name = "tanh"},
        tensor<24001xf32> {zo.name = "exp"}, tensor<24001xf32> {zo.name = "log"}) {
  %e = tensor.empty() : tensor<24001xf32>
  %eps = arith.constant 1.0e-3 : f32
  %r:4 = linalg.generic {indexing_maps = [#id, #id, #id, #id, #id], iterator_types = ["parallel"]}
         ins(%x : tensor<24001xf32>) outs(%e, %e, %e, %e : tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>) {
  ^bb0(%a: f32, %o0: f32, %o1: f32, %o2: f32, %o3: f32):
    %erf = math.erf %a : f32
    %tanh = math.tanh %a : f32
    %exp = math.exp %a : f32
    %abs = math.absf %a : f32
    %p = arith.addf %abs, %eps : f32
    %log = math.log %p : f32
    linalg.yield %erf, %tanh, %exp, %log : f32, f32, f32, f32
  } -> (tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>)
  return %r#0, %r#1, %r#2, %r#3 : tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>, tensor<24001xf32>
}
