// The verifier of graph.scatter_add: one clear error per mistake.
// RUN: zo-opt %s -split-input-file -verify-diagnostics

func.func @axis(%t: tensor<10x4xf32>, %ids: tensor<3xi64>, %u: tensor<3x4xf32>) -> tensor<10x4xf32> {
  // expected-error @+1 {{'graph.scatter_add' op axis 2 is out of range for rank 2}}
  %0 = graph.scatter_add %t, %ids, %u {axis = 2 : i64} : (tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf32>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @updates_shape(%t: tensor<10x4xf32>, %ids: tensor<2x3xi64>, %u: tensor<6x4xf32>) -> tensor<10x4xf32> {
  // expected-error @+1 {{'graph.scatter_add' op updates must be 'tensor<2x3x4xf32>' (gather's result type), got 'tensor<6x4xf32>'}}
  %0 = graph.scatter_add %t, %ids, %u : (tensor<10x4xf32>, tensor<2x3xi64>, tensor<6x4xf32>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @updates_type(%t: tensor<10x4xf32>, %ids: tensor<3xi64>, %u: tensor<3x4xf16>) -> tensor<10x4xf32> {
  // expected-error @+1 {{'graph.scatter_add' op updates must be 'tensor<3x4xf32>' (gather's result type), got 'tensor<3x4xf16>'}}
  %0 = graph.scatter_add %t, %ids, %u : (tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf16>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @result_type(%t: tensor<10x4xf32>, %ids: tensor<3xi64>, %u: tensor<3x4xf32>) -> tensor<10x5xf32> {
  // expected-error @+1 {{'graph.scatter_add' op failed to verify that all of {data, output} have same type}}
  %0 = graph.scatter_add %t, %ids, %u : (tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf32>) -> tensor<10x5xf32>
  return %0 : tensor<10x5xf32>
}

// -----

func.func @index_range(%t: tensor<10x4xf32>, %u: tensor<3x4xf32>) -> tensor<10x4xf32> {
  %ids = graph.constant dense<[0, -10, 10]> : tensor<3xi64>
  // expected-error @+1 {{'graph.scatter_add' op index 10 is out of range for 10 rows}}
  %0 = graph.scatter_add %t, %ids, %u : (tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf32>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @int_data(%t: tensor<10x4xi64>, %ids: tensor<3xi64>, %u: tensor<3x4xi64>) -> tensor<10x4xi64> {
  // expected-error @+1 {{'graph.scatter_add' op operand #0 must be ranked tensor of floating-point values}}
  %0 = graph.scatter_add %t, %ids, %u : (tensor<10x4xi64>, tensor<3xi64>, tensor<3x4xi64>) -> tensor<10x4xi64>
  return %0 : tensor<10x4xi64>
}
