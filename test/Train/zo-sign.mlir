// zo-zeroth-order, method zo-sign (ZO-SGD-Sign), on y = x w + b, loss =
// mean(y^2) (Inputs/tiny.mlir): w is parameter 0 (a weight), b parameter 1.
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sign" | FileCheck %s
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sign weight-decay=0.1" | FileCheck %s --check-prefix=WD
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sign queries=2" | FileCheck %s --check-prefix=Q2

// The forwards and g are ZO-SGD's (two clones); sign(g) is built once per
// step (sign(0) = 0), then each parameter gets p - lr sign(g) z, one
// train.add_noise regenerating z; reported loss l+, projected_grad g.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"}, %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}, %{{[^:]*}}: tensor<i64> {zo.name = "step", zo.role = "step"})
// CHECK: %[[LP:.*]] = graph.reduce_mean
// CHECK: graph.reduce_mean
// CHECK-NEXT: %[[D:.*]] = graph.sub %[[LP]],
// CHECK-NEXT: graph.constant dense<2.000000e-03>
// CHECK-NEXT: %[[G:.*]] = graph.div %[[D]],
// CHECK-NEXT: %[[ZERO:.*]] = graph.constant dense<0.000000e+00>
// CHECK-NEXT: %[[UNIT:.*]] = graph.constant dense<1.000000e+00>
// CHECK-NEXT: %[[MONE:.*]] = graph.constant dense<-1.000000e+00>
// CHECK-NEXT: %[[LT:.*]] = graph.less %[[G]], %[[ZERO]]
// CHECK-NEXT: %[[NEG:.*]] = graph.where %[[LT]], %[[MONE]], %[[ZERO]]
// CHECK-NEXT: %[[GT:.*]] = graph.greater %[[G]], %[[ZERO]]
// CHECK-NEXT: %[[S:.*]] = graph.where %[[GT]], %[[UNIT]], %[[NEG]]
// CHECK-NEXT: %[[NLR:.*]] = graph.neg %[[LR]]
// CHECK-NEXT: %[[A:.*]] = graph.mul %[[NLR]], %[[S]]
// CHECK-NEXT: %[[WN:.*]] = train.add_noise %[[W]], %[[SEED]], %[[A]] {param_id = 0 : i64}
// CHECK-NEXT: bufferization.materialize_in_destination %[[WN]] in %[[W]]
// CHECK: %[[A1:.*]] = graph.mul %{{.*}}, %[[S]]
// CHECK-NEXT: %[[BN:.*]] = train.add_noise %[[B]], %[[SEED]], %[[A1]] {param_id = 1 : i64}
// CHECK-NEXT: bufferization.materialize_in_destination %[[BN]] in %[[B]]
// CHECK-NOT: train.add_noise
// CHECK-NOT: graph.reduce_mean
// CHECK: return %[[LP]], %[[G]] : tensor<f32>, tensor<f32>

// Weight decay as in zo-sgd: the weight is scaled by (1 - lr wd) first, the
// rank-1 bias is not.
// WD-LABEL: func.func @train_step(
// WD-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"
// WD-SAME: %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b"
// WD: graph.greater
// WD-NEXT: %[[S:.*]] = graph.where
// WD-NEXT: %[[WDC:.*]] = graph.constant dense<1.000000e-01>
// WD-NEXT: %[[LRWD:.*]] = graph.mul %{{.*}}, %[[WDC]]
// WD-NEXT: graph.constant dense<1.000000e+00>
// WD-NEXT: %[[F:.*]] = graph.sub %{{.*}}, %[[LRWD]]
// WD-NEXT: %[[WDEC:.*]] = graph.mul %[[W]], %[[F]]
// WD-NEXT: graph.neg
// WD-NEXT: %[[A:.*]] = graph.mul %{{.*}}, %[[S]]
// WD-NEXT: train.add_noise %[[WDEC]], %{{.*}}, %[[A]] {param_id = 0 : i64}
// WD-NOT: graph.mul %[[B]]
// WD: train.add_noise %[[B]], %{{.*}} {param_id = 1 : i64}

// Two queries: one sign per g_s, p - (lr/2) sum_s sign(g_s) z_s.
// Q2-LABEL: func.func @train_step(
// Q2-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"
// Q2: graph.greater
// Q2-NEXT: %[[S0:.*]] = graph.where
// Q2: graph.greater
// Q2-NEXT: %[[S1:.*]] = graph.where
// Q2-NEXT: %[[NLR:.*]] = graph.neg
// Q2-NEXT: graph.constant dense<2.000000e+00>
// Q2-NEXT: %[[STEP:.*]] = graph.div %[[NLR]],
// Q2-NEXT: %[[A0:.*]] = graph.mul %[[STEP]], %[[S0]]
// Q2-NEXT: %[[W0:.*]] = train.add_noise %[[W]], %{{.*}}, %[[A0]] {param_id = 0 : i64}
// Q2-NEXT: %[[A1:.*]] = graph.mul %[[STEP]], %[[S1]]
// Q2-NEXT: train.add_noise %[[W0]], %{{.*}}, %[[A1]] {param_id = 0 : i64, stream = 1 : i64}
