// VJP rules of the elementwise ops (lib/Train/Vjp/Elementwise.cpp): each
// function's @f_vjp (zo-test-vjp), compiled in float64 and run on random
// inputs and result cotangents w, against the gradient of <w, f(x)> by
// central finite differences of the numpy float64 model on its REF line
// (Inputs/vjp_check.py). The cases are those of jvp-elementwise.mlir, plus
// reverse-mode ones (fan-out, broadcasting) at the end.
// RUN: %python %S/Inputs/vjp_check.py %s | FileCheck %s

// CHECK: @neg: ok
// REF: -x0
func.func @neg(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.neg %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @abs: ok
// REF: np.abs(x0)
func.func @abs(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.abs %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @exp: ok
// REF: np.exp(x0)
func.func @exp(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.exp %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @log: ok
// REF: np.log(x0)
// GEN: x0=pos
func.func @log(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.log %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @sqrt: ok
// REF: np.sqrt(x0)
// GEN: x0=pos
func.func @sqrt(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.sqrt %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @reciprocal: ok
// REF: 1 / x0
// GEN: x0=pos
func.func @reciprocal(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.reciprocal %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @erf: ok
// REF: erf(x0)
func.func @erf(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.erf %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @tanh: ok
// REF: np.tanh(x0)
func.func @tanh(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.tanh %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @sigmoid: ok
// REF: sigmoid(x0)
func.func @sigmoid(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.sigmoid %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @relu: ok
// REF: relu(x0)
func.func @relu(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.relu %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @sin: ok
// REF: np.sin(x0)
func.func @sin(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.sin %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK: @cos: ok
// REF: np.cos(x0)
func.func @cos(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.cos %x : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// identity and inference dropout pass the cotangent through; multiplying
// by x keeps them from folding away before the VJP is built.
// CHECK: @identity_dropout: ok
// REF: x0 * x0 * x0
func.func @identity_dropout(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.identity %x : tensor<3x4xf32>
  %1 = graph.dropout %x {ratio = 0.1 : f32} : tensor<3x4xf32>
  %2 = graph.mul %0, %1 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %3 = graph.mul %2, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %3 : tensor<3x4xf32>
}

// CHECK: @silu: ok
// REF: silu(3 * x0)
func.func @silu(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %c = graph.constant dense<3.0> : tensor<f32>
  %0 = graph.mul %x, %c : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %1 = graph.silu %0 : tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// CHECK: @gelu_erf: ok
// REF: gelu(2 * x0)
func.func @gelu_erf(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %c = graph.constant dense<2.0> : tensor<f32>
  %0 = graph.mul %x, %c : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %1 = graph.gelu %0 : tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// CHECK: @gelu_tanh: ok
// REF: gelu_tanh(2 * x0)
func.func @gelu_tanh(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %c = graph.constant dense<2.0> : tensor<f32>
  %0 = graph.mul %x, %c : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %1 = graph.gelu %0 {approximate = "tanh"} : tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// A float cast carries the cotangent back; an integer argument cast to
// float gets none (stop-gradient).
// CHECK: @cast: ok
// REF: (x0 * x0 * x1, x0 * 2)
// GEN: x1=rng.integers(-3, 4, (3, 4))
func.func @cast(%x: tensor<3x4xf32>, %i: tensor<3x4xi64>) -> (tensor<3x4xf64>, tensor<3x4xf32>) {
  %0 = graph.cast %x : tensor<3x4xf32> -> tensor<3x4xf64>
  %1 = graph.mul %0, %0 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  %2 = graph.cast %i : tensor<3x4xi64> -> tensor<3x4xf64>
  %3 = graph.mul %1, %2 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  %4 = graph.add %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %3, %4 : tensor<3x4xf64>, tensor<3x4xf32>
}

// Broadcasting: a [4] operand against [3, 4], a [3, 1] against [3, 4]: the
// cotangents are summed back to each operand's shape; a constant operand
// gets none.
// CHECK: @add_sub: ok
// REF: (x0 + x1, x0 - x2, x1 + np.array([[1.0], [2.0], [3.0]]))
func.func @add_sub(%x: tensor<3x4xf32>, %y: tensor<4xf32>, %z: tensor<3x1xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %c = graph.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %0 = graph.add %x, %y : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %1 = graph.sub %x, %z : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %2 = graph.add %y, %c : (tensor<4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// CHECK: @mul_div: ok
// REF: (x0 * x1, x0 / x2, x1 / x2)
// GEN: x2=pos
func.func @mul_div(%x: tensor<3x4xf32>, %y: tensor<4xf32>, %z: tensor<3x1xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %0 = graph.mul %x, %y : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %1 = graph.div %x, %z : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %2 = graph.div %y, %z : (tensor<4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// Constant exponents (the x^2 of variances, x^3 of tanh-GELU) and a
// tensor exponent (both gradients).
// CHECK: @pow: ok
// REF: (x0 ** 2, x0 ** 3, x1 ** x2)
// GEN: x1=pos
func.func @pow(%x: tensor<3x4xf32>, %a: tensor<3x4xf32>, %p: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %two = graph.constant dense<2.0> : tensor<f32>
  %three = graph.constant dense<3.0> : tensor<f32>
  %0 = graph.pow %x, %two : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %1 = graph.pow %x, %three : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %2 = graph.pow %a, %p : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// CHECK: @max_min: ok
// REF: (np.maximum(x0, x1), np.minimum(x0, x1), np.maximum(x0, 0.25))
func.func @max_min(%x: tensor<3x4xf32>, %y: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %q = graph.constant dense<0.25> : tensor<f32>
  %0 = graph.max %x, %y : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %1 = graph.min %x, %y : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %2 = graph.max %x, %q : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// Ties split the cotangent evenly (torch's rule): both halves of max(x, x)
// go to x, whose gradient is the full cotangent.
// CHECK: @max_tie: ok
// REF: np.maximum(x0, x0) + np.minimum(x0, x0)
func.func @max_tie(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.max %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %1 = graph.min %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %2 = graph.add %0, %1 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %2 : tensor<3x4xf32>
}

// where with a boolean argument, and with the additive attention-mask
// pattern (a constant branch: only the other one gets a cotangent).
// CHECK: @where: ok
// REF: (np.where(x0, x1, x2), np.where(x0, x1, -1e4))
// GEN: x0=bool
func.func @where(%c: tensor<3x4xi1>, %x: tensor<3x4xf32>, %y: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %m = graph.constant dense<-1.0e4> : tensor<f32>
  %0 = graph.where %c, %x, %y : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %1 = graph.where %c, %x, %m : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<3x4xf32>
}

// Comparisons of float operands are piecewise constant: no cotangent flows
// through them.
// CHECK: @compare: ok
// REF: x0 * (1.0 * (x0 < x1) + (x0 <= x1) + (x0 > x1) + 2 * (x0 >= x1) + (x0 == x0))
func.func @compare(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.less %x, %y : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
  %1 = graph.less_equal %x, %y : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
  %2 = graph.greater %x, %y : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
  %3 = graph.greater_equal %x, %y : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
  %4 = graph.equal %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
  %f0 = graph.cast %0 : tensor<3x4xi1> -> tensor<3x4xf32>
  %f1 = graph.cast %1 : tensor<3x4xi1> -> tensor<3x4xf32>
  %f2 = graph.cast %2 : tensor<3x4xi1> -> tensor<3x4xf32>
  %f3 = graph.cast %3 : tensor<3x4xi1> -> tensor<3x4xf32>
  %f4 = graph.cast %4 : tensor<3x4xi1> -> tensor<3x4xf32>
  %s0 = graph.add %f0, %f1 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %s1 = graph.add %s0, %f2 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %s2 = graph.add %s1, %f3 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %s3 = graph.add %s2, %f3 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %s4 = graph.add %s3, %f4 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %r = graph.mul %x, %s4 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// Reverse mode: a value with several uses sums their contributions
// (fan-out), both operands broadcast ([3, 1] against [1, 4]), and an
// argument no result depends on gets a zero gradient.
// CHECK: @fan_out: ok
// REF: (x0 * x0 + np.sin(x0) * x1, x2 * x3 + x2, x1 * 0 + 1.0)
func.func @fan_out(%x: tensor<3x4xf32>, %y: tensor<4xf32>, %a: tensor<3x1xf32>, %b: tensor<1x4xf32>, %unused: tensor<2xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) {
  %0 = graph.mul %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %1 = graph.sin %x : tensor<3x4xf32>
  %2 = graph.mul %1, %y : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %3 = graph.add %0, %2 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %4 = graph.mul %a, %b : (tensor<3x1xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %5 = graph.add %4, %a : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %one = graph.constant dense<1.0> : tensor<4xf32>
  return %3, %5, %one : tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>
}

// A size-1 dimension between broadcast ones sums over the middle of the
// result ([2, 1, 4] against [2, 3, 4], and [3, 1] inside [2, 3, 4]).
// CHECK: @broadcast_middle: ok
// REF: (x0 * x1, x1 - x2)
func.func @broadcast_middle(%x: tensor<2x1x4xf32>, %y: tensor<2x3x4xf32>, %z: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = graph.mul %x, %y : (tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = graph.sub %y, %z : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// CHECK: 26 functions, 0 failed
