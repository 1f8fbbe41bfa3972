// RUN: zo-opt %s | zo-opt | FileCheck %s
// Each op below is written with the result type its inference must produce;
// the parser re-infers and rejects any mismatch, so a wrong rule fails here.

// CHECK-LABEL: func.func @inference
func.func @inference(%a: tensor<2x1x8xf32>, %b: tensor<4x1xf32>, %m: tensor<3x8x16xf32>,
                     %v: tensor<16xf32>, %i: tensor<2x5xi64>, %e: tensor<100x32xf32>,
                     %w: tensor<10x24xf32>, %c: tensor<10xf32>) {
  // CHECK: graph.add {{.*}} -> tensor<2x4x8xf32>
  %0 = graph.add %a, %b : (tensor<2x1x8xf32>, tensor<4x1xf32>) -> tensor<2x4x8xf32>
  // CHECK: graph.less {{.*}} -> tensor<2x4x8xi1>
  %1 = graph.less %a, %b : (tensor<2x1x8xf32>, tensor<4x1xf32>) -> tensor<2x4x8xi1>
  // CHECK: graph.where {{.*}} -> tensor<2x4x8xf32>
  %2 = graph.where %1, %a, %b : (tensor<2x4x8xi1>, tensor<2x1x8xf32>, tensor<4x1xf32>) -> tensor<2x4x8xf32>
  // Batch broadcasting and 1-D promotion of numpy matmul.
  // CHECK: graph.matmul {{.*}} -> tensor<3x8xf32>
  %3 = graph.matmul %m, %v : (tensor<3x8x16xf32>, tensor<16xf32>) -> tensor<3x8xf32>
  // CHECK: graph.matmul {{.*}} -> tensor<2x3x8x8xf32>
  %t = graph.transpose %m {perm = array<i64: 0, 2, 1>} : tensor<3x8x16xf32> -> tensor<3x16x8xf32>
  %mm = graph.reshape %m : tensor<3x8x16xf32> -> tensor<1x3x8x16xf32>
  %mb = graph.expand %mm : tensor<1x3x8x16xf32> -> tensor<2x3x8x16xf32>
  %4 = graph.matmul %mb, %t : (tensor<2x3x8x16xf32>, tensor<3x16x8xf32>) -> tensor<2x3x8x8xf32>
  // CHECK: graph.gather {{.*}} -> tensor<2x5x32xf32>
  %5 = graph.gather %e, %i {axis = 0 : i64} : (tensor<100x32xf32>, tensor<2x5xi64>) -> tensor<2x5x32xf32>
  // CHECK: graph.reduce_mean {{.*}} -> tensor<3xf32>
  %6 = graph.reduce_mean %m {axes = array<i64: 1, 2>, keepdims = false} : tensor<3x8x16xf32> -> tensor<3xf32>
  // CHECK: graph.slice {{.*}} -> tensor<3x4x6xf32>
  %7 = graph.slice %m {starts = array<i64: 0, 7, 0>, ends = array<i64: 3, -1, 16>, steps = array<i64: 1, -2, 3>} : tensor<3x8x16xf32> -> tensor<3x4x6xf32>
  // CHECK: graph.concat {{.*}} -> tensor<3x16x16xf32>
  %8 = graph.concat %m, %m {axis = 1 : i64} : (tensor<3x8x16xf32>, tensor<3x8x16xf32>) -> tensor<3x16x16xf32>
  // CHECK: graph.flatten {{.*}} -> tensor<24x16xf32>
  %9 = graph.flatten %m {axis = 2 : i64} : tensor<3x8x16xf32> -> tensor<24x16xf32>
  // CHECK: graph.gemm {{.*}} -> tensor<16x10xf32>
  %10 = graph.gemm %9, %w, %c {transA = true, transB = true} : (tensor<24x16xf32>, tensor<10x24xf32>, tensor<10xf32>) -> tensor<16x10xf32>
  return
}
