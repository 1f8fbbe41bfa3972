// Returns every argument: each result is copied into its out-param.
func.func @forward(%f: tensor<3x4xf32> {zo.name = "f"}, %d: tensor<5xf64> {zo.name = "d"},
                   %l: tensor<2x2x2xi64> {zo.name = "l"}, %i: tensor<7xi32> {zo.name = "i"},
                   %b: tensor<3x3xi1> {zo.name = "b"}, %s: tensor<f32> {zo.name = "s"})
    -> (tensor<3x4xf32> {zo.name = "f"}, tensor<5xf64> {zo.name = "d"},
        tensor<2x2x2xi64> {zo.name = "l"}, tensor<7xi32> {zo.name = "i"},
        tensor<3x3xi1> {zo.name = "b"}, tensor<f32> {zo.name = "s"}) {
  return %f, %d, %l, %i, %b, %s : tensor<3x4xf32>, tensor<5xf64>, tensor<2x2x2xi64>,
                                  tensor<7xi32>, tensor<3x3xi1>, tensor<f32>
}
