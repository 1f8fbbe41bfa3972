// VJP rules of the reduction ops (lib/Train/Vjp/Reduction.cpp): each
// function's @f_vjp (zo-test-vjp), compiled in float64 and run on random
// inputs and result cotangents w, against the gradient of <w, f(x)> by
// central finite differences of the numpy float64 model on its REF line
// (Inputs/vjp_check.py). The cases are those of jvp-reduction.mlir.
// RUN: %python %S/Inputs/vjp_check.py %s | FileCheck %s

// CHECK: @reduce_sum_mean: ok
// REF: (x0.sum(axis=(0, 2), keepdims=True), x0.mean(axis=1), x0.sum())
func.func @reduce_sum_mean(%x: tensor<2x3x4xf32>) -> (tensor<1x3x1xf32>, tensor<2x4xf32>, tensor<f32>) {
  %0 = graph.reduce_sum %x {axes = array<i64: 0, 2>} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %1 = graph.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %2 = graph.reduce_sum %x {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  return %0, %1, %2 : tensor<1x3x1xf32>, tensor<2x4xf32>, tensor<f32>
}

// CHECK: @reduce_max_min: ok
// REF: (x0.max(axis=2), x0.min(axis=(0, 1), keepdims=True), x0.max())
func.func @reduce_max_min(%x: tensor<2x3x4xf32>) -> (tensor<2x3xf32>, tensor<1x1x4xf32>, tensor<f32>) {
  %0 = graph.reduce_max %x {axes = array<i64: 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %1 = graph.reduce_min %x {axes = array<i64: 0, 1>} : tensor<2x3x4xf32> -> tensor<1x1x4xf32>
  %2 = graph.reduce_max %x {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<1x1x4xf32>, tensor<f32>
}

// Ties split the cotangent evenly over the tied elements (torch's amax
// rule): the two copies of x get half each, which sum back to the full
// cotangent.
// CHECK: @reduce_max_tie: ok
// REF: np.stack([x0, x0], 1).max(axis=1)
func.func @reduce_max_tie(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.unsqueeze %x {axes = array<i64: 1>} : tensor<3x4xf32> -> tensor<3x1x4xf32>
  %1 = graph.concat %0, %0 {axis = 1 : i64} : (tensor<3x1x4xf32>, tensor<3x1x4xf32>) -> tensor<3x2x4xf32>
  %2 = graph.reduce_max %1 {axes = array<i64: 1>, keepdims = false} : tensor<3x2x4xf32> -> tensor<3x4xf32>
  return %2 : tensor<3x4xf32>
}

// CHECK: @reduce_prod: ok
// REF: (x0.prod(axis=1, keepdims=True), x0.prod(axis=(0, 1)))
// GEN: x0=pos
func.func @reduce_prod(%x: tensor<2x3x4xf32>) -> (tensor<2x1x4xf32>, tensor<4xf32>) {
  %0 = graph.reduce_prod %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %1 = graph.reduce_prod %x {axes = array<i64: 0, 1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<4xf32>
  return %0, %1 : tensor<2x1x4xf32>, tensor<4xf32>
}

// CHECK: @cumsum: ok
// REF: (cumsum(x0, 1), cumsum(x0, 2, exclusive=True), cumsum(x0, 1, reverse=True), cumsum(x0, 2, True, True))
func.func @cumsum(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = graph.cumsum %x {axis = 1 : i64} : tensor<2x3x4xf32>
  %1 = graph.cumsum %x {axis = 2 : i64, exclusive = true} : tensor<2x3x4xf32>
  %2 = graph.cumsum %x {axis = 1 : i64, reverse = true} : tensor<2x3x4xf32>
  %3 = graph.cumsum %x {axis = 2 : i64, exclusive = true, reverse = true} : tensor<2x3x4xf32>
  return %0, %1, %2, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// CHECK: 5 functions, 0 failed
