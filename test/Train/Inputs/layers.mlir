// A graph-stage model with two numbered layers and a head, named like a
// torch.onnx export: layer 1's weight has an anonymous ONNX name and only
// its node's scope tells its module. For the block-wise ZO tests.
func.func @forward(%x: tensor<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %w0: tensor<3x3xf32> {zo.name = "model.layers.0.fc.weight", zo.role = "param"},
                   %b0: tensor<3xf32> {zo.name = "model.layers.0.fc.bias", zo.role = "param"},
                   %g0: tensor<3xf32> {zo.name = "model.layers.0.norm.weight", zo.role = "param"},
                   %w1: tensor<3x3xf32> {zo.name = "onnx::MatMul_7", zo.role = "param"},
                   %h: tensor<3x1xf32> {zo.name = "model.head.weight", zo.role = "param"})
    -> tensor<f32> {
  %a = graph.matmul %x, %w0 : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32> loc("/model/layers.0/fc/MatMul")
  %y0 = graph.add %a, %b0 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32> loc("/model/layers.0/fc/Add")
  %n0 = graph.mul %y0, %g0 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32> loc("/model/layers.0/norm/Mul")
  %y1 = graph.matmul %n0, %w1 : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32> loc("/model/layers.1/fc/MatMul")
  %o = graph.matmul %y1, %h : (tensor<2x3xf32>, tensor<3x1xf32>) -> tensor<2x1xf32> loc("/model/head/MatMul")
  %sq = graph.mul %o, %o : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %l = graph.reduce_mean %sq {axes = array<i64>, keepdims = false} : tensor<2x1xf32> -> tensor<f32>
  return %l : tensor<f32>
}
