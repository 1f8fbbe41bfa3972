// A fused elementwise chain with erf, tanh, exp and log (polynomial
// approximations on the CPU), compared with float64 numpy.
// RUN: %python %testlib/make_npz.py %t.in.npz x:f32:64x33
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/reference.py chain %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-5 --atol 1e-6 | FileCheck %s
// CHECK: y: ok

#id = affine_map<(d0, d1) -> (d0, d1)>

// y = gelu(x) + tanh(x) exp(-x^2) + log(1 + x^2), as separate generics that
// elementwise fusion merges into one loop nest.
func.func @forward(%x: tensor<64x33xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<64x33xf32> {zo.name = "y"}) {
  %e = tensor.empty() : tensor<64x33xf32>
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %rsqrt2 = arith.constant 0.70710678118654752 : f32
  %gelu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<64x33xf32>) outs(%e : tensor<64x33xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %rsqrt2 : f32
    %r = math.erf %s : f32
    %p = arith.addf %r, %one : f32
    %h = arith.mulf %a, %half : f32
    %g = arith.mulf %h, %p : f32
    linalg.yield %g : f32
  } -> tensor<64x33xf32>
  %bump = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<64x33xf32>) outs(%e : tensor<64x33xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    %sq = arith.mulf %a, %a : f32
    %n = arith.negf %sq : f32
    %ex = math.exp %n : f32
    %m = arith.mulf %t, %ex : f32
    linalg.yield %m : f32
  } -> tensor<64x33xf32>
  %lg = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<64x33xf32>) outs(%e : tensor<64x33xf32>) {
  ^bb0(%a: f32, %o: f32):
    %sq = arith.mulf %a, %a : f32
    %p = arith.addf %sq, %one : f32
    %l = math.log %p : f32
    linalg.yield %l : f32
  } -> tensor<64x33xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
         ins(%gelu, %bump, %lg : tensor<64x33xf32>, tensor<64x33xf32>, tensor<64x33xf32>)
         outs(%e : tensor<64x33xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.addf %s, %c : f32
    linalg.yield %t : f32
  } -> tensor<64x33xf32>
  return %sum : tensor<64x33xf32>
}
