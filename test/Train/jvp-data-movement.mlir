// JVP rules of the data-movement ops (lib/Train/Jvp/DataMovement.cpp)
// against central finite differences of numpy float64 models
// (Inputs/jvp_check.py).
// RUN: %python %S/Inputs/jvp_check.py %s | FileCheck %s

// CHECK: @views: ok
// REF: (np.transpose(x0, (2, 0, 1)), x0.reshape(6, 4), x0.reshape(2, 12), x1.reshape(2, 4), x1.reshape(2, 1, 1, 4), np.broadcast_to(x2, (2, 3, 4)))
func.func @views(%x: tensor<2x3x4xf32>, %y: tensor<2x1x4xf32>, %z: tensor<3x1xf32>) -> (tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x12xf32>, tensor<2x4xf32>, tensor<2x1x1x4xf32>, tensor<2x3x4xf32>) {
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %2 = graph.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %3 = graph.squeeze %y {axes = array<i64: 1>} : tensor<2x1x4xf32> -> tensor<2x4xf32>
  %4 = graph.unsqueeze %y {axes = array<i64: 2>} : tensor<2x1x4xf32> -> tensor<2x1x1x4xf32>
  %5 = graph.expand %z : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x12xf32>, tensor<2x4xf32>, tensor<2x1x1x4xf32>, tensor<2x3x4xf32>
}

// An embedding lookup (negative indices count from the end) and a
// rank-reducing gather of token 0 along axis 1.
// CHECK: @gather: ok
// REF: (np.take(x0, x1, axis=0), np.take(x2, 0, axis=1))
// GEN: x1=np.array([[0, 4, -1], [2, 2, -5]])
func.func @gather(%table: tensor<5x3xf32>, %ids: tensor<2x3xi64>, %h: tensor<2x4x3xf32>) -> (tensor<2x3x3xf32>, tensor<2x3xf32>) {
  %zero = graph.constant dense<0> : tensor<i64>
  %0 = graph.gather %table, %ids : (tensor<5x3xf32>, tensor<2x3xi64>) -> tensor<2x3x3xf32>
  %1 = graph.gather %h, %zero {axis = 1 : i64} : (tensor<2x4x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3x3xf32>, tensor<2x3xf32>
}

// An input without a tangent (a constant) contributes zeros.
// CHECK: @concat: ok
// REF: (np.concatenate([x0, x1], axis=1), np.concatenate([x0, np.ones((2, 2)), x0], axis=1))
func.func @concat(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> (tensor<2x4xf32>, tensor<2x8xf32>) {
  %c = graph.constant dense<1.0> : tensor<2x2xf32>
  %0 = graph.concat %x, %y {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %1 = graph.concat %x, %c, %x {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x3xf32>) -> tensor<2x8xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<2x8xf32>
}

// RoPE's halves, a strided slice and a negative step.
// CHECK: @slice: ok
// REF: (x0[:, :, 4:], x0[:, 1:3, 0:8:3], x0[:, ::-1, 6:1:-2])
func.func @slice(%x: tensor<2x3x8xf32>) -> (tensor<2x3x4xf32>, tensor<2x2x3xf32>, tensor<2x3x3xf32>) {
  %0 = graph.slice %x {starts = array<i64: 0, 0, 4>, ends = array<i64: 2, 3, 8>, steps = array<i64: 1, 1, 1>} : tensor<2x3x8xf32> -> tensor<2x3x4xf32>
  %1 = graph.slice %x {starts = array<i64: 0, 1, 0>, ends = array<i64: 2, 3, 8>, steps = array<i64: 1, 1, 3>} : tensor<2x3x8xf32> -> tensor<2x2x3xf32>
  %2 = graph.slice %x {starts = array<i64: 0, 2, 6>, ends = array<i64: 2, -1, 1>, steps = array<i64: 1, -1, -2>} : tensor<2x3x8xf32> -> tensor<2x3x3xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x2x3xf32>, tensor<2x3x3xf32>
}

// GPT-2's fused QKV split.
// CHECK: @split: ok
// REF: tuple(np.split(x0, [2, 5], axis=2))
func.func @split(%x: tensor<2x3x9xf32>) -> (tensor<2x3x2xf32>, tensor<2x3x3xf32>, tensor<2x3x4xf32>) {
  %0:3 = graph.split %x {axis = 2 : i64, sizes = array<i64: 2, 3, 4>} : tensor<2x3x9xf32> -> tensor<2x3x2xf32>, tensor<2x3x3xf32>, tensor<2x3x4xf32>
  return %0#0, %0#1, %0#2 : tensor<2x3x2xf32>, tensor<2x3x3xf32>, tensor<2x3x4xf32>
}

// CHECK: @trilu: ok
// REF: (np.triu(x0), np.tril(x0, -1), np.triu(x0, 2))
func.func @trilu(%x: tensor<2x4x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>) {
  %0 = graph.trilu %x : tensor<2x4x5xf32>
  %1 = graph.trilu %x {upper = false, k = -1 : i64} : tensor<2x4x5xf32>
  %2 = graph.trilu %x {k = 2 : i64} : tensor<2x4x5xf32>
  return %0, %1, %2 : tensor<2x4x5xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>
}

// shape has a float operand but no tangent; a float range is affine in
// start and delta (limit only fixes its length).
// CHECK: @shape_range: ok
// REF: (x0 * np.array([3.0, 2.0]), x1 + np.arange(5) * x3)
// GEN: x2=np.array(100.0)
func.func @shape_range(%x: tensor<3x2xf32>, %start: tensor<f32>, %limit: tensor<f32>, %delta: tensor<f32>) -> (tensor<3x2xf32>, tensor<5xf32>) {
  %s = graph.shape %x : tensor<3x2xf32> -> tensor<2xi64>
  %f = graph.cast %s : tensor<2xi64> -> tensor<2xf32>
  %0 = graph.mul %x, %f : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = graph.range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<5xf32>
}

// scatter_add (gather's transpose; np.add.at): an embedding-gradient shape
// with repeated and negative indices, and a middle axis into a constant.
// CHECK: @scatter_add: ok
// REF: (scatter_add(x0, x1, x2, 0), scatter_add(np.ones((2, 4, 3)), np.array([[3, -1], [0, 3]]), x3, 1))
// GEN: x1=np.array([[0, 4, -1], [2, 2, -5]])
func.func @scatter_add(%table: tensor<5x3xf32>, %ids: tensor<2x3xi64>, %dy: tensor<2x3x3xf32>, %u: tensor<2x2x2x3xf32>) -> (tensor<5x3xf32>, tensor<2x4x3xf32>) {
  %ones = graph.constant dense<1.0> : tensor<2x4x3xf32>
  %mid = graph.constant dense<[[3, -1], [0, 3]]> : tensor<2x2xi64>
  %0 = graph.scatter_add %table, %ids, %dy : (tensor<5x3xf32>, tensor<2x3xi64>, tensor<2x3x3xf32>) -> tensor<5x3xf32>
  %1 = graph.scatter_add %ones, %mid, %u {axis = 1 : i64} : (tensor<2x4x3xf32>, tensor<2x2xi64>, tensor<2x2x2x3xf32>) -> tensor<2x4x3xf32>
  return %0, %1 : tensor<5x3xf32>, tensor<2x4x3xf32>
}

// CHECK: 8 functions, 0 failed
