// The CPU pipeline writes each parameter update straight into the donated
// parameter buffer: on tiny.mlir's train_step, right after bufferization
// (IR printed after buffer-results-to-out-params), w's and b's update loops
// have outs = the parameter itself (12 and 4 elements: fewer than one
// 64-element noise run, so the noise loops iterate the tensors' own shapes
// and bufferization places them in place; the [..., n/64, 4, 16] view case,
// rewritten by zo-write-updates-in-place, is write-updates-in-place.mlir's
// @update_swapped and test/Train/memory-bert.test); there is no memref.copy
// into either parameter (the 3x4 and 4 scratch buffers are the perturbed w
// and b of the forward clones: the GEMM operand, and the bias every row
// reads, which is computed once rather than fused into the row loop; the
// update no longer touches them).
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order --convert-graph-to-linalg --convert-train-to-linalg --canonicalize --cse -o %t.linalg.mlir
// RUN: zo-opt %t.linalg.mlir --zo-cpu-lowering --mlir-print-ir-after=buffer-results-to-out-params -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]*]]: memref<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: memref<4xf32> {zo.name = "b", zo.role = "param"}
// CHECK-NOT: memref.copy {{.*}} to memref<3x4xf32>
// CHECK-NOT: memref.copy {{.*}} to memref<4xf32>
// The updates, in parameter order: each loop reads and writes the parameter.
// CHECK: linalg.generic {{.*}} ins(%[[W]] : memref<3x4xf32>) outs(%[[W]] : memref<3x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[B]] : memref<4xf32>) outs(%[[B]] : memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.alloc
// CHECK: return
