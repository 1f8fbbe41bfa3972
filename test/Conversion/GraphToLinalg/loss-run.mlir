// Numeric check of the loss lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import numpy as np
// s = np.array([[1.0, 2.0, 0.5, -1.0], [0.0, 0.0, 3.0, 1.0], [2.0, -2.0, 1.0, 0.0]])
// y = np.array([1, -100, 3]); w = np.array([0.5, 2.0, 1.0, 4.0])
// logp = s - s.max(1, keepdims=True) - np.log(np.exp(s - s.max(1, keepdims=True)).sum(1, keepdims=True))
// keep = y != -100; yc = np.where(keep, y, 0)
// per = -logp[np.arange(3), yc] * keep; wt = w[yc] * keep
// s3 = np.arange(12.0).reshape(2, 3, 2) / 3; y3 = np.array([[0, 2], [1, 1]])
// lp3 = s3 - np.log(np.exp(s3).sum(1, keepdims=True))
// per3 = -np.take_along_axis(lp3, y3[:, None], 1)[:, 0] * (y3 != 1)
// outs = [
//   per,                                   # softmax_cross_entropy_loss, none
//   ((per * w[yc]).sum() / wt.sum()).reshape(1),  # weighted mean
//   per.sum().reshape(1),                  # sum
//   (per.sum() / keep.sum()).reshape(1),   # unweighted mean
//   (-logp[np.arange(3), yc] * wt).sum().reshape(1) / wt.sum(),  # nll_loss weighted mean on log_softmax
//   (per3.sum() / (y3 != 1).sum()).reshape(1),  # [N, C, d] scores, ignore_index = 1
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %s = graph.constant dense<[[1.0, 2.0, 0.5, -1.0], [0.0, 0.0, 3.0, 1.0], [2.0, -2.0, 1.0, 0.0]]> : tensor<3x4xf32>
  %y = graph.constant dense<[1, -100, 3]> : tensor<3xi64>
  %w = graph.constant dense<[0.5, 2.0, 1.0, 4.0]> : tensor<4xf32>
  %l0 = graph.softmax_cross_entropy_loss %s, %y {reduction = "none", ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<3xf32>
  %pu1 = tensor.cast %l0 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu1) : (tensor<*xf32>) -> ()
  %l1 = graph.softmax_cross_entropy_loss %s, %y, %w {ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>, tensor<4xf32>) -> tensor<f32>
  %l1r = graph.reshape %l1 : tensor<f32> -> tensor<1xf32>
  %pu2 = tensor.cast %l1r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu2) : (tensor<*xf32>) -> ()
  %l2 = graph.softmax_cross_entropy_loss %s, %y {reduction = "sum", ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<f32>
  %l2r = graph.reshape %l2 : tensor<f32> -> tensor<1xf32>
  %pu3 = tensor.cast %l2r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu3) : (tensor<*xf32>) -> ()
  %l3 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<f32>
  %l3r = graph.reshape %l3 : tensor<f32> -> tensor<1xf32>
  %pu4 = tensor.cast %l3r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu4) : (tensor<*xf32>) -> ()
  %lp = graph.log_softmax %s {axis = 1 : i64} : tensor<3x4xf32>
  %l4 = graph.nll_loss %lp, %y, %w {ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>, tensor<4xf32>) -> tensor<f32>
  %l4r = graph.reshape %l4 : tensor<f32> -> tensor<1xf32>
  %pu5 = tensor.cast %l4r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu5) : (tensor<*xf32>) -> ()
  %a0 = graph.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %three = graph.constant dense<3.0> : tensor<f32>
  %a1 = graph.div %a0, %three : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %s3 = graph.reshape %a1 : tensor<12xf32> -> tensor<2x3x2xf32>
  %y3 = graph.constant dense<[[0, 2], [1, 1]]> : tensor<2x2xi32>
  %l5 = graph.softmax_cross_entropy_loss %s3, %y3 {ignore_index = 1 : i64} : (tensor<2x3x2xf32>, tensor<2x2xi32>) -> tensor<f32>
  %l5r = graph.reshape %l5 : tensor<f32> -> tensor<1xf32>
  %pu6 = tensor.cast %l5r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu6) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[}}{{0\.49518[0-9]*}}, 0, {{2\.4197[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{1\.7782[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{2\.914[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{1\.4574[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{1\.7782[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{1\.241[0-9]*}}]
