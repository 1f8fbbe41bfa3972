// batch_matmul through BLAS: attention scores q k^T (transposed-B indexing
// map) and a plain q v.
// RUN: %python %testlib/make_npz.py %t.in.npz q:f32:3x8x16 k:f32:3x10x16 v:f32:3x16x12
// RUN: zo-run %s --entry forward --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/reference.py batch %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-5 --atol 1e-5 | FileCheck %s
// CHECK-DAG: scores: ok
// CHECK-DAG: ctx: ok

func.func @forward(%q: tensor<3x8x16xf32> {zo.name = "q", zo.role = "input"},
                   %k: tensor<3x10x16xf32> {zo.name = "k", zo.role = "input"},
                   %v: tensor<3x16x12xf32> {zo.name = "v", zo.role = "input"})
    -> (tensor<3x8x10xf32> {zo.name = "scores"}, tensor<3x8x12xf32> {zo.name = "ctx"}) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x8x10xf32>) -> tensor<3x8x10xf32>
  %s = linalg.batch_matmul
       indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                        affine_map<(b, m, n, k) -> (b, n, k)>,
                        affine_map<(b, m, n, k) -> (b, m, n)>]
       ins(%q, %k : tensor<3x8x16xf32>, tensor<3x10x16xf32>)
       outs(%f : tensor<3x8x10xf32>) -> tensor<3x8x10xf32>
  %e2 = tensor.empty() : tensor<3x8x12xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x8x12xf32>) -> tensor<3x8x12xf32>
  %c = linalg.batch_matmul ins(%q, %v : tensor<3x8x16xf32>, tensor<3x16x12xf32>)
       outs(%f2 : tensor<3x8x12xf32>) -> tensor<3x8x12xf32>
  return %s, %c : tensor<3x8x10xf32>, tensor<3x8x12xf32>
}
