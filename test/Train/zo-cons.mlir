// zo-zeroth-order, method zo-cons (ZO-SGD-Cons, conservative), on y = x w +
// b, loss = mean(y^2) (Inputs/tiny.mlir): w is parameter 0, b parameter 1.
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-cons" | FileCheck %s
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-cons one-sided=true" | FileCheck %s --check-prefix=ONE
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-cons queries=2" | FileCheck %s --check-prefix=Q2
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-cons weight-decay=0.1" 2>&1 | FileCheck %s --check-prefix=WD

// Five forwards: l+, l- (g), then l0 = L(p) unperturbed, l1 = L(p - lr g z),
// l2 = L(p + lr g z); c = l1 > l0 ? (l0 < l2 ? 0 : 1) : (l1 < l2 ? -1 : 1);
// one train.add_noise(p, seed, c lr g) per parameter; reported loss l0.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x", zo.role = "input"}, %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"}, %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}, %{{[^:]*}}: tensor<i64> {zo.name = "step", zo.role = "step"})
// CHECK: %[[LP:.*]] = graph.reduce_mean
// CHECK: graph.reduce_mean
// CHECK-NEXT: %[[D:.*]] = graph.sub %[[LP]],
// CHECK-NEXT: graph.constant dense<2.000000e-03>
// CHECK-NEXT: %[[G:.*]] = graph.div %[[D]],
// CHECK-NEXT: graph.matmul %[[X]], %[[W]]
// CHECK-NEXT: graph.add %{{.*}}, %[[B]]
// CHECK-NEXT: graph.mul
// CHECK-NEXT: %[[L0:.*]] = graph.reduce_mean
// CHECK-NEXT: %[[STEP:.*]] = graph.mul %[[LR]], %[[G]]
// CHECK-NEXT: %[[MSTEP:.*]] = graph.neg %[[STEP]]
// CHECK-NEXT: %[[W1:.*]] = train.add_noise %[[W]], %[[SEED]], %[[MSTEP]] {param_id = 0 : i64}
// CHECK-NEXT: graph.matmul %[[X]], %[[W1]]
// CHECK-NEXT: train.add_noise %[[B]], %[[SEED]], %[[MSTEP]] {param_id = 1 : i64}
// CHECK: %[[L1:.*]] = graph.reduce_mean
// CHECK-NEXT: %[[W2:.*]] = train.add_noise %[[W]], %[[SEED]], %[[STEP]] {param_id = 0 : i64}
// CHECK-NEXT: graph.matmul %[[X]], %[[W2]]
// CHECK-NEXT: train.add_noise %[[B]], %[[SEED]], %[[STEP]] {param_id = 1 : i64}
// CHECK: %[[L2:.*]] = graph.reduce_mean
// CHECK-NEXT: %[[ZERO:.*]] = graph.constant dense<0.000000e+00>
// CHECK-NEXT: %[[UNIT:.*]] = graph.constant dense<1.000000e+00>
// CHECK-NEXT: %[[MONE:.*]] = graph.constant dense<-1.000000e+00>
// CHECK-NEXT: %[[C02:.*]] = graph.less %[[L0]], %[[L2]]
// CHECK-NEXT: %[[WORSE:.*]] = graph.where %[[C02]], %[[ZERO]], %[[UNIT]]
// CHECK-NEXT: %[[C12:.*]] = graph.less %[[L1]], %[[L2]]
// CHECK-NEXT: %[[BETTER:.*]] = graph.where %[[C12]], %[[MONE]], %[[UNIT]]
// CHECK-NEXT: %[[C10:.*]] = graph.greater %[[L1]], %[[L0]]
// CHECK-NEXT: %[[C:.*]] = graph.where %[[C10]], %[[WORSE]], %[[BETTER]]
// CHECK-NEXT: %[[A:.*]] = graph.mul %[[C]], %[[STEP]]
// CHECK-NEXT: %[[WN:.*]] = train.add_noise %[[W]], %[[SEED]], %[[A]] {param_id = 0 : i64}
// CHECK-NEXT: bufferization.materialize_in_destination %[[WN]] in %[[W]]
// CHECK-NEXT: bufferization.to_buffer
// CHECK-NEXT: bufferization.materialize_in_destination
// CHECK-NEXT: %[[BN:.*]] = train.add_noise %[[B]], %[[SEED]], %[[A]] {param_id = 1 : i64}
// CHECK-NEXT: bufferization.materialize_in_destination %[[BN]] in %[[B]]
// CHECK-NOT: train.add_noise
// CHECK-NOT: graph.reduce_mean
// CHECK: return %[[L0]], %[[G]] : tensor<f32>, tensor<f32>

// One-sided: the skeleton's unperturbed forward is l0 (four forwards).
// ONE-LABEL: func.func @train_step(
// ONE-NOT: train.add_noise
// ONE: %[[L0:.*]] = graph.reduce_mean
// ONE: %[[LP:.*]] = graph.reduce_mean
// ONE: %[[G:.*]] = graph.div
// ONE-NEXT: graph.mul %{{.*}}, %[[G]]
// ONE: graph.reduce_mean
// ONE: graph.reduce_mean
// ONE-NOT: graph.reduce_mean
// ONE: return %[[L0]], %[[G]]

// Two queries: the direction is d = (1/2)(g_0 z_0 + g_1 z_1); l1 and l2
// perturb by both streams; the update adds c (lr/2) g_s z_s per stream.
// Q2-LABEL: func.func @train_step(
// Q2-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"
// Q2-SAME: %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr"
// Q2: %[[G0:.*]] = graph.div
// Q2: %[[G1:.*]] = graph.div
// Q2: %[[L0:.*]] = graph.reduce_mean
// Q2-NEXT: graph.constant dense<2.000000e+00>
// Q2-NEXT: %[[SC:.*]] = graph.div %[[LR]],
// Q2-NEXT: %[[P0:.*]] = graph.mul %[[SC]], %[[G0]]
// Q2-NEXT: %[[M0:.*]] = graph.neg %[[P0]]
// Q2-NEXT: %[[P1:.*]] = graph.mul %[[SC]], %[[G1]]
// Q2-NEXT: %[[M1:.*]] = graph.neg %[[P1]]
// Q2-NEXT: %[[W1A:.*]] = train.add_noise %[[W]], %{{.*}}, %[[M0]] {param_id = 0 : i64}
// Q2-NEXT: %[[W1B:.*]] = train.add_noise %[[W1A]], %{{.*}}, %[[M1]] {param_id = 0 : i64, stream = 1 : i64}
// Q2-NEXT: graph.matmul %{{.*}}, %[[W1B]]
// Q2: graph.greater
// Q2-NEXT: %[[C:.*]] = graph.where
// Q2-NEXT: %[[A0:.*]] = graph.mul %[[C]], %[[P0]]
// Q2-NEXT: %[[A1:.*]] = graph.mul %[[C]], %[[P1]]
// Q2-NEXT: %[[U0:.*]] = train.add_noise %[[W]], %{{.*}}, %[[A0]] {param_id = 0 : i64}
// Q2-NEXT: train.add_noise %[[U0]], %{{.*}}, %[[A1]] {param_id = 0 : i64, stream = 1 : i64}

// WD: error: zo-zeroth-order: method zo-cons takes no weight decay (its candidates are p and p -/+ lr g z), got weight-decay=1.000000e-01
