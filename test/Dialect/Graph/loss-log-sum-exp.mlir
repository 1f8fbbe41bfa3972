// graph.softmax_cross_entropy_loss's optional log_sum_exp result: none or
// one, the scores' shape with the class dimension 1, f32 for narrower
// floats; the loss type is still inferred.
// RUN: zo-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @lse(
// CHECK: %{{.*}}, %{{.*}} = graph.softmax_cross_entropy_loss %{{.*}}, %{{.*}} {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>)
func.func @lse(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>) {
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>)
  return %l, %lse : tensor<f32>, tensor<4x1xf32>
}

// -----

// [N, C, d] scores, "none", class weights, bf16: an f32 [N, 1, d] result.
// CHECK-LABEL: func.func @lse_spatial_bf16(
// CHECK: (tensor<2x3x5xbf16>, tensor<2x5xi32>, tensor<3xbf16>) -> (tensor<2x5xbf16>, tensor<2x1x5xf32>)
func.func @lse_spatial_bf16(%s: tensor<2x3x5xbf16>, %y: tensor<2x5xi32>, %w: tensor<3xbf16>) -> tensor<2x1x5xf32> {
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y, %w {reduction = "none"} : (tensor<2x3x5xbf16>, tensor<2x5xi32>, tensor<3xbf16>) -> (tensor<2x5xbf16>, tensor<2x1x5xf32>)
  return %lse : tensor<2x1x5xf32>
}

// -----

func.func @lse_shape(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{log_sum_exp must be one result of type 'tensor<4x1xf32>', got 1 of types 'tensor<4xf32>'}}
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4xf32>)
  return %lse : tensor<4xf32>
}

// -----

func.func @two_lse(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<4x1xf32> {
  // expected-error @+1 {{log_sum_exp must be one result of type 'tensor<4x1xf32>', got 2 of types 'tensor<4x1xf32>', 'tensor<4x1xf32>'}}
  %l, %lse:2 = graph.softmax_cross_entropy_loss %s, %y : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>, tensor<4x1xf32>)
  return %lse#0 : tensor<4x1xf32>
}

// -----

func.func @lse_bf16_type(%s: tensor<4x5xbf16>, %y: tensor<4xi64>) -> tensor<4x1xbf16> {
  // expected-error @+1 {{log_sum_exp must be one result of type 'tensor<4x1xf32>'}}
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y : (tensor<4x5xbf16>, tensor<4xi64>) -> (tensor<bf16>, tensor<4x1xbf16>)
  return %lse : tensor<4x1xbf16>
}

// -----

// The loss type is still checked against the inferred one.
func.func @loss_type(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<f32>' are incompatible with return type(s) of operation 'tensor<4xf32>', 'tensor<4x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<4xf32>, tensor<4x1xf32>)
  return %l : tensor<4xf32>
}
