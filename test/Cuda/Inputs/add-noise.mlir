// A perturbed 8 x 64 parameter, p + alpha z (noise.mlir shows the generic
// convert-train-to-linalg makes: [8, 1, 16, 4] iterations, lane innermost).
func.func @perturb(%p: tensor<8x64xf32>, %seed: tensor<i64>, %alpha: tensor<f32>) -> tensor<8x64xf32> {
  %y = train.add_noise %p, %seed, %alpha {param_id = 0 : i64} : tensor<8x64xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<8x64xf32>
}
