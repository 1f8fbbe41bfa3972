// RUN: zo-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @roundtrip
// CHECK: train.add_noise %arg0, %arg1, %arg2 {param_id = 3 : i64} : tensor<4x8xf32>, tensor<i64>, tensor<f32>
// CHECK: train.normal %arg1 {param_id = 1 : i64, stream = 2 : i64} : tensor<i64> -> tensor<16xf32>
func.func @roundtrip(%w: tensor<4x8xf32>, %seed: tensor<i64>, %eps: tensor<f32>) -> (tensor<4x8xf32>, tensor<16xf32>) {
  %wp = train.add_noise %w, %seed, %eps {param_id = 3 : i64} : tensor<4x8xf32>, tensor<i64>, tensor<f32>
  %z = train.normal %seed {param_id = 1 : i64, stream = 2 : i64} : tensor<i64> -> tensor<16xf32>
  return %wp, %z : tensor<4x8xf32>, tensor<16xf32>
}

// -----

func.func @f16_noise(%seed: tensor<i64>) -> tensor<4xf16> {
  // expected-error @+1 {{noise is generated as f32, not 'f16'}}
  %z = train.normal %seed {param_id = 0 : i64} : tensor<i64> -> tensor<4xf16>
  return %z : tensor<4xf16>
}

// -----

// add_noise takes bf16 / f16 tensors (arithmetic in f32, one rounding).
// CHECK-LABEL: func.func @bf16_add_noise
// CHECK: train.add_noise %arg0, %arg1, %arg2 {param_id = 0 : i64} : tensor<4xbf16>, tensor<i64>, tensor<f32>
func.func @bf16_add_noise(%w: tensor<4xbf16>, %seed: tensor<i64>, %a: tensor<f32>) -> tensor<4xbf16> {
  %z = train.add_noise %w, %seed, %a {param_id = 0 : i64} : tensor<4xbf16>, tensor<i64>, tensor<f32>
  return %z : tensor<4xbf16>
}

// -----

func.func @f64_add_noise(%w: tensor<4xf64>, %seed: tensor<i64>, %a: tensor<f32>) -> tensor<4xf64> {
  // expected-error @+1 {{takes f32, bf16 or f16 tensors (noise and arithmetic in f32), not 'f64'}}
  %z = train.add_noise %w, %seed, %a {param_id = 0 : i64} : tensor<4xf64>, tensor<i64>, tensor<f32>
  return %z : tensor<4xf64>
}

// -----

func.func @wide_id(%w: tensor<4xf32>, %seed: tensor<i64>, %a: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{param_id and stream must fit in 32 bits}}
  %z = train.add_noise %w, %seed, %a {param_id = 4294967296 : i64} : tensor<4xf32>, tensor<i64>, tensor<f32>
  return %z : tensor<4xf32>
}
