// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics

// Shapes must be static after import; the error names the ONNX node.
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{cannot lower 'graph.exp' to linalg: every shape must be static}}
  %0 = graph.exp %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// exp of an integer tensor has no lowering.
func.func @int_exp(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+2 {{cannot lower 'graph.exp' to linalg: needs a floating-point element type}}
  // expected-error @+1 {{failed to legalize operation 'graph.exp'}}
  %0 = graph.exp %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
