// Numeric check of the normalization lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import numpy as np
// x = np.array([[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]])
// g = np.array([1.0, 0.5, 2.0, -1.0]); bias = np.array([0.0, 1.0, 0.0, -1.0])
// sm = lambda v, ax: np.exp(v - v.max(ax, keepdims=True)) / np.exp(v - v.max(ax, keepdims=True)).sum(ax, keepdims=True)
// lsm = lambda v, ax: np.log(sm(v, ax))
// mu = x.mean(1, keepdims=True); var = ((x - mu) ** 2).mean(1, keepdims=True)
// outs = [
//   sm(x, 1),                                          # stable at 1000
//   lsm(x[:, :2].T, 0),                                # log_softmax, axis 0
//   (x - mu) / np.sqrt(var + 1e-5) * g + bias,         # layer_norm
//   x / np.sqrt((x ** 2).mean(1, keepdims=True) + 1e-6) * g,  # rms_norm
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = graph.constant dense<[[1.0, 2.0, 3.0, 4.0], [1000.0, 1001.0, 999.0, 1000.0]]> : tensor<2x4xf32>
  %g = graph.constant dense<[1.0, 0.5, 2.0, -1.0]> : tensor<4xf32>
  %b = graph.constant dense<[0.0, 1.0, 0.0, -1.0]> : tensor<4xf32>
  %s = graph.softmax %x {axis = 1 : i64} : tensor<2x4xf32>
  %pu1 = tensor.cast %s : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu1) : (tensor<*xf32>) -> ()
  %x2 = graph.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, steps = array<i64: 1, 1>} : tensor<2x4xf32> -> tensor<2x2xf32>
  %xt = graph.transpose %x2 {perm = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  %l = graph.log_softmax %xt {axis = 0 : i64} : tensor<2x2xf32>
  %pu2 = tensor.cast %l : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu2) : (tensor<*xf32>) -> ()
  %n = graph.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %pu3 = tensor.cast %n : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu3) : (tensor<*xf32>) -> ()
  %r = graph.rms_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %pu4 = tensor.cast %r : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu4) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{0\.032058[0-9]*}}, {{0\.087144[0-9]*}}, {{0\.23688[0-9]*}}, {{0\.64391[0-9]*}}],
// CHECK-NEXT: {{\[}}{{0\.19661[0-9]*}}, {{0\.53444[0-9]*}}, {{0\.072329[0-9]*}}, {{0\.19661[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-1\.3132[0-9]*}}, {{-1\.3132[0-9]*}}],
// CHECK-NEXT: {{\[}}{{-0\.31326[0-9]*}}, {{-0\.31326[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-1\.3416[0-9]*}}, {{0\.77639[0-9]*}}, {{0\.89442[0-9]*}}, {{-2\.3416[0-9]*}}],
// CHECK-NEXT: {{\[}}0, {{1\.707[0-9]*}}, {{-2\.828[0-9]*}}, -1]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{0\.36514[0-9]*}}, {{0\.36514[0-9]*}}, {{2\.1908[0-9]*}}, {{-1\.4605[0-9]*}}],
// CHECK-NEXT: {{\[}}1, 0.5005, 1.998, -1]]
