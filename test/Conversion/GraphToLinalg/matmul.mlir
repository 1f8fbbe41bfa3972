// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @plain
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<5x4xf32>, tensor<4x3xf32>) outs(%[[Z]] : tensor<5x3xf32>)
func.func @plain(%a: tensor<5x4xf32>, %b: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = graph.matmul %a, %b : (tensor<5x4xf32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// Activations times a weight: the batch folds into M, one GEMM.
// CHECK-LABEL: func.func @batch_times_weight
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x5x4xf32> into tensor<10x4xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %arg1 : tensor<10x4xf32>, tensor<4x3xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 5, 3]
func.func @batch_times_weight(%a: tensor<2x5x4xf32>, %b: tensor<4x3xf32>) -> tensor<2x5x3xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x5x4xf32>, tensor<4x3xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// Attention scores: equal batches collapse to one batch dim.
// CHECK-LABEL: func.func @attention
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<8x8x16xf32>, tensor<8x16x8xf32>)
func.func @attention(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = graph.matmul %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// Batch dims [2, 1] x [3] broadcast: the operands are copied to [2, 3].
// CHECK-DAG: #[[$LB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[$RB:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-LABEL: func.func @batch_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$LB]], {{.*}}]{{.*}} ins(%arg0 : tensor<2x1x5x4xf32>) outs(%{{.*}} : tensor<2x3x5x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$RB]], {{.*}}]{{.*}} ins(%arg1 : tensor<3x4x6xf32>) outs(%{{.*}} : tensor<2x3x4x6xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x5x4xf32>, tensor<6x4x6xf32>) outs(%{{.*}} : tensor<6x5x6xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<2x3x5x6xf32>
func.func @batch_broadcast(%a: tensor<2x1x5x4xf32>, %b: tensor<3x4x6xf32>) -> tensor<2x3x5x6xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x1x5x4xf32>, tensor<3x4x6xf32>) -> tensor<2x3x5x6xf32>
  return %0 : tensor<2x3x5x6xf32>
}

// -----

// 1-D operands are promoted and the added dim removed again.
// CHECK-LABEL: func.func @vector_matrix
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %arg1 : tensor<1x4xf32>, tensor<4x3xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
func.func @vector_matrix(%v: tensor<4xf32>, %w: tensor<4x3xf32>) -> tensor<3xf32> {
  %0 = graph.matmul %v, %w : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @dot
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1x1xf32> into tensor<f32>
func.func @dot(%v: tensor<4xf32>, %w: tensor<4xf32>) -> tensor<f32> {
  %0 = graph.matmul %v, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Gemm with transB and C (alpha = 1): the transpose is an indexing map, C is
// broadcast into the accumulator the matmul adds into.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gemm_transb_c
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<3xf32>) outs(%{{.*}} : tensor<5x3xf32>)
// CHECK: arith.mulf
// CHECK: linalg.matmul indexing_maps = [#[[$A]], #[[$BT]], #[[$C]]] ins(%arg0, %arg1 : tensor<5x4xf32>, tensor<3x4xf32>) outs(%[[ACC]] : tensor<5x3xf32>)
func.func @gemm_transb_c(%a: tensor<5x4xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) -> tensor<5x3xf32> {
  %0 = graph.gemm %a, %b, %c {transB = true, beta = 0.5 : f32} : (tensor<5x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// alpha != 1: zero-initialized matmul, then alpha * AB + beta * C elementwise.
// CHECK-DAG: #[[$AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @gemm_transa_alpha
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: %[[P:.*]] = linalg.matmul indexing_maps = [#[[$AT]], {{.*}}] ins(%arg0, %arg1 : tensor<4x5xf32>, tensor<4x3xf32>) outs(%[[Z]] : tensor<5x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]], %arg2 : tensor<5x3xf32>, tensor<5x1xf32>)
func.func @gemm_transa_alpha(%a: tensor<4x5xf32>, %b: tensor<4x3xf32>, %c: tensor<5x1xf32>) -> tensor<5x3xf32> {
  %0 = graph.gemm %a, %b, %c {transA = true, alpha = 2.0 : f32} : (tensor<4x5xf32>, tensor<4x3xf32>, tensor<5x1xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}
