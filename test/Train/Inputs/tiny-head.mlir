// A two-layer graph-stage model for the default SinkGD/SWAN split: h =
// relu(x w1), logits = h w2, loss = mean(logits^2). w2 is the head (its
// product reaches the loss with no other matrix product in between) but,
// as in many exports (GPT-2's `onnx::MatMul_2636`), its name says nothing.
// The hidden state h is also returned: reaching a result other than the
// loss does not make w1 a head.
func.func @forward(%x: tensor<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %w1: tensor<3x4xf32> {zo.name = "w1", zo.role = "param"},
                   %w2: tensor<4x5xf32> {zo.name = "onnx::MatMul_7", zo.role = "param"})
    -> (tensor<f32> {zo.name = "loss"}, tensor<2x4xf32> {zo.name = "h"}) {
  %xw = graph.matmul %x, %w1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %h = graph.relu %xw : tensor<2x4xf32>
  %z = graph.matmul %h, %w2 : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  %sq = graph.mul %z, %z : (tensor<2x5xf32>, tensor<2x5xf32>) -> tensor<2x5xf32>
  %l = graph.reduce_mean %sq {axes = array<i64>, keepdims = false} : tensor<2x5xf32> -> tensor<f32>
  return %l, %h : tensor<f32>, tensor<2x4xf32>
}
