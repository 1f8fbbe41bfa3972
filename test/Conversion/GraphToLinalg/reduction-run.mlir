// Numeric check of the reduction lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import numpy as np
// x = np.arange(24.0).reshape(2, 3, 4) / 4 - 2
// y = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
// outs = [
//   x.sum(1),                                     # reduce_sum axes [1]
//   x.mean((0, 2)),                               # reduce_mean axes [0, 2] keepdims
//   x.max(2),                                     # reduce_max
//   x.min().reshape(1),                           # reduce_min over everything
//   (y / 2).prod(1),                              # reduce_prod
//   np.cumsum(y, 1),                              # cumsum
//   np.cumsum(y, 1) - y,                          # exclusive
//   np.cumsum(y[:, ::-1], 1)[:, ::-1],            # reverse
//   np.cumsum(y[::-1], 0)[::-1] - y,              # reverse exclusive, axis 0
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %a0 = graph.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0]> : tensor<24xf32>
  %q = graph.constant dense<0.25> : tensor<f32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %a1 = graph.mul %a0, %q : (tensor<24xf32>, tensor<f32>) -> tensor<24xf32>
  %a2 = graph.sub %a1, %two : (tensor<24xf32>, tensor<f32>) -> tensor<24xf32>
  %x = graph.reshape %a2 : tensor<24xf32> -> tensor<2x3x4xf32>
  %s = graph.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %pu1 = tensor.cast %s : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu1) : (tensor<*xf32>) -> ()
  %m = graph.reduce_mean %x {axes = array<i64: 0, 2>} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %m1 = graph.reshape %m : tensor<1x3x1xf32> -> tensor<3xf32>
  %pu2 = tensor.cast %m1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu2) : (tensor<*xf32>) -> ()
  %mx = graph.reduce_max %x {axes = array<i64: 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %pu3 = tensor.cast %mx : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu3) : (tensor<*xf32>) -> ()
  %mn = graph.reduce_min %x {axes = array<i64>, keepdims = true} : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  %mn1 = graph.reshape %mn : tensor<1x1x1xf32> -> tensor<1xf32>
  %pu4 = tensor.cast %mn1 : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%pu4) : (tensor<*xf32>) -> ()
  %y = graph.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %yh = graph.div %y, %two : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %p = graph.reduce_prod %yh {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  %pu5 = tensor.cast %p : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu5) : (tensor<*xf32>) -> ()
  %c0 = graph.cumsum %y {axis = 1 : i64} : tensor<2x3xf32>
  %pu6 = tensor.cast %c0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu6) : (tensor<*xf32>) -> ()
  %c1 = graph.cumsum %y {axis = 1 : i64, exclusive = true} : tensor<2x3xf32>
  %pu7 = tensor.cast %c1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu7) : (tensor<*xf32>) -> ()
  %c2 = graph.cumsum %y {axis = 1 : i64, reverse = true} : tensor<2x3xf32>
  %pu8 = tensor.cast %c2 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu8) : (tensor<*xf32>) -> ()
  %c3 = graph.cumsum %y {axis = 0 : i64, reverse = true, exclusive = true} : tensor<2x3xf32>
  %pu9 = tensor.cast %c3 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu9) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}-3, -2.25, -1.5, -0.75],
// CHECK-NEXT: {{\[}}6, 6.75, 7.5, 8.25]]
// CHECK: data =
// CHECK-NEXT: {{\[}}-0.125, 0.875, 1.875]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}-1.25, -0.25, 0.75],
// CHECK-NEXT: {{\[}}1.75, 2.75, 3.75]]
// CHECK: data =
// CHECK-NEXT: {{\[}}-2]
// CHECK: data =
// CHECK-NEXT: {{\[}}0.75, 15]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}1, 3, 6],
// CHECK-NEXT: {{\[}}4, 9, 15]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 1, 3],
// CHECK-NEXT: {{\[}}0, 4, 9]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}6, 5, 3],
// CHECK-NEXT: {{\[}}15, 11, 6]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}4, 5, 6],
// CHECK-NEXT: {{\[}}0, 0, 0]]
