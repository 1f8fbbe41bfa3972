// graph.rms_norm's optional statistics result: none or the per-row inverse
// root mean square, in the input's shape with the normalized dimensions 1,
// f32 for narrower floats.
// RUN: zo-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @inv_rms(
// CHECK: %{{.*}}, %{{.*}} = graph.rms_norm %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>)
func.func @inv_rms(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>) {
  %y, %r = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>)
  return %y, %r : tensor<2x3x4xf32>, tensor<2x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @inv_rms_bf16(
// CHECK: (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xf32>)
func.func @inv_rms_bf16(%x: tensor<2x4xbf16>, %s: tensor<4xbf16>) -> tensor<2x1xf32> {
  %y, %r = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xf32>)
  return %r : tensor<2x1xf32>
}

// -----

func.func @two_stats(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{statistics (inv_rms) must be one result of type 'tensor<2x1xf32>', got 2 of types 'tensor<2x1xf32>', 'tensor<2x1xf32>'}}
  %y, %r:2 = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %r#0 : tensor<2x1xf32>
}

// -----

func.func @inv_rms_shape(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{statistics (inv_rms) must be one result of type 'tensor<2x1xf32>', got 1 of types 'tensor<2xf32>'}}
  %y, %r = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2xf32>)
  return %r : tensor<2xf32>
}

// -----

func.func @inv_rms_bf16_type(%x: tensor<2x4xbf16>, %s: tensor<4xbf16>) -> tensor<2x1xbf16> {
  // expected-error @+1 {{statistics (inv_rms) must be one result of type 'tensor<2x1xf32>'}}
  %y, %r = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xbf16>)
  return %r : tensor<2x1xbf16>
}
