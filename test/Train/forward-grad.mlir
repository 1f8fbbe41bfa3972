// zo-zeroth-order, method forward-grad, on y = x w + b, loss = mean(y^2)
// (Inputs/tiny.mlir): one forward-mode pass gives L(p) and d = dL/dp . z,
// the update is ZO-SGD's with g = d. This file's own @forward has an op
// without a JVP rule (the NORULE case).
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad" | FileCheck %s
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad eps=0.5" | FileCheck %s
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad queries=2 weight-decay=0.1" | FileCheck %s --check-prefix=Q2
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad queries=2 weight-decay=0.1" | FileCheck %s --check-prefix=Q2MEAN
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad frozen=^w$" | FileCheck %s --check-prefix=FROZEN
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=forward-grad one-sided=true" 2>&1 | FileCheck %s --check-prefix=ONESIDED
// RUN: not zo-opt %s --zo-zeroth-order="method=forward-grad" 2>&1 | FileCheck %s --check-prefix=NORULE

// One clone of forward's body: each parameter's tangent z = train.normal
// (seed, param_id) appears right before the parameter's first use, each
// primal op is followed by its tangent ops, and no +-eps forward exists
// (eps is ignored: eps=0.5 gives this same IR). The update regenerates z
// with train.add_noise and alpha = -lr d.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x", zo.role = "input"}, %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"}, %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}
// CHECK-NOT: graph.constant dense<{{(5.000000e-01|1.000000e-03)}}>
// CHECK: %[[ZW:.*]] = train.normal %[[SEED]] {param_id = 0 : i64} : tensor<i64> -> tensor<3x4xf32>
// CHECK-NEXT: %[[XW:.*]] = graph.matmul %[[X]], %[[W]]
// CHECK-NEXT: %[[TXW:.*]] = graph.matmul %[[X]], %[[ZW]]
// CHECK-NEXT: %[[ZB:.*]] = train.normal %[[SEED]] {param_id = 1 : i64} : tensor<i64> -> tensor<4xf32>
// CHECK-NEXT: %[[Y:.*]] = graph.add %[[XW]], %[[B]]
// CHECK-NEXT: %[[TY:.*]] = graph.add %[[TXW]], %[[ZB]]
// CHECK-NEXT: %[[SQ:.*]] = graph.mul %[[Y]], %[[Y]]
// CHECK-NEXT: %[[T1:.*]] = graph.mul %[[Y]], %[[TY]]
// CHECK-NEXT: %[[T2:.*]] = graph.mul %[[TY]], %[[Y]]
// CHECK-NEXT: %[[TSQ:.*]] = graph.add %[[T2]], %[[T1]]
// CHECK-NEXT: %[[L:.*]] = graph.reduce_mean %[[SQ]]
// CHECK-NEXT: %[[D:.*]] = graph.reduce_mean %[[TSQ]]
// CHECK-NEXT: %[[NLR:.*]] = graph.neg %[[LR]]
// CHECK-NEXT: %[[A:.*]] = graph.mul %[[NLR]], %[[D]]
// CHECK-NEXT: %[[WN:.*]] = train.add_noise %[[W]], %[[SEED]], %[[A]] {param_id = 0 : i64}
// CHECK-NEXT: bufferization.materialize_in_destination %[[WN]] in %[[W]]
// CHECK: train.add_noise %[[B]], %[[SEED]], %{{.*}} {param_id = 1 : i64}
// CHECK-NOT: train.normal
// CHECK: return %[[L]], %[[D]] : tensor<f32>, tensor<f32>

// Two queries: two tangents (noise streams 0 and 1) carried through one
// pass with one primal; the update adds -(lr/2) d_s z_s per stream after
// decaying the weight (not the bias); projected_grad is the mean of d_0 and
// d_1 (Q2MEAN).
// Q2-LABEL: func.func @train_step(
// Q2: train.normal %{{.*}} {param_id = 0 : i64}
// Q2-NEXT: train.normal %{{.*}} {param_id = 0 : i64, stream = 1 : i64}
// Q2-COUNT-3: graph.matmul
// Q2: %[[L:.*]] = graph.reduce_mean
// Q2-NEXT: %[[D0:.*]] = graph.reduce_mean
// Q2-NEXT: %[[D1:.*]] = graph.reduce_mean
// Q2: %[[WD:.*]] = graph.mul %arg1, %{{.*}} : (tensor<3x4xf32>, tensor<f32>)
// Q2: %[[A0:.*]] = graph.mul %{{.*}}, %[[D0]]
// Q2-NEXT: %[[W0:.*]] = train.add_noise %[[WD]], %{{.*}}, %[[A0]] {param_id = 0 : i64}
// Q2-NEXT: %[[A1:.*]] = graph.mul %{{.*}}, %[[D1]]
// Q2-NEXT: train.add_noise %[[W0]], %{{.*}}, %[[A1]] {param_id = 0 : i64, stream = 1 : i64}
// Q2-NOT: graph.mul %arg2, %{{.*}} : (tensor<4xf32>, tensor<f32>)
// Q2: return %[[L]]
// Q2MEAN-LABEL: func.func @train_step(
// Q2MEAN: graph.reduce_mean
// Q2MEAN-NEXT: %[[D0:.*]] = graph.reduce_mean
// Q2MEAN-NEXT: %[[D1:.*]] = graph.reduce_mean
// Q2MEAN: %[[S:.*]] = graph.add %[[D0]], %[[D1]]
// Q2MEAN-NEXT: %[[TWO:.*]] = graph.constant dense<2.000000e+00>
// Q2MEAN-NEXT: %[[D:.*]] = graph.div %[[S]], %[[TWO]]
// Q2MEAN: return %{{.*}}, %[[D]]

// A frozen parameter has no tangent and no update: only b's noise.
// FROZEN-LABEL: func.func @train_step(
// FROZEN-NOT: train.normal %{{.*}} {param_id = 0 : i64}
// FROZEN: train.normal %{{.*}} {param_id = 1 : i64}
// FROZEN-NOT: param_id = 0
// FROZEN: return

// ONESIDED: error: zo-zeroth-order: one-sided does not apply to method 'forward-grad' (its d = dL/dp . z is exact, not a finite difference)

// An op without a JVP rule on the path from a parameter to the loss: one
// error at the op, whose location is the ONNX node's name.
// NORULE: error: loc("/encoder/Custom"): no JVP (forward-mode derivative) rule for 'arith.mulf'; it is needed because an operand depends on a differentiated argument
// NORULE-NOT: func.func @train_step
func.func @forward(%x: tensor<4xf32> {zo.name = "x", zo.role = "input"},
                   %w: tensor<4xf32> {zo.name = "w", zo.role = "param"})
    -> (tensor<f32> {zo.name = "loss"}) {
  %0 = arith.mulf %x, %w : tensor<4xf32> loc("/encoder/Custom")
  %1 = graph.reduce_sum %0 {axes = array<i64>, keepdims = false} : tensor<4xf32> -> tensor<f32>
  return %1 : tensor<f32>
}
