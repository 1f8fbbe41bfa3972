// Numeric check of the matmul/gemm lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import numpy as np
// v = np.array([1.0, -2.0, 0.5])
// W = np.arange(6.0).reshape(3, 2) - 2
// a = np.arange(12.0).reshape(2, 1, 2, 3) / 4
// b = np.arange(12.0).reshape(2, 3, 2) - 6
// x = np.arange(12.0).reshape(2, 2, 3) - 5
// A = np.arange(6.0).reshape(2, 3) / 2
// B = np.arange(12.0).reshape(4, 3) - 4
// C = np.array([1.0, 2.0, 3.0, 4.0])
// outs = [
//   v @ W,                               # 1-D @ 2-D
//   W.T @ v,                             # 2-D @ 1-D
//   (a @ b).reshape(8, 2),               # batch broadcast [2,1] x [2]
//   (x @ W).reshape(4, 2),               # batch folded into M
//   0.5 * A @ B.T + 2.0 * C,             # gemm transB, alpha, beta, C
//   A.T.T @ B[:3] + C[:1],               # gemm transA (A given as [3,2]), C [1]
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %v = graph.constant dense<[1.0, -2.0, 0.5]> : tensor<3xf32>
  %W = graph.constant dense<[[-2.0, -1.0], [0.0, 1.0], [2.0, 3.0]]> : tensor<3x2xf32>
  %r0 = graph.matmul %v, %W : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %pu1 = tensor.cast %r0 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu1) : (tensor<*xf32>) -> ()
  %Wt = graph.transpose %W {perm = array<i64: 1, 0>} : tensor<3x2xf32> -> tensor<2x3xf32>
  %r1 = graph.matmul %Wt, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  %pu2 = tensor.cast %r1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu2) : (tensor<*xf32>) -> ()
  %a0 = graph.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %q = graph.constant dense<4.0> : tensor<f32>
  %a1 = graph.div %a0, %q : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %a = graph.reshape %a1 : tensor<12xf32> -> tensor<2x1x2x3xf32>
  %six = graph.constant dense<6.0> : tensor<f32>
  %b1 = graph.sub %a0, %six : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %b = graph.reshape %b1 : tensor<12xf32> -> tensor<2x3x2xf32>
  %r2 = graph.matmul %a, %b : (tensor<2x1x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2x2xf32>
  %r2f = graph.reshape %r2 : tensor<2x2x2x2xf32> -> tensor<8x2xf32>
  %pu3 = tensor.cast %r2f : tensor<8x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu3) : (tensor<*xf32>) -> ()
  %five = graph.constant dense<5.0> : tensor<f32>
  %x1 = graph.sub %a0, %five : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %x = graph.reshape %x1 : tensor<12xf32> -> tensor<2x2x3xf32>
  %r3 = graph.matmul %x, %W : (tensor<2x2x3xf32>, tensor<3x2xf32>) -> tensor<2x2x2xf32>
  %r3f = graph.reshape %r3 : tensor<2x2x2xf32> -> tensor<4x2xf32>
  %pu4 = tensor.cast %r3f : tensor<4x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu4) : (tensor<*xf32>) -> ()
  %A = graph.constant dense<[[0.0, 0.5, 1.0], [1.5, 2.0, 2.5]]> : tensor<2x3xf32>
  %four = graph.constant dense<4.0> : tensor<f32>
  %B1 = graph.sub %a0, %four : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %B = graph.reshape %B1 : tensor<12xf32> -> tensor<4x3xf32>
  %C = graph.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %r4 = graph.gemm %A, %B, %C {transB = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %pu5 = tensor.cast %r4 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu5) : (tensor<*xf32>) -> ()
  %At = graph.transpose %A {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %B3 = graph.slice %B {starts = array<i64: 0, 0>, ends = array<i64: 3, 3>, steps = array<i64: 1, 1>} : tensor<4x3xf32> -> tensor<3x3xf32>
  %C1 = graph.constant dense<[1.0]> : tensor<1xf32>
  %r5 = graph.gemm %At, %B3, %C1 {transA = true} : (tensor<3x2xf32>, tensor<3x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  %pu6 = tensor.cast %r5 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu6) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[}}-1, -1.5]
// CHECK: data =
// CHECK-NEXT: {{\[}}-1, -1.5]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}-2, -1.25],
// CHECK-NEXT: {{\[}}-11, -8],
// CHECK-NEXT: {{\[}}2.5, 3.25],
// CHECK-NEXT: {{\[}}7, 10],
// CHECK-NEXT: {{\[}}-20, -14.75],
// CHECK-NEXT: {{\[}}-29, -21.5],
// CHECK-NEXT: {{\[}}11.5, 16.75],
// CHECK-NEXT: {{\[}}16, 23.5]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}4, -8],
// CHECK-NEXT: {{\[}}4, 1],
// CHECK-NEXT: {{\[}}4, 10],
// CHECK-NEXT: {{\[}}4, 19]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0.25, 4.5, 8.75, 13],
// CHECK-NEXT: {{\[}}-6.5, 4.5, 15.5, 26.5]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}2.5, 4, 5.5],
// CHECK-NEXT: {{\[}}-2, 4, 10]]
