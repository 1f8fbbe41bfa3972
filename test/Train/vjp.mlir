// zo-test-vjp (a test/debug pass): @f -> @f_vjp(args, result cotangents) ->
// (results, argument gradients), built by the reverse-mode driver
// (lib/Train/Vjp/Vjp.cpp). The numeric checks of every rule are the
// vjp-<family>.mlir tests; this one shows the IR the driver builds and,
// with mark-complete, where it reports each gradient final.
// RUN: zo-opt %s -split-input-file --zo-test-vjp=mark-complete | FileCheck %s
// RUN: zo-opt %s -split-input-file --zo-test-vjp | FileCheck %s --check-prefix=PLAIN

// The primal first, then the backward ops last op first. A linear layer's
// cotangents are two gemms with transpose flags (no transposed copies);
// w2's gradient is final right after the last layer's backward, before the
// relu and first layer are differentiated; x and w1 after the first layer.
// CHECK-LABEL: func.func @mlp_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x"}, %[[W1:[^:]*]]: tensor<3x4xf32> {zo.name = "w1"}, %[[W2:[^:]*]]: tensor<4x5xf32> {zo.name = "w2"}, %[[DY:[^:]*]]: tensor<2x5xf32> {zo.name = "cotangent:y", zo.role = "input"})
// CHECK-SAME: -> (tensor<2x5xf32> {zo.name = "y"}, tensor<2x3xf32> {zo.name = "grad:x"}, tensor<3x4xf32> {zo.name = "grad:w1"}, tensor<4x5xf32> {zo.name = "grad:w2"})
// CHECK-NEXT: %[[H:.*]] = graph.matmul %[[X]], %[[W1]]
// CHECK-NEXT: %[[R:.*]] = graph.relu %[[H]]
// CHECK-NEXT: %[[Y:.*]] = graph.matmul %[[R]], %[[W2]]
// CHECK-NEXT: %[[DR:.*]] = graph.gemm %[[DY]], %[[W2]] {transB = true}
// CHECK-NEXT: %[[DW2:.*]] = graph.gemm %[[R]], %[[DY]] {transA = true}
// CHECK-NEXT: %[[DW2F:.*]] = graph.identity %[[DW2]] {zo.gradient_complete = "w2"}
// CHECK-NEXT: %[[ZERO:.*]] = graph.constant dense<0.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[POS:.*]] = graph.greater %[[H]], %[[ZERO]]
// CHECK-NEXT: %[[DH:.*]] = graph.where %[[POS]], %[[DR]], %[[ZERO]]
// CHECK-NEXT: %[[DX:.*]] = graph.gemm %[[DH]], %[[W1]] {transB = true}
// CHECK-NEXT: %[[DW1:.*]] = graph.gemm %[[X]], %[[DH]] {transA = true}
// CHECK-NEXT: %[[DXF:.*]] = graph.identity %[[DX]] {zo.gradient_complete = "x"}
// CHECK-NEXT: %[[DW1F:.*]] = graph.identity %[[DW1]] {zo.gradient_complete = "w1"}
// CHECK-NEXT: return %[[Y]], %[[DXF]], %[[DW1F]], %[[DW2F]]
// PLAIN-LABEL: func.func @mlp_vjp(
// PLAIN-NOT: graph.identity
// PLAIN: return
func.func @mlp(%x: tensor<2x3xf32> {zo.name = "x"}, %w1: tensor<3x4xf32> {zo.name = "w1"}, %w2: tensor<4x5xf32> {zo.name = "w2"}) -> (tensor<2x5xf32> {zo.name = "y"}) {
  %0 = graph.matmul %x, %w1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = graph.relu %0 : tensor<2x4xf32>
  %2 = graph.matmul %1, %w2 : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %2 : tensor<2x5xf32>
}

// -----

