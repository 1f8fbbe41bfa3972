// zo-test-jvp (a test/debug pass): @f -> @f_jvp(args, tangents) ->
// (results, result tangents), built by the forward-mode driver
// (lib/Train/Jvp/Jvp.cpp). The numeric checks of every rule are the
// jvp-<family>.mlir tests; this one shows the IR the driver builds.
// RUN: zo-opt %s -split-input-file --zo-test-jvp | FileCheck %s
// RUN: zo-opt %s -split-input-file --zo-test-jvp=directions=2 | FileCheck %s --check-prefix=DIR2

// Each op is cloned, then its rule builds the tangent right after it: the
// product rule of matmul, then relu's select. Tangent arguments and results
// are named after the primal ones.
// CHECK-LABEL: func.func @relu_linear(
// CHECK-LABEL: func.func @relu_linear_jvp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x"}, %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w"}, %[[TX:[^:]*]]: tensor<2x3xf32> {zo.name = "tangent:x", zo.role = "input"}, %[[TW:[^:]*]]: tensor<3x4xf32> {zo.name = "tangent:w", zo.role = "input"})
// CHECK-SAME: -> (tensor<2x4xf32> {zo.name = "y"}, tensor<2x4xf32> {zo.name = "tangent:y"})
// CHECK-NEXT: %[[XW:.*]] = graph.matmul %[[X]], %[[W]]
// CHECK-NEXT: %[[T1:.*]] = graph.matmul %[[TX]], %[[W]]
// CHECK-NEXT: %[[T2:.*]] = graph.matmul %[[X]], %[[TW]]
// CHECK-NEXT: %[[T:.*]] = graph.add %[[T1]], %[[T2]]
// CHECK-NEXT: %[[Y:.*]] = graph.relu %[[XW]]
// CHECK-NEXT: %[[ZERO:.*]] = graph.constant dense<0.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[POS:.*]] = graph.greater %[[XW]], %[[ZERO]]
// CHECK-NEXT: %[[TY:.*]] = graph.where %[[POS]], %[[T]], %[[ZERO]]
// CHECK-NEXT: return %[[Y]], %[[TY]]

// Two directions share one primal; each gets its own tangents.
// DIR2-LABEL: func.func @relu_linear_jvp(
// DIR2-SAME: {zo.name = "tangent0:x", zo.role = "input"}, %{{[^:]*}}: tensor<3x4xf32> {zo.name = "tangent0:w", zo.role = "input"}, %{{[^:]*}}: tensor<2x3xf32> {zo.name = "tangent1:x", zo.role = "input"}, %{{[^:]*}}: tensor<3x4xf32> {zo.name = "tangent1:w", zo.role = "input"})
// DIR2-SAME: -> (tensor<2x4xf32> {zo.name = "y"}, tensor<2x4xf32> {zo.name = "tangent0:y"}, tensor<2x4xf32> {zo.name = "tangent1:y"})
// DIR2-COUNT-1: graph.matmul %arg0, %arg1
// DIR2-COUNT-4: graph.matmul
// DIR2-COUNT-1: graph.relu
// DIR2-COUNT-2: graph.where
func.func @relu_linear(%x: tensor<2x3xf32> {zo.name = "x"}, %w: tensor<3x4xf32> {zo.name = "w"}) -> (tensor<2x4xf32> {zo.name = "y"}) {
  %0 = graph.matmul %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = graph.relu %0 : tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// Values that depend on no tangent seed (constants, integer inputs) get no
// tangent work; integer arguments get no tangent argument; a float result
// that depends on no seed gets a zero tangent.
// CHECK-LABEL: func.func @no_seed_dependence_jvp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>, %[[IDS:[^:]*]]: tensor<4xi64>, %[[TX:[^:]*]]: tensor<4xf32> {zo.name = "tangent:arg0", zo.role = "input"})
// CHECK-NEXT: graph.constant dense<2.000000e+00>
// CHECK-NEXT: graph.exp
// CHECK-NEXT: graph.cast %[[IDS]]
// CHECK-NEXT: %[[G:.*]] = graph.mul
// CHECK-NEXT: %[[Y:.*]] = graph.mul %[[X]], %[[G]]
// CHECK-NEXT: %[[TY:.*]] = graph.mul %[[TX]], %[[G]]
// CHECK-NEXT: %[[TG:.*]] = graph.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[Y]], %[[G]], %[[TY]], %[[TG]]
func.func @no_seed_dependence(%x: tensor<4xf32>, %ids: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = graph.constant dense<2.0> : tensor<4xf32>
  %e = graph.exp %c : tensor<4xf32>
  %f = graph.cast %ids : tensor<4xi64> -> tensor<4xf32>
  %g = graph.mul %e, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = graph.mul %x, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %g : tensor<4xf32>, tensor<4xf32>
}

// -----

// The tangent of a broadcast operand alone is broadcast to the result.
// CHECK-LABEL: func.func @broadcast_jvp(
// CHECK-SAME: %[[TB:[^:]*]]: tensor<4xf32> {zo.name = "tangent:arg0", zo.role = "input"})
// CHECK: %[[E:.*]] = graph.expand %[[TB]] : tensor<4xf32> -> tensor<3x4xf32>
// CHECK-NEXT: return %{{.*}}, %[[E]]
func.func @broadcast(%b: tensor<4xf32>) -> tensor<3x4xf32> {
  %c = graph.constant dense<1.0> : tensor<3x4xf32>
  %0 = graph.add %c, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}
