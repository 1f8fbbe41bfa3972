// 800 elements (8x100) of a fused elementwise chain, for block-size tests.
func.func @elementwise(%x: tensor<8x100xf32>, %b: tensor<100xf32>) -> tensor<8x100xf32> {
  %0 = graph.add %x, %b : (tensor<8x100xf32>, tensor<100xf32>) -> tensor<8x100xf32>
  %1 = graph.mul %0, %x : (tensor<8x100xf32>, tensor<8x100xf32>) -> tensor<8x100xf32>
  return %1 : tensor<8x100xf32>
}