// w is used twice: its two contributions are summed, and it is final only
// after its first use (x * w) has been differentiated. The frozen branch
// (exp of a constant) gets no backward work, nor does the cotangent of
// that branch's operand of the last mul. Integer values get no gradient
// (no grad:ids, no cotangent for ids_out); an argument no result depends
// on gets a zero gradient and nothing else.
// CHECK-LABEL: func.func @shared_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32> {zo.name = "x"}, %[[W:[^:]*]]: tensor<4xf32> {zo.name = "w"}, %[[IDS:[^:]*]]: tensor<2xi64> {zo.name = "ids"}, %{{[^:]*}}: tensor<3xf32> {zo.name = "u"}, %[[DY:[^:]*]]: tensor<4xf32> {zo.name = "cotangent:y", zo.role = "input"})
// CHECK-SAME: -> (tensor<4xf32> {zo.name = "y"}, tensor<2xi64> {zo.name = "ids_out"}, tensor<4xf32> {zo.name = "grad:x"}, tensor<4xf32> {zo.name = "grad:w"}, tensor<3xf32> {zo.name = "grad:u"})
// CHECK-NEXT: graph.constant dense<2.000000e+00>
// CHECK-NEXT: %[[E:.*]] = graph.exp
// CHECK-NEXT: %[[A:.*]] = graph.mul %[[X]], %[[W]]
// CHECK-NEXT: %[[B:.*]] = graph.mul %[[A]], %[[W]]
// CHECK-NEXT: %[[Y:.*]] = graph.mul %[[B]], %[[E]]
// CHECK-NEXT: %[[DB:.*]] = graph.mul %[[DY]], %[[E]]
// CHECK-NEXT: %[[DA:.*]] = graph.mul %[[DB]], %[[W]]
// CHECK-NEXT: %[[DW1:.*]] = graph.mul %[[A]], %[[DB]]
// CHECK-NEXT: %[[DX:.*]] = graph.mul %[[DA]], %[[W]]
// CHECK-NEXT: %[[DW2:.*]] = graph.mul %[[X]], %[[DA]]
// CHECK-NEXT: %[[DW:.*]] = graph.add %[[DW1]], %[[DW2]]
// CHECK-NEXT: %[[DXF:.*]] = graph.identity %[[DX]] {zo.gradient_complete = "x"}
// CHECK-NEXT: %[[DWF:.*]] = graph.identity %[[DW]] {zo.gradient_complete = "w"}
// CHECK-NEXT: %[[DU:.*]] = graph.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT: return %[[Y]], %[[IDS]], %[[DXF]], %[[DWF]], %[[DU]]
func.func @shared(%x: tensor<4xf32> {zo.name = "x"}, %w: tensor<4xf32> {zo.name = "w"}, %ids: tensor<2xi64> {zo.name = "ids"}, %u: tensor<3xf32> {zo.name = "u"}) -> (tensor<4xf32> {zo.name = "y"}, tensor<2xi64> {zo.name = "ids_out"}) {
  %c = graph.constant dense<2.0> : tensor<4xf32>
  %e = graph.exp %c : tensor<4xf32>
  %0 = graph.mul %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.mul %0, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = graph.mul %1, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2, %ids : tensor<4xf32>, tensor<2xi64>
}

// -----

