// An 8-layer ReLU MLP (2 x 64 activations, 64 x 64 weights) with a
// mean-square loss: weight gradients (16 KiB each) dwarf activations
// (512 B), so the fused backward update's peak is computable by hand
// (test/Train/fo-memory.test).
func.func @forward(%x: tensor<2x64xf32> {zo.name = "x", zo.role = "input"},
    %w0: tensor<64x64xf32> {zo.name = "w0", zo.role = "param"},
    %w1: tensor<64x64xf32> {zo.name = "w1", zo.role = "param"},
    %w2: tensor<64x64xf32> {zo.name = "w2", zo.role = "param"},
    %w3: tensor<64x64xf32> {zo.name = "w3", zo.role = "param"},
    %w4: tensor<64x64xf32> {zo.name = "w4", zo.role = "param"},
    %w5: tensor<64x64xf32> {zo.name = "w5", zo.role = "param"},
    %w6: tensor<64x64xf32> {zo.name = "w6", zo.role = "param"},
    %w7: tensor<64x64xf32> {zo.name = "w7", zo.role = "param"})
    -> (tensor<f32> {zo.name = "loss"}) {
  %m0 = graph.matmul %x, %w0 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h0 = graph.relu %m0 : tensor<2x64xf32>
  %m1 = graph.matmul %h0, %w1 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h1 = graph.relu %m1 : tensor<2x64xf32>
  %m2 = graph.matmul %h1, %w2 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h2 = graph.relu %m2 : tensor<2x64xf32>
  %m3 = graph.matmul %h2, %w3 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h3 = graph.relu %m3 : tensor<2x64xf32>
  %m4 = graph.matmul %h3, %w4 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h4 = graph.relu %m4 : tensor<2x64xf32>
  %m5 = graph.matmul %h4, %w5 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h5 = graph.relu %m5 : tensor<2x64xf32>
  %m6 = graph.matmul %h5, %w6 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h6 = graph.relu %m6 : tensor<2x64xf32>
  %m7 = graph.matmul %h6, %w7 : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  %h7 = graph.relu %m7 : tensor<2x64xf32>
  %sq = graph.mul %h7, %h7 : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %loss = graph.reduce_mean %sq {axes = array<i64>, keepdims = false} : tensor<2x64xf32> -> tensor<f32>
  return %loss : tensor<f32>
}
