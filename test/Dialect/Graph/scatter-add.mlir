// graph.scatter_add round-trips through its custom and generic forms
// (the verifier's errors: scatter-add-invalid.mlir).
// RUN: zo-opt %s -split-input-file | FileCheck %s
// RUN: zo-opt %s -split-input-file --mlir-print-op-generic | zo-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @embedding_grad
// CHECK: graph.scatter_add %arg0, %arg1, %arg2 : (tensor<10x4xf32>, tensor<2x3xi64>, tensor<2x3x4xf32>) -> tensor<10x4xf32>
func.func @embedding_grad(%t: tensor<10x4xf32>, %ids: tensor<2x3xi64>, %dy: tensor<2x3x4xf32>) -> tensor<10x4xf32> {
  %0 = graph.scatter_add %t, %ids, %dy : (tensor<10x4xf32>, tensor<2x3xi64>, tensor<2x3x4xf32>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

// CHECK-LABEL: func.func @middle_axis
// CHECK: graph.scatter_add %arg0, %{{.*}}, %arg1 {axis = -2 : i64} : (tensor<2x5x3xbf16>, tensor<4xi32>, tensor<2x4x3xbf16>) -> tensor<2x5x3xbf16>
func.func @middle_axis(%t: tensor<2x5x3xbf16>, %u: tensor<2x4x3xbf16>) -> tensor<2x5x3xbf16> {
  %ids = graph.constant dense<[4, -5, 0, 4]> : tensor<4xi32>
  %0 = graph.scatter_add %t, %ids, %u {axis = -2 : i64} : (tensor<2x5x3xbf16>, tensor<4xi32>, tensor<2x4x3xbf16>) -> tensor<2x5x3xbf16>
  return %0 : tensor<2x5x3xbf16>
}
