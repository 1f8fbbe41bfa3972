// RUN: zo-opt %s --canonicalize --split-input-file | FileCheck %s

// Shape arithmetic as exported by torch folds to a constant.
// CHECK-LABEL: func.func @shape_chain
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[2, 8, 4, 8]> : tensor<4xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_chain(%x: tensor<2x8x32xf32>) -> tensor<4xi64> {
  %s = graph.shape %x : tensor<2x8x32xf32> -> tensor<3xi64>
  %c = graph.constant dense<[0, 1]> : tensor<2xi64>
  %g = graph.gather %s, %c {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  %h = graph.constant dense<[4, 8]> : tensor<2xi64>
  %cc = graph.concat %g, %h {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %cc : tensor<4xi64>
}

// -----

// Squeeze/Unsqueeze canonicalize to reshape and a reshape chain collapses.
// CHECK-LABEL: func.func @views
// CHECK-NEXT: %[[R:.*]] = graph.reshape %arg0 : tensor<2x8x32xf32> -> tensor<2x8x4x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @views(%x: tensor<2x8x32xf32>) -> tensor<2x8x4x8xf32> {
  %r = graph.reshape %x : tensor<2x8x32xf32> -> tensor<2x8x4x8xf32>
  %u = graph.unsqueeze %r {axes = array<i64: 0>} : tensor<2x8x4x8xf32> -> tensor<1x2x8x4x8xf32>
  %q = graph.squeeze %u {axes = array<i64: 0>} : tensor<1x2x8x4x8xf32> -> tensor<2x8x4x8xf32>
  return %q : tensor<2x8x4x8xf32>
}
