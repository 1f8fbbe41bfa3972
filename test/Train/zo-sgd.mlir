// zo-zeroth-order, method zo-sgd, on y = x w + b, loss = mean(y^2)
// (Inputs/tiny.mlir): w is parameter 0 (a weight), b parameter 1 (a bias).
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order | FileCheck %s --check-prefix=TWO
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="one-sided=true" | FileCheck %s --check-prefix=ONE
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="queries=2" | FileCheck %s --check-prefix=Q2
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="weight-decay=0.1" | FileCheck %s --check-prefix=WD
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="frozen=^b$" | FileCheck %s --check-prefix=FROZEN
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="trainable=^w" | FileCheck %s --check-prefix=FROZEN

// Two-sided: forward at +eps and at -eps, each parameter perturbed right
// before its first use; g = (l+ - l-) / (2 eps); the update regenerates z
// and is written into the parameter's own buffer; forward is kept.
// TWO-LABEL: func.func @forward
// TWO-LABEL: func.func @train_step(
// TWO-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x", zo.role = "input"}, %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"}, %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr", zo.role = "step"}, %{{[^:]*}}: tensor<i64> {zo.name = "step", zo.role = "step"})
// TWO-SAME: -> (tensor<f32> {zo.name = "loss"}, tensor<f32> {zo.name = "projected_grad"})
// TWO: %[[EPS:.*]] = graph.constant dense<1.000000e-03>
// TWO-NEXT: %[[W1:.*]] = train.add_noise %[[W]], %[[SEED]], %[[EPS]] {param_id = 0 : i64}
// TWO-NEXT: graph.matmul %[[X]], %[[W1]]
// TWO-NEXT: %[[B1:.*]] = train.add_noise %[[B]], %[[SEED]], %[[EPS]] {param_id = 1 : i64}
// TWO-NEXT: graph.add %{{.*}}, %[[B1]]
// TWO: %[[LP:.*]] = graph.reduce_mean
// TWO-NEXT: %[[MEPS:.*]] = graph.constant dense<-1.000000e-03>
// TWO-NEXT: train.add_noise %[[W]], %[[SEED]], %[[MEPS]] {param_id = 0 : i64}
// TWO: train.add_noise %[[B]], %[[SEED]], %[[MEPS]] {param_id = 1 : i64}
// TWO: %[[LM:.*]] = graph.reduce_mean
// TWO-NEXT: %[[D:.*]] = graph.sub %[[LP]], %[[LM]]
// TWO-NEXT: %[[TWOEPS:.*]] = graph.constant dense<2.000000e-03>
// TWO-NEXT: %[[G:.*]] = graph.div %[[D]], %[[TWOEPS]]
// TWO-NEXT: %[[NLR:.*]] = graph.neg %[[LR]]
// TWO-NEXT: %[[A:.*]] = graph.mul %[[NLR]], %[[G]]
// TWO-NEXT: %[[WN:.*]] = train.add_noise %[[W]], %[[SEED]], %[[A]] {param_id = 0 : i64}
// TWO-NEXT: %[[WU:.*]] = bufferization.materialize_in_destination %[[WN]] in %[[W]] : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
// TWO-NEXT: %[[WBUF:.*]] = bufferization.to_buffer %[[WU]] read_only
// TWO-NEXT: bufferization.materialize_in_destination %[[WU]] in restrict writable %[[WBUF]] : (tensor<3x4xf32>, memref<3x4xf32>) -> ()
// TWO: %[[BN:.*]] = train.add_noise %[[B]], %[[SEED]], %{{.*}} {param_id = 1 : i64}
// TWO-NEXT: bufferization.materialize_in_destination %[[BN]] in %[[B]]
// TWO-NOT: train.add_noise
// TWO: return %[[LP]], %[[G]] : tensor<f32>, tensor<f32>

