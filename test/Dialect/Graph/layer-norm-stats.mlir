// graph.layer_norm's optional statistics results (ONNX's Mean and
// InvStdDev outputs): none or both, in the input's shape with the
// normalized dimensions 1, f32 for narrower floats.
// RUN: zo-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @stats(
// CHECK: %{{.*}}, %{{.*}}:2 = graph.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
func.func @stats(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>) {
  %y, %stats:2 = graph.layer_norm %x, %s, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y, %stats#1 : tensor<2x3x4xf32>, tensor<2x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @stats_bf16(
// CHECK: (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xf32>, tensor<2x1xf32>)
func.func @stats_bf16(%x: tensor<2x4xbf16>, %s: tensor<4xbf16>) -> tensor<2x1xf32> {
  %y, %stats:2 = graph.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %stats#0 : tensor<2x1xf32>
}

// -----

func.func @one_stat(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{statistics (mean, inv_std_dev) must be two results of type 'tensor<2x1xf32>', got 1 of types 'tensor<2x1xf32>'}}
  %y, %m = graph.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>)
  return %m : tensor<2x1xf32>
}

// -----

func.func @stats_shape(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{statistics (mean, inv_std_dev) must be two results of type 'tensor<2x1xf32>', got 2 of types 'tensor<2xf32>', 'tensor<2xf32>'}}
  %y, %stats:2 = graph.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>)
  return %stats#0 : tensor<2xf32>
}

// -----

func.func @stats_bf16_type(%x: tensor<2x4xbf16>, %s: tensor<4xbf16>) -> tensor<2x1xbf16> {
  // expected-error @+1 {{statistics (mean, inv_std_dev) must be two results of type 'tensor<2x1xf32>'}}
  %y, %stats:2 = graph.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xbf16>, tensor<4xbf16>) -> (tensor<2x4xbf16>, tensor<2x1xbf16>, tensor<2x1xbf16>)
  return %stats#0 : tensor<2x1xbf16>
}
