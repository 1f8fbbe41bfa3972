// Errors of the reverse-mode driver and of zo-test-vjp: one clear error
// each, at the op that needs a derivative.
// RUN: zo-opt %s -split-input-file --zo-test-vjp -verify-diagnostics

// An op without a VJP rule between an argument and a result.
func.func @no_rule(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{no VJP (reverse-mode derivative) rule for 'arith.addf'; it is needed because an operand depends on a differentiated argument and a result on the seeded results}}
  %0 = arith.addf %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The same op off the path from the arguments to the results needs no
// rule: on constants only, or on an argument but feeding no result.
func.func @no_rule_needed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<1.0> : tensor<4xf32>
  %0 = arith.addf %c, %c : tensor<4xf32>
  %1 = arith.mulf %x, %x : tensor<4xf32>
  %2 = graph.mul %x, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// An op of another dialect: the error names it.
func.func @other_dialect(%x: tensor<4xf32>, %seed: tensor<i64>, %a: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{no VJP (reverse-mode derivative) rule for 'train.add_noise'}}
  %0 = train.add_noise %x, %seed, %a {param_id = 0 : i64} : tensor<4xf32>, tensor<i64>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @exists(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
// expected-error @+1 {{zo-test-vjp: @exists_vjp exists already}}
func.func @exists_vjp(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// layer_norm's statistics are residuals for its own backward pass, not
// differentiable results: a function that returns one gets an error.
func.func @layer_norm_stats(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op has no VJP rule for its mean / inv_std_dev results}}
  %y, %stats:2 = graph.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y, %stats#0 : tensor<2x4xf32>, tensor<2x1xf32>
}

// -----

// rms_norm's inv_rms and the cross entropy's log_sum_exp are residuals too.
func.func @rms_norm_stats(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>) {
  // expected-error @+1 {{'graph.rms_norm' op has no VJP rule for its inv_rms result}}
  %y, %r = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>)
  return %y, %r : tensor<2x4xf32>, tensor<2x1xf32>
}

// -----

func.func @sce_log_sum_exp(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>) {
  // expected-error @+1 {{'graph.softmax_cross_entropy_loss' op has no VJP rule for its log_sum_exp result}}
  %l, %lse = graph.softmax_cross_entropy_loss %s, %y : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>)
  return %l, %lse : tensor<f32>, tensor<4x1xf32>
}
