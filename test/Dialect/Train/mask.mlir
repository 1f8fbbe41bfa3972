// RUN: zo-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// The optional sparse mask of the noise ops: a layer mask (the tensor is its
// own domain) and a global one (a slice of a larger domain).
// CHECK-LABEL: func.func @roundtrip
// CHECK: train.add_noise %arg0, %arg1, %arg2 mask(%arg3 : tensor<i64>) {mask_seed = 42 : i64, mask_sparsity = 7.500000e-01 : f64, param_id = 3 : i64} : tensor<4x8xf32>, tensor<i64>, tensor<f32>
// CHECK: train.normal %arg1 mask(%arg3 : tensor<i64>) {mask_domain = 100 : i64, mask_offset = 84 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 1 : i64, stream = 2 : i64} : tensor<i64> -> tensor<16xf32>
// CHECK: train.add_noise %arg0, %arg1, %arg2 mask(%arg3 : tensor<i64>) {mask_sparsity = 0.000000e+00 : f64, param_id = 0 : i64}
func.func @roundtrip(%w: tensor<4x8xf32>, %seed: tensor<i64>, %eps: tensor<f32>, %epoch: tensor<i64>) -> (tensor<4x8xf32>, tensor<16xf32>, tensor<4x8xf32>) {
  %wp = train.add_noise %w, %seed, %eps mask(%epoch : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 0.75 : f64, mask_seed = 42 : i64} : tensor<4x8xf32>, tensor<i64>, tensor<f32>
  %z = train.normal %seed mask(%epoch : tensor<i64>) {param_id = 1 : i64, stream = 2 : i64, mask_sparsity = 0.5 : f64, mask_domain = 100 : i64, mask_offset = 84 : i64} : tensor<i64> -> tensor<16xf32>
  %w0 = train.add_noise %w, %seed, %eps mask(%epoch : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.0 : f64} : tensor<4x8xf32>, tensor<i64>, tensor<f32>
  return %wp, %z, %w0 : tensor<4x8xf32>, tensor<16xf32>, tensor<4x8xf32>
}

// -----

func.func @sparsity_one(%w: tensor<4xf32>, %seed: tensor<i64>, %a: tensor<f32>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{mask_sparsity must be in [0, 1), got 1.000000e+00}}
  %y = train.add_noise %w, %seed, %a mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 1.0 : f64} : tensor<4xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @sparsity_negative(%seed: tensor<i64>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{mask_sparsity must be in [0, 1), got -1.000000e-01}}
  %z = train.normal %seed mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = -0.1 : f64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @no_sparsity(%seed: tensor<i64>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{a mask needs mask_sparsity}}
  %z = train.normal %seed mask(%e : tensor<i64>) {param_id = 0 : i64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @no_operand(%seed: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{mask attributes need a mask(%epoch) operand}}
  %z = train.normal %seed {param_id = 0 : i64, mask_sparsity = 0.5 : f64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @domain_without_offset(%seed: tensor<i64>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{mask_domain and mask_offset come together}}
  %z = train.normal %seed mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.5 : f64, mask_domain = 10 : i64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @outside_domain(%w: tensor<4xf32>, %seed: tensor<i64>, %a: tensor<f32>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{the tensor's 4 elements at mask_offset 7 do not fit in mask_domain 10}}
  %y = train.add_noise %w, %seed, %a mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.5 : f64, mask_domain = 10 : i64, mask_offset = 7 : i64} : tensor<4xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @negative_offset(%seed: tensor<i64>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{the tensor's 4 elements at mask_offset -1 do not fit in mask_domain 10}}
  %z = train.normal %seed mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.5 : f64, mask_domain = 10 : i64, mask_offset = -1 : i64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @huge_domain(%seed: tensor<i64>, %e: tensor<i64>) -> tensor<4xf32> {
  // expected-error @+1 {{mask_domain must be in [0, 2^53], got 9007199254740993}}
  %z = train.normal %seed mask(%e : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.5 : f64, mask_domain = 9007199254740993 : i64, mask_offset = 0 : i64} : tensor<i64> -> tensor<4xf32>
  return %z : tensor<4xf32>
}
