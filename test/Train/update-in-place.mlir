// The CPU pipeline writes each parameter update straight into the donated
// parameter buffer: on tiny.mlir's train_step, right after bufferization
// (IR printed after buffer-results-to-out-params), w's update loop has
// outs = a [3, 1, 4] view of w and b's has outs = b itself; there is no
// memref.copy into either parameter (the 3x1x4 and 1x4 scratch buffers are
// the perturbed w and b of the forward clones: the GEMM operand, and the
// bias every row reads, which is computed once rather than fused into the
// row loop; the update no longer touches them).
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order --convert-graph-to-linalg --convert-train-to-linalg --canonicalize --cse -o %t.linalg.mlir
// RUN: zo-opt %t.linalg.mlir --zo-cpu-lowering --mlir-print-ir-after=buffer-results-to-out-params -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]*]]: memref<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: memref<4xf32> {zo.name = "b", zo.role = "param"}
// CHECK-NOT: memref.copy {{.*}} to memref<3x4xf32>
// CHECK-NOT: memref.copy {{.*}} to memref<4xf32>
// CHECK-NOT: memref.alloc() {{.*}} : memref<4xf32>
// The updates, in parameter order: each loop's output is a view of the
// parameter, and its body reads the old value through that output.
// CHECK: %[[WV:expand_shape_[0-9]+]] = memref.expand_shape %[[W]] {{\[}}[0], [1, 2]] output_shape [3, 1, 4]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[WV]] : memref<3x1x4xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %[[WOUT:.*]]: f32):
// CHECK: arith.addf %[[WOUT]],
// CHECK: %[[BV:expand_shape_[0-9]+]] = memref.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [1, 4]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[BV]] : memref<1x4xf32>)
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.alloc
// CHECK: return
