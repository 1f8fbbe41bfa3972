// zo-zeroth-order's stateful rules on y = x w + b, loss = mean(y^2)
// (Inputs/tiny.mlir): the state arguments they add and the update IR.
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sgd-mmt momentum=0.8" | FileCheck %s --check-prefix=MMT
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-adam" | FileCheck %s --check-prefix=ADAM
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-adam frozen=^b$" | FileCheck %s --check-prefix=FROZEN
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order | FileCheck %s --check-prefix=NOSTATE

// ZO-SGD-MMT: one momentum buffer per trained parameter, after the
// parameters; b' = mu b + g z (the noise regenerated on the scaled buffer),
// p' = p - lr b'; b' and p' are written into their own buffers.
// MMT-LABEL: func.func @train_step(
// MMT-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"},
// MMT-SAME: %[[MW:[^:]*]]: tensor<3x4xf32> {zo.name = "momentum:w", zo.role = "state"}, %[[MB:[^:]*]]: tensor<4xf32> {zo.name = "momentum:b", zo.role = "state"},
// MMT-SAME: %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}, %{{[^:]*}}: tensor<i64> {zo.name = "step", zo.role = "step"})
// MMT: %[[G:.*]] = graph.div
// MMT: %[[MU:.*]] = graph.constant dense<8.000000e-01>
// MMT-NEXT: %[[SC:.*]] = graph.mul %[[MW]], %[[MU]]
// MMT-NEXT: %[[BN:.*]] = train.add_noise %[[SC]], %[[SEED]], %[[G]] {param_id = 0 : i64}
// MMT-NEXT: %[[D:.*]] = graph.mul %[[LR]], %[[BN]]
// MMT-NEXT: %[[WN:.*]] = graph.sub %[[W]], %[[D]]
// MMT-NEXT: bufferization.materialize_in_destination %[[BN]] in %[[MW]]
// MMT: bufferization.materialize_in_destination %[[WN]] in %[[W]]
// MMT: train.add_noise %{{.*}}, %[[SEED]], %[[G]] {param_id = 1 : i64}
// MMT: bufferization.materialize_in_destination %{{.*}} in %[[MB]]
// MMT: bufferization.materialize_in_destination %{{.*}} in %[[B]]

// ZO-Adam: two moments per trained parameter; bias corrections 1 - b^t from
// the step count, once per step; u = g z regenerated once per parameter.
// ADAM-LABEL: func.func @train_step(
// ADAM-SAME: {zo.name = "adam_m:w", zo.role = "state"}, %[[VW:[^:]*]]: tensor<3x4xf32> {zo.name = "adam_v:w", zo.role = "state"}, %{{[^:]*}}: tensor<4xf32> {zo.name = "adam_m:b", zo.role = "state"}, %{{[^:]*}}: tensor<4xf32> {zo.name = "adam_v:b", zo.role = "state"},
// ADAM-SAME: %[[T:[^:]*]]: tensor<i64> {zo.name = "step", zo.role = "step"})
// ADAM: %[[TF:.*]] = graph.cast %[[T]] : tensor<i64> -> tensor<f32>
// ADAM: %[[P1:.*]] = graph.pow %{{.*}}, %[[TF]]
// ADAM-NEXT: %[[BC1:.*]] = graph.sub %{{.*}}, %[[P1]]
// ADAM: %[[P2:.*]] = graph.pow %{{.*}}, %[[TF]]
// ADAM-NEXT: %[[BC2:.*]] = graph.sub %{{.*}}, %[[P2]]
// ADAM: %[[U:.*]] = train.add_noise %{{.*}} {param_id = 0 : i64}
// ADAM-NOT: train.add_noise
// ADAM: graph.mul %[[U]], %[[U]]
// ADAM: graph.div %{{.*}}, %[[BC1]]
// ADAM: graph.div %{{.*}}, %[[BC2]]
// ADAM: graph.sqrt
// ADAM: bufferization.materialize_in_destination %{{.*}} in %[[VW]]

// A frozen parameter has no state.
// FROZEN-LABEL: func.func @train_step(
// FROZEN-SAME: {zo.name = "adam_m:w", zo.role = "state"}, %{{[^:]*}}: tensor<3x4xf32> {zo.name = "adam_v:w", zo.role = "state"}, %{{[^:]*}}: tensor<i64> {zo.name = "seed"
// FROZEN-NOT: adam_m:b

// Stateless methods take no state arguments.
// NOSTATE-LABEL: func.func @train_step(
// NOSTATE-NOT: zo.role = "state"
// NOSTATE: return
