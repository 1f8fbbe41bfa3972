// Errors of the forward-mode driver and of zo-test-jvp: one clear error
// each, at the op that needs a derivative.
// RUN: zo-opt %s -split-input-file --zo-test-jvp -verify-diagnostics
// RUN: not zo-opt %s -split-input-file --zo-test-jvp=directions=0 2>&1 | FileCheck %s --check-prefix=DIRS

// DIRS: error: zo-test-jvp: directions must be >= 1, got 0

// An op without a JVP rule, on a value that depends on an argument.
func.func @no_rule(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{no JVP (forward-mode derivative) rule for 'arith.addf'; it is needed because an operand depends on a differentiated argument}}
  %0 = arith.addf %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The same op on values that depend on no argument needs no rule.
func.func @no_rule_needed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<1.0> : tensor<4xf32>
  %0 = arith.addf %c, %c : tensor<4xf32>
  %1 = graph.mul %x, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// An op of another dialect: the error names it.
func.func @other_dialect(%x: tensor<4xf32>, %seed: tensor<i64>, %a: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{no JVP (forward-mode derivative) rule for 'train.add_noise'}}
  %0 = train.add_noise %x, %seed, %a {param_id = 0 : i64} : tensor<4xf32>, tensor<i64>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @exists(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
// expected-error @+1 {{zo-test-jvp: @exists_jvp exists already}}
func.func @exists_jvp(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
