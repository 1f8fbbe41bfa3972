// VJP rules of the normalization ops (lib/Train/Vjp/Normalization.cpp): each
// function's @f_vjp (zo-test-vjp), compiled in float64 and run on random
// inputs and result cotangents w, against the gradient of <w, f(x)> by
// central finite differences of the numpy float64 model on its REF line
// (Inputs/vjp_check.py). The cases are those of jvp-normalization.mlir.
// RUN: %python %S/Inputs/vjp_check.py %s | FileCheck %s

// CHECK: @softmax: ok
// REF: (softmax(x0, 2), softmax(x0, 0))
func.func @softmax(%x: tensor<2x3x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = graph.softmax %x {axis = 2 : i64} : tensor<2x3x5xf32>
  %1 = graph.softmax %x {axis = 0 : i64} : tensor<2x3x5xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// CHECK: @log_softmax: ok
// REF: (log_softmax(x0, 2), log_softmax(x0, 1))
func.func @log_softmax(%x: tensor<2x3x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = graph.log_softmax %x {axis = 2 : i64} : tensor<2x3x5xf32>
  %1 = graph.log_softmax %x {axis = 1 : i64} : tensor<2x3x5xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// Over the last axis (transformers) and over the last two; gradients of
// input, scale and bias.
// CHECK: @layer_norm: ok
// REF: (layer_norm(x0, x1, x2, 2, 1e-5), layer_norm(x0, x3, None, 1, 1e-3))
func.func @layer_norm(%x: tensor<2x3x6xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>, %s2: tensor<3x6xf32>) -> (tensor<2x3x6xf32>, tensor<2x3x6xf32>) {
  %0 = graph.layer_norm %x, %s, %b {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x3x6xf32>
  %1 = graph.layer_norm %x, %s2 {axis = 1 : i64, epsilon = 1.0e-3 : f32} : (tensor<2x3x6xf32>, tensor<3x6xf32>) -> tensor<2x3x6xf32>
  return %0, %1 : tensor<2x3x6xf32>, tensor<2x3x6xf32>
}

// Frozen gains (constants): only the input gets a cotangent.
// CHECK: @layer_norm_input_only: ok
// REF: layer_norm(x0, np.array([1.0, 2.0, -1.0, 0.5]), np.array([0.1, 0.2, 0.3, 0.4]), 1, 1e-12)
func.func @layer_norm_input_only(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %s = graph.constant dense<[1.0, 2.0, -1.0, 0.5]> : tensor<4xf32>
  %b = graph.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %0 = graph.layer_norm %x, %s, %b {axis = 1 : i64, epsilon = 1.0e-12 : f32} : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @rms_norm: ok
// REF: (rms_norm(x0, x1, 2, 1e-6), rms_norm(x0, np.full(6, 2.0), 1, 1e-6))
func.func @rms_norm(%x: tensor<2x3x6xf32>, %s: tensor<6xf32>) -> (tensor<2x3x6xf32>, tensor<2x3x6xf32>) {
  %c = graph.constant dense<2.0> : tensor<6xf32>
  %0 = graph.rms_norm %x, %s {axis = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x3x6xf32>, tensor<6xf32>) -> tensor<2x3x6xf32>
  %1 = graph.rms_norm %x, %c {axis = 1 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x3x6xf32>, tensor<6xf32>) -> tensor<2x3x6xf32>
  return %0, %1 : tensor<2x3x6xf32>, tensor<2x3x6xf32>
}

// CHECK: 5 functions, 0 failed
