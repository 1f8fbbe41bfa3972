// f64 GEMM through BLAS (dgemm): transposed B and accumulation into an
// input-provided C (beta = 1; the read-only input is copied first).
// RUN: %python %testlib/make_npz.py %t.in.npz a:f64:7x5 bt:f64:9x5 c:f64:7x9
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python -c "import numpy as np; i = np.load('%t.in.npz'); np.savez('%t.ref.npz', y=i['a'] @ i['bt'].T + i['c'])"
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-12 --atol 1e-12 | FileCheck %s
// RUN: zo-opt --zo-cpu-lowering %s | FileCheck %s --check-prefix=IR
// CHECK: y: ok
// IR: llvm.call @_mlir_ciface_zo_rt_dgemm(

func.func @forward(%a: tensor<7x5xf64> {zo.name = "a", zo.role = "input"},
                   %bt: tensor<9x5xf64> {zo.name = "bt", zo.role = "input"},
                   %c: tensor<7x9xf64> {zo.name = "c", zo.role = "input"})
    -> (tensor<7x9xf64> {zo.name = "y"}) {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
       ins(%a, %bt : tensor<7x5xf64>, tensor<9x5xf64>)
       outs(%c : tensor<7x9xf64>) -> tensor<7x9xf64>
  return %y : tensor<7x9xf64>
}
