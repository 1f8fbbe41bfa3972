// Matmuls through BLAS: zero-initialized (beta = 0), accumulating into a
// broadcast bias (beta = 1) and with a transposed-A indexing map.
// RUN: %python %testlib/make_npz.py %t.in.npz a:f32:16x32 a_t:f32:32x16
// RUN: %python %testlib/make_npz.py %t.params.npz b:f32:32x24 bias:f32:24 --seed 1 --compressed
// RUN: zo-run %s --entry forward --inputs %t.in.npz --params %t.params.npz --outputs %t.y.npz
// RUN: zo-run %s --entry biased --inputs %t.in.npz --params %t.params.npz --outputs %t.z.npz
// RUN: zo-run %s --entry transposed --inputs %t.in.npz --params %t.params.npz --outputs %t.t.npz
// RUN: %python -c "import numpy as np; d = {**np.load('%t.y.npz'), **np.load('%t.z.npz'), **np.load('%t.t.npz')}; np.savez('%t.out.npz', **d)"
// RUN: %python %S/Inputs/reference.py matmul %t.ref.npz %t.in.npz %t.params.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-5 --atol 1e-5 | FileCheck %s
// CHECK-DAG: y: ok
// CHECK-DAG: z: ok
// CHECK-DAG: t: ok

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

func.func @forward(%a: tensor<16x32xf32> {zo.name = "a", zo.role = "input"},
                   %b: tensor<32x24xf32> {zo.name = "b", zo.role = "param"})
    -> (tensor<16x24xf32> {zo.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x24xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x24xf32>) -> tensor<16x24xf32>
  %m = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x24xf32>)
                     outs(%f : tensor<16x24xf32>) -> tensor<16x24xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%m : tensor<16x24xf32>) outs(%e : tensor<16x24xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  } -> tensor<16x24xf32>
  return %y : tensor<16x24xf32>
}

func.func @biased(%a: tensor<16x32xf32> {zo.name = "a", zo.role = "input"},
                  %b: tensor<32x24xf32> {zo.name = "b", zo.role = "param"},
                  %bias: tensor<24xf32> {zo.name = "bias", zo.role = "param"})
    -> (tensor<16x24xf32> {zo.name = "z"}) {
  %e = tensor.empty() : tensor<16x24xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
          ins(%bias : tensor<24xf32>) outs(%e : tensor<16x24xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<16x24xf32>
  %z = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x24xf32>)
                     outs(%init : tensor<16x24xf32>) -> tensor<16x24xf32>
  return %z : tensor<16x24xf32>
}

func.func @transposed(%at: tensor<32x16xf32> {zo.name = "a_t", zo.role = "input"},
                      %b: tensor<32x24xf32> {zo.name = "b", zo.role = "param"})
    -> (tensor<16x24xf32> {zo.name = "t"}) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x24xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x24xf32>) -> tensor<16x24xf32>
  %t = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                      affine_map<(m, n, k) -> (k, n)>,
                                      affine_map<(m, n, k) -> (m, n)>]
       ins(%at, %b : tensor<32x16xf32>, tensor<32x24xf32>)
       outs(%f : tensor<16x24xf32>) -> tensor<16x24xf32>
  return %t : tensor<16x24xf32>
}
