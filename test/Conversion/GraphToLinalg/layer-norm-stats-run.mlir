// Numeric check of layer_norm's statistics results (mean, inv_std_dev: the
// residuals its backward pass reads) with upstream tools only, as
// normalization-run.mlir does for the output. Expected numbers from numpy:
//
// import numpy as np
// x = np.array([[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]])
// g = np.array([1.0, 0.5, 2.0, -1.0]); bias = np.array([0.0, 1.0, 0.0, -1.0])
// mu = x.mean(1, keepdims=True); var = ((x - mu) ** 2).mean(1, keepdims=True)
// mu                                       # [[2.5], [1000]]
// 1 / np.sqrt(var + 1e-5)                  # [[0.894424], [1.414199]]
// (x - mu) / np.sqrt(var + 1e-5) * g + bias
//
// The output must be the one without statistics (normalization-run.mlir).

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = graph.constant dense<[[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]]> : tensor<2x4xf32>
  %g = graph.constant dense<[1.0, 0.5, 2.0, -1.0]> : tensor<4xf32>
  %b = graph.constant dense<[0.0, 1.0, 0.0, -1.0]> : tensor<4xf32>
  %n, %stats:2 = graph.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  %p0 = tensor.cast %n : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %p1 = tensor.cast %stats#0 : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  %p2 = tensor.cast %stats#1 : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-1\.3416[0-9]*}}, {{0\.77639[0-9]*}}, {{0\.89442[0-9]*}}, {{-2\.3416[0-9]*}}],
// CHECK-NEXT: {{\[}}0, {{1\.707[0-9]*}}, {{-2\.828[0-9]*}}, -1]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}2.5],
// CHECK-NEXT: {{\[}}1000]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{0\.89442[0-9]*}}],
// CHECK-NEXT: {{\[}}{{1\.4142[0-9]*}}]]