// layer_norm saves its statistics for the backward pass: the primal is
// cloned with its mean and inv_std_dev results (VjpRuleSet::addResiduals)
// and the rule normalizes x with them; the only reductions left in the
// backward pass are the two over the scaled cotangent h = dy * scale (and
// the driver's sums of dscale, dbias over the rows), none over x.
// CHECK-LABEL: func.func @layer_norm_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[S:[^:]*]]: tensor<3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[DY:[^:]*]]: tensor<2x3xf32>
// CHECK-NEXT: %[[Y:.*]], %[[ST:.*]]:2 = graph.layer_norm %[[X]], %[[S]], %[[B]] {{.*}} -> (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
// CHECK-NEXT: %[[C:.*]] = graph.sub %[[X]], %[[ST]]#0
// CHECK-NEXT: %[[XH:.*]] = graph.mul %[[C]], %[[ST]]#1
// CHECK-NEXT: %[[H:.*]] = graph.mul %[[DY]], %[[S]]
// CHECK-NOT: graph.reduce_mean %[[X]]
// CHECK: graph.reduce_mean %{{.*}} {axes = array<i64: 1>}
// CHECK-NOT: graph.reduce_mean %[[X]]
// CHECK: graph.reduce_mean %[[H]] {axes = array<i64: 1>}
// CHECK-NOT: graph.reduce_mean
// CHECK: %[[DX:.*]] = graph.mul %[[ST]]#1, %{{.*}}
// CHECK: %[[DXF:.*]] = graph.identity %[[DX]] {zo.gradient_complete = "arg0"}
// CHECK: return %[[Y]], %[[DXF]]
func.func @layer_norm(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %x, %s, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The softmax cross entropy saves its per-target log-sum-exp
// (VjpRuleSet::addResiduals): the scores' cotangent is
// c_i (exp(s - lse) - onehot(y)), elementwise ops only; no log_softmax and
// no reduction over the [N, C] scores in the backward pass (the nll_loss
// ops read one value per target: the weights of the kept targets).
// CHECK-LABEL: func.func @sce_vjp(
// CHECK-SAME: %[[S:[^:]*]]: tensor<4x5xf32>, %[[Y:[^:]*]]: tensor<4xi64>, %[[DL:[^:]*]]: tensor<f32>
// CHECK-NEXT: %[[L:.*]], %[[LSE:.*]] = graph.softmax_cross_entropy_loss %[[S]], %[[Y]] {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> (tensor<f32>, tensor<4x1xf32>)
// CHECK-NEXT: %[[LOGP:.*]] = graph.sub %[[S]], %[[LSE]] : (tensor<4x5xf32>, tensor<4x1xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: %[[P:.*]] = graph.exp %[[LOGP]] : tensor<4x5xf32>
// CHECK-NOT: graph.log_softmax
// CHECK-NOT: graph.reduce
// CHECK: %[[HOT:.*]] = graph.cast %{{.*}} : tensor<4x5xi1> -> tensor<4x5xf32>
// CHECK: %[[C:.*]] = graph.reshape %{{.*}} : tensor<4xf32> -> tensor<4x1xf32>
// CHECK-NEXT: %[[D:.*]] = graph.sub %[[P]], %[[HOT]]
// CHECK-NEXT: %[[DS:.*]] = graph.mul %[[C]], %[[D]]
// CHECK-NEXT: %[[DSF:.*]] = graph.identity %[[DS]] {zo.gradient_complete = "arg0"}
// CHECK-NEXT: return %[[L]], %[[DSF]]
func.func @sce(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<f32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// bf16 scores: the saved log-sum-exp is f32, and s - lse and exp are taken
// in f32 (lse rounded to bf16 would be off by up to 0.03 for a 50K
// vocabulary); the softmax is rounded to bf16 once.
// CHECK-LABEL: func.func @sce_bf16_vjp(
// CHECK-SAME: %[[S:[^:]*]]: tensor<4x5xbf16>
// CHECK-NEXT: %[[L:.*]], %[[LSE:.*]] = graph.softmax_cross_entropy_loss {{.*}} -> (tensor<bf16>, tensor<4x1xf32>)
// CHECK-NEXT: %[[SW:.*]] = graph.cast %[[S]] : tensor<4x5xbf16> -> tensor<4x5xf32>
// CHECK-NEXT: %[[LOGP:.*]] = graph.sub %[[SW]], %[[LSE]] : (tensor<4x5xf32>, tensor<4x1xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: %[[PW:.*]] = graph.exp %[[LOGP]] : tensor<4x5xf32>
// CHECK-NEXT: %[[P:.*]] = graph.cast %[[PW]] : tensor<4x5xf32> -> tensor<4x5xbf16>
// CHECK: %[[D:.*]] = graph.sub %[[P]], %{{.*}} : (tensor<4x5xbf16>, tensor<4x5xbf16>) -> tensor<4x5xbf16>
// CHECK-NEXT: graph.mul %{{.*}}, %[[D]] : (tensor<4x1xbf16>, tensor<4x5xbf16>) -> tensor<4x5xbf16>
func.func @sce_bf16(%s: tensor<4x5xbf16>, %y: tensor<4xi64>) -> tensor<bf16> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<4x5xbf16>, tensor<4xi64>) -> tensor<bf16>
  return %0 : tensor<bf16>
}

// -----

// rms_norm saves its per-row inverse root mean square: x r is one
// elementwise pass, and the only reduction over the rows left in the
// backward pass is the one over h xr (plus the driver's sum of dscale
// over the rows); none over x.
// CHECK-LABEL: func.func @rms_norm_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[S:[^:]*]]: tensor<3xf32>, %[[DY:[^:]*]]: tensor<2x3xf32>
// CHECK-NEXT: %[[Y:.*]], %[[R:.*]] = graph.rms_norm %[[X]], %[[S]] {{.*}} -> (tensor<2x3xf32>, tensor<2x1xf32>)
// CHECK-NEXT: %[[XR:.*]] = graph.mul %[[X]], %[[R]]
// CHECK-NEXT: %[[H:.*]] = graph.mul %[[DY]], %[[S]]
// CHECK-NEXT: %[[HX:.*]] = graph.mul %[[H]], %[[XR]]
// CHECK-NEXT: graph.reduce_mean %[[HX]] {axes = array<i64: 1>}
// CHECK-NOT: graph.reduce_mean
// CHECK: %[[DX:.*]] = graph.mul %[[R]], %{{.*}}
// CHECK: %[[DXF:.*]] = graph.identity %[[DX]] {zo.gradient_complete = "arg0"}
// CHECK: return %[[Y]], %[[DXF]]
func.func @rms_norm(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.rms_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
