// zo-first-order on y = x w + b, loss = mean(y^2) (Inputs/tiny.mlir).
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=sgd momentum=0.9" | FileCheck %s --check-prefix=SGD
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=adamw" | FileCheck %s --check-prefix=ADAMW
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=sinkgd sinkhorn-iterations=2 matrices=^w$" | FileCheck %s --check-prefix=SINK
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=swan newton-schulz-iterations=1 matrices=^w$" | FileCheck %s --check-prefix=SWAN
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=sinkgd" | FileCheck %s --check-prefix=HEAD-ONLY
// RUN: zo-opt %S/Inputs/tiny-head.mlir --zo-first-order="method=sinkgd" | FileCheck %s --check-prefix=SPLIT
// RUN: zo-opt %S/Inputs/tiny-head.mlir --zo-first-order="method=swan" | FileCheck %s --check-prefix=SPLIT
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=lion" 2>&1 | FileCheck %s --check-prefix=ERR-METHOD
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=sgd momentum=1.0" 2>&1 | FileCheck %s --check-prefix=ERR-MOMENTUM
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-first-order="method=sinkgd sinkhorn-iterations=0" 2>&1 | FileCheck %s --check-prefix=ERR-ITER

// Fused backward update: the bias's gradient is complete first (the add is
// the last op using it), so its momentum and value are written before the
// weight's gradient (a GEMM with x^T) is even computed.
// SGD-LABEL: func.func @train_step(
// SGD-SAME: {zo.name = "momentum:w", zo.role = "state"}
// SGD-SAME: {zo.name = "momentum:b", zo.role = "state"}
// SGD-SAME: %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}
// SGD-SAME: -> (tensor<f32> {zo.name = "loss"})
// SGD: %[[LOSS:.*]] = graph.reduce_mean
// SGD: %[[GB:.*]] = graph.reduce_sum %{{.*}} {axes = array<i64: 0>
// SGD: bufferization.materialize_in_destination {{.*}} in %arg4
// SGD: graph.mul %[[LR]]
// SGD: bufferization.materialize_in_destination {{.*}} in %arg2
// SGD: graph.gemm %arg0, %{{.*}} {transA = true}
// SGD: bufferization.materialize_in_destination {{.*}} in %arg3
// SGD: bufferization.materialize_in_destination {{.*}} in %arg1
// SGD: return %[[LOSS]]

// AdamW: two state tensors per parameter, bias corrections from the step.
// ADAMW-LABEL: func.func @train_step(
// ADAMW-SAME: {zo.name = "adam_m:w", zo.role = "state"}
// ADAMW-SAME: {zo.name = "adam_v:w", zo.role = "state"}
// ADAMW-SAME: {zo.name = "adam_m:b", zo.role = "state"}
// ADAMW-SAME: {zo.name = "adam_v:b", zo.role = "state"}
// ADAMW-SAME: %[[STEP:[^:]*]]: tensor<i64> {zo.name = "step", zo.role = "step"}
// ADAMW: graph.cast %[[STEP]]
// ADAMW: graph.pow
// ADAMW: graph.sqrt

// SinkGD: w (3x4, read only by the matmul) is a block matrix with no
// state; b keeps AdamW. Two iterations, each a row then a column
// reduction over the gradient; lr scaled by 0.05.
// SINK-LABEL: func.func @train_step(
// SINK-NOT: adam_m:w
// SINK-SAME: {zo.name = "adam_m:b", zo.role = "state"}
// SINK: graph.constant dense<5.000000e-02>
// SINK: graph.gemm %arg0
// SINK: graph.reduce_sum %{{.*}} {axes = array<i64: 1>, keepdims = false} : tensor<3x4xf32> -> tensor<3xf32>
// SINK: graph.reduce_sum %{{.*}} {axes = array<i64: 0>, keepdims = false} : tensor<3x4xf32> -> tensor<4xf32>
// SINK: graph.reduce_sum %{{.*}} {axes = array<i64: 1>, keepdims = false} : tensor<3x4xf32> -> tensor<3xf32>
// SINK: graph.reduce_sum %{{.*}} {axes = array<i64: 0>, keepdims = false} : tensor<3x4xf32> -> tensor<4xf32>
// SINK-NOT: graph.reduce_sum
// SINK: bufferization.materialize_in_destination {{.*}} in %arg1

// The default split: a weight whose product reaches the loss with no other
// matrix product in between is the head and takes AdamW whatever its name.
// In tiny.mlir that is w, so only `matrices` makes it a block matrix above.
// HEAD-ONLY-LABEL: func.func @train_step(
// HEAD-ONLY-SAME: {zo.name = "adam_m:w", zo.role = "state"}
// HEAD-ONLY-SAME: {zo.name = "adam_m:b", zo.role = "state"}
// Inputs/tiny-head.mlir: w1 (read by a product whose value reaches the loss
// only through the head's product, and a non-loss result) is a block
// matrix, the unnamed head `onnx::MatMul_7` takes AdamW.
// SPLIT-LABEL: func.func @train_step(
// SPLIT-NOT: adam_m:w1
// SPLIT-SAME: {zo.name = "adam_m:onnx::MatMul_7", zo.role = "state"}
// SPLIT-NOT: adam_m:w1
// SPLIT: return

// Method swan: GradNorm over rows, whitening on the smaller side (3 rows: a 3x3
// Gram matrix G~ G~^T, a GEMM reading G~ twice in place: no transpose
// buffer), one Newton-Schulz step (ZY, T = (3I - ZY) / 2, then Y T and T Z:
// the halving is on T, not after each product) and the update.
// SWAN-LABEL: func.func @train_step(
// SWAN: graph.reduce_mean %{{.*}} {axes = array<i64: 1>} : tensor<3x4xf32> -> tensor<3x1xf32>
// SWAN: graph.gemm %[[GT:.*]], %[[GT]] {transB = true} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x3xf32>
// SWAN: %[[ZY:.*]] = graph.matmul %{{.*}}, %{{.*}} : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
// SWAN-NEXT: %[[D:.*]] = graph.sub %{{.*}}, %[[ZY]]
// SWAN-NEXT: %[[T:.*]] = graph.mul %[[D]], %{{.*}} : (tensor<3x3xf32>, tensor<f32>)
// SWAN-NEXT: graph.matmul %{{.*}}, %[[T]] : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
// SWAN-NEXT: graph.matmul %[[T]], %{{.*}} : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
// SWAN-NOT: graph.mul %{{.*}} : (tensor<3x3xf32>, tensor<f32>)
// SWAN: graph.matmul %{{.*}}, %{{.*}} : (tensor<3x3xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
// SWAN: bufferization.materialize_in_destination {{.*}} in %arg1

// ERR-METHOD: zo-first-order: unknown method 'lion' (known: sgd, adamw, sinkgd, swan)
// ERR-MOMENTUM: zo-first-order: momentum must be in [0, 1), got 1
// ERR-ITER: zo-first-order: sinkhorn-iterations and newton-schulz-iterations must be >= 1
