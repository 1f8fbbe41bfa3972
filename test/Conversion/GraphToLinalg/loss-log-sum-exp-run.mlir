// Numeric check of softmax_cross_entropy_loss's log_sum_exp result (the
// residual its backward pass reads) with upstream tools only, as
// loss-run.mlir does for the loss. Expected numbers from numpy:
//
// import numpy as np
// s = np.array([[1.0, 2.0, 0.5, -1.0], [1000.0, 1001.0, 999.0, 1000.0], [2.0, -2.0, 1.0, 0.0]])
// m = s.max(1, keepdims=True)
// m + np.log(np.exp(s - m).sum(1, keepdims=True))   # [[2.495182], [1001.626523], [2.419717]]
// y = np.array([1, -100, 3]); keep = y != -100; yc = np.where(keep, y, 0)
// logp = s - m - np.log(np.exp(s - m).sum(1, keepdims=True))
// per = -logp[np.arange(3), yc] * keep             # [0.495182, 0, 2.419717]
// per.sum() / keep.sum()                           # 1.457449
// s3 = np.arange(12.0).reshape(2, 3, 2) / 3
// np.log(np.exp(s3).sum(1, keepdims=True))         # [[[1.908268, 2.241601]], [[3.908268, 4.241601]]]
//
// The losses must be those computed without log_sum_exp (loss-run.mlir).

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %s = graph.constant dense<[[1.0, 2.0, 0.5, -1.0], [1000.0, 1001.0, 999.0, 1000.0], [2.0, -2.0, 1.0, 0.0]]> : tensor<3x4xf32>
  %y = graph.constant dense<[1, -100, 3]> : tensor<3xi64>
  %l0, %lse0 = graph.softmax_cross_entropy_loss %s, %y {reduction = "none", ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> (tensor<3xf32>, tensor<3x1xf32>)
  %p0 = tensor.cast %l0 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %p1 = tensor.cast %lse0 : tensor<3x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  %l1, %lse1 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> (tensor<f32>, tensor<3x1xf32>)
  %l1r = graph.reshape %l1 : tensor<f32> -> tensor<1xf32>
  %p2 = tensor.cast %l1r : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  %a0 = graph.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %three = graph.constant dense<3.0> : tensor<f32>
  %a1 = graph.div %a0, %three : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %s3 = graph.reshape %a1 : tensor<12xf32> -> tensor<2x3x2xf32>
  %y3 = graph.constant dense<[[0, 2], [1, 1]]> : tensor<2x2xi32>
  %l3, %lse3 = graph.softmax_cross_entropy_loss %s3, %y3 {ignore_index = 1 : i64} : (tensor<2x3x2xf32>, tensor<2x2xi32>) -> (tensor<f32>, tensor<2x1x2xf32>)
  %p3 = tensor.cast %lse3 : tensor<2x1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[}}{{0\.49518[0-9]*}}, 0, {{2\.4197[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{2\.4951[0-9]*}}],
// CHECK-NEXT: {{\[}}{{1001\.6[0-9]*}}],
// CHECK-NEXT: {{\[}}{{2\.4197[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[}}{{1\.4574[0-9]*}}]
// CHECK: data =
// CHECK-NEXT: {{\[\[\[}}{{1\.9082[0-9]*}}, {{2\.2416[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}{{3\.9082[0-9]*}}, {{4\.2416[0-9]*}}]]]
