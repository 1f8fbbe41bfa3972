// Numeric check of rms_norm's inv_rms result (the residual its backward
// pass reads) with upstream tools only, as normalization-run.mlir does for
// the output. Expected numbers from numpy:
//
// import numpy as np
// x = np.array([[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]])
// g = np.array([1.0, 0.5, 2.0, -1.0])
// r = 1 / np.sqrt((x ** 2).mean(1, keepdims=True) + 1e-5)   # [[0.365148], [0.001]]
// x * r * g     # [[0.365148, 0.365148, 2.190889, -1.460593], [1.0, 0.5005, 1.998, -1.0]]
//
// The output must be the one without inv_rms.

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = graph.constant dense<[[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]]> : tensor<2x4xf32>
  %g = graph.constant dense<[1.0, 0.5, 2.0, -1.0]> : tensor<4xf32>
  %n, %r = graph.rms_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>)
  %p0 = tensor.cast %n : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %p1 = tensor.cast %r : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{0\.36514[0-9]*}}, {{0\.36514[0-9]*}}, {{2\.1908[0-9]*}}, {{-1\.4605[0-9]*}}],
// CHECK-NEXT: {{\[}}{{0\.99999[0-9]*|1}}, {{0\.5004[0-9]*|0\.5005[0-9]*}}, {{1\.9979[0-9]*|1\.998[0-9]*}}, {{-0\.99999[0-9]*|-1}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{0\.36514[0-9]*}}],
// CHECK-NEXT: {{\[}}{{0\.001[0-9]*|0\.000999[0-9]*}}]]
