// A graph-stage model for the zo-zeroth-order tests: y = x w + b, loss =
// mean(y^2); w is a weight (rank 2), b a bias (rank 1).
func.func @forward(%x: tensor<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %w: tensor<3x4xf32> {zo.name = "w", zo.role = "param"},
                   %b: tensor<4xf32> {zo.name = "b", zo.role = "param"})
    -> (tensor<f32> {zo.name = "loss"}, tensor<2x4xf32> {zo.name = "y"}) {
  %xw = graph.matmul %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %y = graph.add %xw, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %sq = graph.mul %y, %y : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %l = graph.reduce_mean %sq {axes = array<i64>, keepdims = false} : tensor<2x4xf32> -> tensor<f32>
  return %l, %y : tensor<f32>, tensor<2x4xf32>
}
