// VJP rules of the loss ops (lib/Train/Vjp/Loss.cpp): each
// function's @f_vjp (zo-test-vjp), compiled in float64 and run on random
// inputs and result cotangents w, against the gradient of <w, f(x)> by
// central finite differences of the numpy float64 model on its REF line
// (Inputs/vjp_check.py). The cases are those of jvp-loss.mlir, plus
// reverse-mode ones at the end ([N, C, d] with class weights).
// RUN: %python %S/Inputs/vjp_check.py %s | FileCheck %s

// The models' loss: mean over the targets that are not ignored.
// CHECK: @sce_mean: ok
// REF: sce(x0, x1, None, "mean", -100)
// GEN: x1=np.array([1, -100, 3, 0])
func.func @sce_mean(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<f32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// Class weights (differentiated too), every reduction, [N, C, d]
// scores with i32 labels.
// CHECK: @sce_weighted: ok
// REF: (sce(x0, x1, x2, "mean", -100), sce(x0, x1, x2, "sum", -100), sce(x0, x1, x2, "none", -100), sce(x3, x4, None, "mean", 1))
// GEN: x1=np.array([1, -100, 3, 0]); x2=pos; x4=np.array([[0, 2], [1, 1]])
func.func @sce_weighted(%s: tensor<4x5xf32>, %y: tensor<4xi64>, %w: tensor<5xf32>, %s3: tensor<2x3x2xf32>, %y3: tensor<2x2xi32>) -> (tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<f32>) {
  %0 = graph.softmax_cross_entropy_loss %s, %y, %w {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<f32>
  %1 = graph.softmax_cross_entropy_loss %s, %y, %w {reduction = "sum", ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<f32>
  %2 = graph.softmax_cross_entropy_loss %s, %y, %w {reduction = "none", ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<4xf32>
  %3 = graph.softmax_cross_entropy_loss %s3, %y3 {ignore_index = 1 : i64} : (tensor<2x3x2xf32>, tensor<2x2xi32>) -> tensor<f32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<f32>
}

// nll_loss on arbitrary inputs (it is linear in them) and weights.
// CHECK: @nll: ok
// REF: (nll(x0, x1), nll(x0, x1, x2, "mean", 2), nll(x0, x1, x2, "sum"), nll(x0, x1, x2, "none"))
// GEN: x1=np.array([1, 2, 3, 0]); x2=pos
func.func @nll(%x: tensor<4x5xf32>, %y: tensor<4xi64>, %w: tensor<5xf32>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<4xf32>) {
  %0 = graph.nll_loss %x, %y : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<f32>
  %1 = graph.nll_loss %x, %y, %w {ignore_index = 2 : i64} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<f32>
  %2 = graph.nll_loss %x, %y, %w {reduction = "sum"} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<f32>
  %3 = graph.nll_loss %x, %y, %w {reduction = "none"} : (tensor<4x5xf32>, tensor<4xi64>, tensor<5xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<4xf32>
}

// Reverse mode: [N, C, d] log-probabilities with class weights (their
// cotangent sums over N and d) and an ignored target.
// CHECK: @nll_spatial: ok
// REF: (nll(x0, x1, x2, "mean", 0), nll(x0, x1, x2, "none"))
// GEN: x1=np.array([[2, 0, 1], [1, 1, 3]]); x2=pos
func.func @nll_spatial(%x: tensor<2x4x3xf32>, %y: tensor<2x3xi64>, %w: tensor<4xf32>) -> (tensor<f32>, tensor<2x3xf32>) {
  %0 = graph.nll_loss %x, %y, %w {ignore_index = 0 : i64} : (tensor<2x4x3xf32>, tensor<2x3xi64>, tensor<4xf32>) -> tensor<f32>
  %1 = graph.nll_loss %x, %y, %w {reduction = "none"} : (tensor<2x4x3xf32>, tensor<2x3xi64>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<f32>, tensor<2x3xf32>
}

// CHECK: 4 functions, 0 failed
