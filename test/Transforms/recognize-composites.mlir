// RUN: zo-opt %s --zo-recognize-composites --canonicalize --split-input-file | FileCheck %s

// LayerNorm as torch exports it before opset 17.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x32xf32>, %[[G:.*]]: tensor<32xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK-NEXT: %[[LN:.*]] = graph.layer_norm %[[X]], %[[G]], %[[B]] {axis = 2 : i64, epsilon = 9.99999996E-13 : f32}
// CHECK-NEXT: return %[[LN]]
func.func @layer_norm(%x: tensor<2x8x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<2x8x32xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: 2>, keepdims = true} : tensor<2x8x32xf32> -> tensor<2x8x1xf32>
  %d = graph.sub %x, %m : (tensor<2x8x32xf32>, tensor<2x8x1xf32>) -> tensor<2x8x32xf32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %p = graph.pow %d, %two : (tensor<2x8x32xf32>, tensor<f32>) -> tensor<2x8x32xf32>
  %v = graph.reduce_mean %p {axes = array<i64: 2>, keepdims = true} : tensor<2x8x32xf32> -> tensor<2x8x1xf32>
  %eps = graph.constant dense<1.0e-12> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<2x8x1xf32>, tensor<f32>) -> tensor<2x8x1xf32>
  %s = graph.sqrt %ve : tensor<2x8x1xf32>
  %n = graph.div %d, %s : (tensor<2x8x32xf32>, tensor<2x8x1xf32>) -> tensor<2x8x32xf32>
  %y = graph.mul %n, %g : (tensor<2x8x32xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  %z = graph.add %y, %b : (tensor<2x8x32xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  return %z : tensor<2x8x32xf32>
}

// -----

// The centered value has another user: still a layer norm (the Sub stays for
// that user).
// CHECK-LABEL: func.func @layer_norm_shared_center
// CHECK-DAG: graph.layer_norm %arg0
// CHECK-DAG: graph.sub %arg0
func.func @layer_norm_shared_center(%x: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %m = graph.reduce_mean %x {axes = array<i64: 1>, keepdims = true} : tensor<4x16xf32> -> tensor<4x1xf32>
  %d = graph.sub %x, %m : (tensor<4x16xf32>, tensor<4x1xf32>) -> tensor<4x16xf32>
  %p = graph.mul %d, %d : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %v = graph.reduce_mean %p {axes = array<i64: 1>, keepdims = true} : tensor<4x16xf32> -> tensor<4x1xf32>
  %eps = graph.constant dense<1.0e-5> : tensor<1xf32>
  %ve = graph.add %eps, %v : (tensor<1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = graph.sqrt %ve : tensor<4x1xf32>
  %n = graph.div %d, %s : (tensor<4x16xf32>, tensor<4x1xf32>) -> tensor<4x16xf32>
  return %n, %d : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// RMSNorm as LLaMA's HF code exports it: weight * (x * rsqrt(mean(x^2) + eps)).
// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x32xf32>, %[[W:.*]]: tensor<32xf32>)
// CHECK-NEXT: %[[R:.*]] = graph.rms_norm %[[X]], %[[W]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32}
// CHECK-NEXT: return %[[R]]
func.func @rms_norm(%x: tensor<2x8x32xf32>, %w: tensor<32xf32>) -> tensor<2x8x32xf32> {
  %two = graph.constant dense<2.0> : tensor<f32>
  %p = graph.pow %x, %two : (tensor<2x8x32xf32>, tensor<f32>) -> tensor<2x8x32xf32>
  %v = graph.reduce_mean %p {axes = array<i64: 2>, keepdims = true} : tensor<2x8x32xf32> -> tensor<2x8x1xf32>
  %eps = graph.constant dense<1.0e-6> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<2x8x1xf32>, tensor<f32>) -> tensor<2x8x1xf32>
  %s = graph.sqrt %ve : tensor<2x8x1xf32>
  %r = graph.reciprocal %s : tensor<2x8x1xf32>
  %n = graph.mul %x, %r : (tensor<2x8x32xf32>, tensor<2x8x1xf32>) -> tensor<2x8x32xf32>
  %y = graph.mul %w, %n : (tensor<32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %y : tensor<2x8x32xf32>
}

// -----

// RMSNorm with rsqrt spelled Div(1, Sqrt(.)).
// CHECK-LABEL: func.func @rms_norm_div_one
// CHECK: graph.rms_norm
// CHECK-NOT: graph.sqrt
func.func @rms_norm_div_one(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %p = graph.mul %x, %x : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %v = graph.reduce_mean %p {axes = array<i64: 1>, keepdims = true} : tensor<4x16xf32> -> tensor<4x1xf32>
  %eps = graph.constant dense<1.0e-6> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = graph.sqrt %ve : tensor<4x1xf32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %r = graph.div %one, %s : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %n = graph.mul %r, %x : (tensor<4x1xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %n : tensor<4x16xf32>
}

// -----

// GELU (erf) as torch's nn.GELU exports it.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-NEXT: %[[G:.*]] = graph.gelu %arg0 : tensor<2x64xf32>
// CHECK-NOT: approximate
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %c = graph.constant dense<1.41421354> : tensor<f32>
  %d = graph.div %x, %c : (tensor<2x64xf32>, tensor<f32>) -> tensor<2x64xf32>
  %e = graph.erf %d : tensor<2x64xf32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.add %e, %one : (tensor<2x64xf32>, tensor<f32>) -> tensor<2x64xf32>
  %m = graph.mul %x, %a : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %half = graph.constant dense<0.5> : tensor<f32>
  %y = graph.mul %m, %half : (tensor<2x64xf32>, tensor<f32>) -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

// GELU (tanh) as GPT-2's gelu_new exports it.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-NEXT: %[[G:.*]] = graph.gelu %arg0 {approximate = "tanh"} : tensor<2x64xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %half = graph.constant dense<0.5> : tensor<f32>
  %hx = graph.mul %half, %x : (tensor<f32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %three = graph.constant dense<3.0> : tensor<f32>
  %cube = graph.pow %x, %three : (tensor<2x64xf32>, tensor<f32>) -> tensor<2x64xf32>
  %k = graph.constant dense<0.044715> : tensor<f32>
  %kc = graph.mul %k, %cube : (tensor<f32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %s = graph.add %x, %kc : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %r = graph.constant dense<0.797884583> : tensor<f32>
  %t = graph.mul %r, %s : (tensor<f32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %th = graph.tanh %t : tensor<2x64xf32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.add %one, %th : (tensor<f32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  %y = graph.mul %hx, %a : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

// A wrong constant is not a GELU.
// CHECK-LABEL: func.func @not_gelu
// CHECK-NOT: graph.gelu
// CHECK: graph.erf
func.func @not_gelu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = graph.constant dense<2.0> : tensor<f32>
  %d = graph.div %x, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = graph.erf %d : tensor<8xf32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = graph.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %half = graph.constant dense<0.5> : tensor<f32>
  %y = graph.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @silu
// CHECK-NEXT: %[[S:.*]] = graph.silu %arg0 : tensor<2x64xf32>
// CHECK-NEXT: return %[[S]]
func.func @silu(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %s = graph.sigmoid %x : tensor<2x64xf32>
  %y = graph.mul %s, %x : (tensor<2x64xf32>, tensor<2x64xf32>) -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}
