// graph.scatter_add, run: the CPU pipeline's result and the CUDA pipeline's
// loop nest (zo-cuda-lowering stop-at=loops, run on the CPU) both equal
// np.add.at in float32 bit for bit (Inputs/scatter_add_ref.py): each table
// element adds its index positions' values in order, on both targets.
// Repeated and negative indices accumulate; out-of-range ones (7 and -8
// for 7 rows) are skipped; the second case scatters into a zero table
// along a middle axis with i32 indices.
// RUN: %python %S/Inputs/scatter_add_ref.py inputs %t.in.npz
// RUN: %python %S/Inputs/scatter_add_ref.py reference %t.in.npz %t.ref.npz
// RUN: zo-opt %s --convert-graph-to-linalg -o %t.linalg.mlir
// RUN: zo-run %t.linalg.mlir --entry scatter --inputs %t.in.npz --outputs %t.cpu.npz --manifest %t.manifest.json
// RUN: %python %testlib/npz_compare.py %t.cpu.npz %t.ref.npz --exact | FileCheck %s
// RUN: zo-opt %t.linalg.mlir --zo-cuda-lowering="stop-at=loops" | zo-opt --zo-cuda-loops-on-cpu -o %t.loops.mlir
// RUN: zo-run %t.loops.mlir --signatures %t.manifest.json --entry scatter --inputs %t.in.npz --outputs %t.loops.npz
// RUN: %python %testlib/npz_compare.py %t.loops.npz %t.ref.npz --exact | FileCheck %s
// CHECK-NOT: MISMATCH
// CHECK: result0: ok
// CHECK: result1: ok

func.func @scatter(%table: tensor<7x5xf32> {zo.name = "table"},
                   %ids: tensor<3x4xi64> {zo.name = "ids"},
                   %dy: tensor<3x4x5xf32> {zo.name = "dy"},
                   %ids_mid: tensor<5xi32> {zo.name = "ids_mid"},
                   %u: tensor<2x5x3xf32> {zo.name = "u"})
    -> (tensor<7x5xf32>, tensor<2x4x3xf32>) {
  %zeros = graph.constant dense<0.0> : tensor<2x4x3xf32>
  %0 = graph.scatter_add %table, %ids, %dy : (tensor<7x5xf32>, tensor<3x4xi64>, tensor<3x4x5xf32>) -> tensor<7x5xf32>
  %1 = graph.scatter_add %zeros, %ids_mid, %u {axis = 1 : i64} : (tensor<2x4x3xf32>, tensor<5xi32>, tensor<2x5x3xf32>) -> tensor<2x4x3xf32>
  return %0, %1 : tensor<7x5xf32>, tensor<2x4x3xf32>
}
