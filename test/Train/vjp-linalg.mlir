// VJP rules of the linalg ops (lib/Train/Vjp/Linalg.cpp): each
// function's @f_vjp (zo-test-vjp), compiled in float64 and run on random
// inputs and result cotangents w, against the gradient of <w, f(x)> by
// central finite differences of the numpy float64 model on its REF line
// (Inputs/vjp_check.py). The cases are those of jvp-linalg.mlir.
// RUN: %python %S/Inputs/vjp_check.py %s | FileCheck %s
// The production element type too (f32 GEMMs through BLAS; 1e-4 tolerance).
// RUN: %python %S/Inputs/vjp_check.py %s --dtype f32 | FileCheck %s

// CHECK: @matmul: ok
// REF: x0 @ x1
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = graph.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// Batch broadcasting and 1-D promotion on either side.
// CHECK: @matmul_batched: ok
// REF: (np.matmul(x0, x1), np.matmul(x0, x2), np.matmul(x3, x1), np.matmul(x0, x4))
func.func @matmul_batched(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x4x5xf32>, %v: tensor<4xf32>, %w: tensor<4xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<5xf32>, tensor<2x3xf32>) {
  %0 = graph.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %1 = graph.matmul %a, %c : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %2 = graph.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %3 = graph.matmul %a, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<5xf32>, tensor<2x3xf32>
}

// A frozen (constant) weight: only the activation gets a cotangent.
// CHECK: @matmul_constant: ok
// REF: x0 @ np.array([[1.0, -2.0], [0.5, 3.0]])
func.func @matmul_constant(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = graph.constant dense<[[1.0, -2.0], [0.5, 3.0]]> : tensor<2x2xf32>
  %0 = graph.matmul %a, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK: @gemm: ok
// REF: (gemm(x0, x1, x2, 0.5, 2.0, False, True), gemm(x3, x1, x4, 1.5, -1.0, True, True), gemm(x0, x5))
func.func @gemm(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>, %c: tensor<3x5xf32>, %at: tensor<4x3xf32>, %cv: tensor<5xf32>, %bn: tensor<4x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = graph.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, transB = true} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  %1 = graph.gemm %at, %b, %cv {alpha = 1.5 : f32, beta = -1.0 : f32, transA = true, transB = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  %2 = graph.gemm %a, %bn : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// Only C depends on an argument: its gradient is beta dY, summed over the
// broadcast rows.
// CHECK: @gemm_bias_only: ok
// REF: gemm(np.ones((2, 3)), np.ones((3, 4)), x0, 1.0, 3.0)
func.func @gemm_bias_only(%c: tensor<4xf32>) -> tensor<2x4xf32> {
  %a = graph.constant dense<1.0> : tensor<2x3xf32>
  %b = graph.constant dense<1.0> : tensor<3x4xf32>
  %0 = graph.gemm %a, %b, %c {beta = 3.0 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK: 5 functions, 0 failed
