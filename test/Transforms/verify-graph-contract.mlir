// RUN: zo-opt %s --zo-verify-graph-contract --split-input-file --verify-diagnostics

func.func @ok(%x: tensor<2x8xf32> {zo.name = "x", zo.role = "input"}) -> tensor<2x8xf32> {
  %y = graph.relu %x : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// expected-error @+1 {{graph contract: argument #0 has a dynamic shape}}
func.func @dynamic(%x: tensor<?x8xf32> {zo.name = "x", zo.role = "input"}) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{graph contract: argument #0 lacks zo.name/zo.role}}
func.func @unnamed(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

func.func @unfolded(%x: tensor<2x8xf32> {zo.name = "x", zo.role = "input"}) -> tensor<2xi64> {
  // expected-error @+1 {{graph contract: shape computation was not folded away}}
  %s = graph.shape %x : tensor<2x8xf32> -> tensor<2xi64>
  return %s : tensor<2xi64>
}

// -----

func.func @foreign(%x: tensor<2xf32> {zo.name = "x", zo.role = "input"}) -> tensor<2xf32> {
  // expected-error @+1 {{graph contract: op 'arith.addf' is not part of the graph stage}}
  %y = arith.addf %x, %x : tensor<2xf32>
  return %y : tensor<2xf32>
}
