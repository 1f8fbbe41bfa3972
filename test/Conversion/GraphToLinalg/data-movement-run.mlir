// Numeric check of the data-movement lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import numpy as np
// x = np.arange(12.0).reshape(2, 6)
// E = np.arange(8.0).reshape(4, 2) * 10
// idx = np.array([[0, -1], [2, -3]])
// outs = [
//   x.reshape(3, 4),                               # reshape (not a pure collapse/expand)
//   x.reshape(2, 2, 3).transpose(2, 0, 1).reshape(3, 4),  # transpose
//   np.broadcast_to(np.array([[1.0], [2.0]]), (2, 3)),    # expand
//   E[idx].reshape(4, 2),                          # gather, negative indices wrap
//   x[::-1, 5:0:-2].T.reshape(-1)[:3],  # slice, step -2
//   np.concatenate([x[:, :2], x[:, 4:]], 1),       # split + concat
//   np.triu(x[:, :4].reshape(2, 4)[:, :3], 1),    # trilu upper k=1
//   np.tril(np.ones((3, 3)), -1),                  # trilu lower k=-1
//   np.arange(1.0, 2.5, 0.5),                      # range
//   np.full(2, 7.0),                               # constant_of_shape
//   np.array([2.0, 6.0]),                          # shape, cast to f32
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = graph.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0]]> : tensor<2x6xf32>
  %r = graph.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  %pu1 = tensor.cast %r : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu1) : (tensor<*xf32>) -> ()
  %x3 = graph.reshape %x : tensor<2x6xf32> -> tensor<2x2x3xf32>
  %t = graph.transpose %x3 {perm = array<i64: 2, 0, 1>} : tensor<2x2x3xf32> -> tensor<3x2x2xf32>
  %tf = graph.flatten %t {axis = 1 : i64} : tensor<3x2x2xf32> -> tensor<3x4xf32>
  %pu2 = tensor.cast %tf : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu2) : (tensor<*xf32>) -> ()
  %c = graph.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %e = graph.expand %c : tensor<2x1xf32> -> tensor<2x3xf32>
  %pu3 = tensor.cast %e : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu3) : (tensor<*xf32>) -> ()
  %E = graph.constant dense<[[0.0, 10.0], [20.0, 30.0], [40.0, 50.0], [60.0, 70.0]]> : tensor<4x2xf32>
  %idx = graph.constant dense<[[0, -1], [2, -3]]> : tensor<2x2xi64>
  %gt = graph.gather %E, %idx {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2x2xi64>) -> tensor<2x2x2xf32>
  %gf = graph.reshape %gt : tensor<2x2x2xf32> -> tensor<4x2xf32>
  %pu4 = tensor.cast %gf : tensor<4x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu4) : (tensor<*xf32>) -> ()
  %sl = graph.slice %x {starts = array<i64: 1, 5>, ends = array<i64: -1, 0>, steps = array<i64: -1, -2>} : tensor<2x6xf32> -> tensor<2x3xf32>
  %slt = graph.transpose %sl {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %sl1 = graph.reshape %slt : tensor<3x2xf32> -> tensor<6xf32>
  %sl3 = graph.slice %sl1 {starts = array<i64: 0>, ends = array<i64: 3>, steps = array<i64: 1>} : tensor<6xf32> -> tensor<3xf32>
  %pu5 = tensor.cast %sl3 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu5) : (tensor<*xf32>) -> ()
  %p:3 = graph.split %x {axis = 1 : i64, sizes = array<i64: 2, 2, 2>} : tensor<2x6xf32> -> tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
  %cc = graph.concat %p#0, %p#2 {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %pu6 = tensor.cast %cc : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%pu6) : (tensor<*xf32>) -> ()
  %x23 = graph.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 3>, steps = array<i64: 1, 1>} : tensor<2x6xf32> -> tensor<2x3xf32>
  %tu = graph.trilu %x23 {upper = true, k = 1 : i64} : tensor<2x3xf32>
  %pu7 = tensor.cast %tu : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu7) : (tensor<*xf32>) -> ()
  %ones = graph.constant dense<1.0> : tensor<3x3xf32>
  %tl = graph.trilu %ones {upper = false, k = -1 : i64} : tensor<3x3xf32>
  %pu8 = tensor.cast %tl : tensor<3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu8) : (tensor<*xf32>) -> ()
  %s0 = graph.constant dense<1.0> : tensor<f32>
  %s1 = graph.constant dense<2.5> : tensor<f32>
  %s2 = graph.constant dense<0.5> : tensor<f32>
  %rg = graph.range %s0, %s1, %s2 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  %pu9 = tensor.cast %rg : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu9) : (tensor<*xf32>) -> ()
  %shp = graph.constant dense<[2]> : tensor<1xi64>
  %cs = graph.constant_of_shape %shp {value = dense<7.0> : tensor<1xf32>} : tensor<1xi64> -> tensor<2xf32>
  %u = graph.unsqueeze %cs {axes = array<i64: 0>} : tensor<2xf32> -> tensor<1x2xf32>
  %sq = graph.squeeze %u {axes = array<i64: 0>} : tensor<1x2xf32> -> tensor<2xf32>
  %id = graph.identity %sq : tensor<2xf32>
  %dr = graph.dropout %id : tensor<2xf32>
  %pu10 = tensor.cast %dr : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu10) : (tensor<*xf32>) -> ()
  %sh = graph.shape %x : tensor<2x6xf32> -> tensor<2xi64>
  %shf = graph.cast %sh : tensor<2xi64> -> tensor<2xf32>
  %pu11 = tensor.cast %shf : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pu11) : (tensor<*xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 1, 2, 3],
// CHECK-NEXT: {{\[}}4, 5, 6, 7],
// CHECK-NEXT: {{\[}}8, 9, 10, 11]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 3, 6, 9],
// CHECK-NEXT: {{\[}}1, 4, 7, 10],
// CHECK-NEXT: {{\[}}2, 5, 8, 11]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}1, 1, 1],
// CHECK-NEXT: {{\[}}2, 2, 2]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 10],
// CHECK-NEXT: {{\[}}60, 70],
// CHECK-NEXT: {{\[}}40, 50],
// CHECK-NEXT: {{\[}}20, 30]]
// CHECK: data =
// CHECK-NEXT: {{\[}}11, 5, 9]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 1, 4, 5],
// CHECK-NEXT: {{\[}}6, 7, 10, 11]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 1, 2],
// CHECK-NEXT: {{\[}}0, 0, 8]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}0, 0, 0],
// CHECK-NEXT: {{\[}}1, 0, 0],
// CHECK-NEXT: {{\[}}1, 1, 0]]
// CHECK: data =
// CHECK-NEXT: {{\[}}1, 1.5, 2]
// CHECK: data =
// CHECK-NEXT: {{\[}}7, 7]
// CHECK: data =
// CHECK-NEXT: {{\[}}2, 6]