// One-sided: the unperturbed forward first, then +eps; g = (l+ - l0) / eps;
// the reported loss is l+.
// ONE-LABEL: func.func @train_step(
// ONE-NOT: train.add_noise
// ONE: %[[L0:.*]] = graph.reduce_mean
// ONE: train.add_noise %{{.*}} {param_id = 0 : i64}
// ONE: %[[LP:.*]] = graph.reduce_mean
// ONE-NEXT: %[[D:.*]] = graph.sub %[[LP]], %[[L0]]
// ONE-NEXT: %[[EPS:.*]] = graph.constant dense<1.000000e-03>
// ONE-NEXT: %[[G:.*]] = graph.div %[[D]], %[[EPS]]
// ONE-NOT: graph.reduce_mean
// ONE: return %[[LP]], %[[G]]

// Two queries: noise streams 0 and 1, g_s each; the update adds
// -(lr/2) g_s z_s for each stream, regenerating z_s (no sum of noise);
// projected_grad is the mean of the g_s.
// Q2-LABEL: func.func @train_step(
// Q2-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"
// Q2-SAME: %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed"
// Q2: %[[LP:.*]] = graph.reduce_mean
// Q2: %[[G0:.*]] = graph.div
// Q2: train.add_noise %[[W]], %[[SEED]], %{{.*}} {param_id = 0 : i64, stream = 1 : i64}
// Q2: %[[G1:.*]] = graph.div
// Q2-NEXT: %[[NLR:.*]] = graph.neg
// Q2-NEXT: %[[Q2:.*]] = graph.constant dense<2.000000e+00>
// Q2-NEXT: %[[STEP:.*]] = graph.div %[[NLR]], %[[Q2]]
// Q2-NEXT: %[[A0:.*]] = graph.mul %[[STEP]], %[[G0]]
// Q2-NEXT: %[[W0:.*]] = train.add_noise %[[W]], %[[SEED]], %[[A0]] {param_id = 0 : i64}
// Q2-NEXT: %[[A1:.*]] = graph.mul %[[STEP]], %[[G1]]
// Q2-NEXT: %[[W1:.*]] = train.add_noise %[[W0]], %[[SEED]], %[[A1]] {param_id = 0 : i64, stream = 1 : i64}
// Q2-NEXT: bufferization.materialize_in_destination %[[W1]] in %[[W]]
// Q2: %[[S:.*]] = graph.add %[[G0]], %[[G1]]
// Q2-NEXT: %[[Q:.*]] = graph.constant dense<2.000000e+00>
// Q2-NEXT: %[[G:.*]] = graph.div %[[S]], %[[Q]]
// Q2-NEXT: return %[[LP]], %[[G]]

// Weight decay scales the weight by (1 - lr wd) before adding the noise
// step; the rank-1 bias is not decayed.
// WD-LABEL: func.func @train_step(
// WD-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"
// WD-SAME: %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b"
// WD-SAME: %[[LR:[^:]*]]: tensor<f32> {zo.name = "lr"
// WD: %[[WD:.*]] = graph.constant dense<1.000000e-01>
// WD-NEXT: %[[LRWD:.*]] = graph.mul %[[LR]], %[[WD]]
// WD-NEXT: %[[UNIT:.*]] = graph.constant dense<1.000000e+00>
// WD-NEXT: %[[F:.*]] = graph.sub %[[UNIT]], %[[LRWD]]
// WD-NEXT: %[[WS:.*]] = graph.mul %[[W]], %[[F]] : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
// WD: train.add_noise %[[WS]], {{.*}} {param_id = 0 : i64}
// WD-NOT: graph.mul %[[B]]
// WD: train.add_noise %[[B]], {{.*}} {param_id = 1 : i64}

// Frozen b (or only w trainable): b is neither perturbed nor updated, but
// keeps param_id 1 free, so w's noise does not depend on what is frozen.
// FROZEN-LABEL: func.func @train_step(
// FROZEN-SAME: %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b"
// FROZEN-NOT: {param_id = 1 : i64}
// FROZEN: graph.add %{{.*}}, %[[B]]
// FROZEN-NOT: {param_id = 1 : i64}
// FROZEN: bufferization.materialize_in_destination %{{.*}} in %arg1
// FROZEN-NOT: bufferization.materialize_in_destination %{{.*}} in %arg2
// FROZEN: return
