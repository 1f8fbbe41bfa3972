// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense<[1, 2]> : tensor<2xi64>
// CHECK: arith.constant dense_resource<w> : tensor<2x2xf32>
// CHECK: arith.constant dense<[2, 3]> : tensor<2xi64>
// The conversion driver runs the graph folders first: with static shapes
// shape and constant_of_shape always fold to (splat) constants.
// CHECK: arith.constant dense<7.000000e+00> : tensor<2x3xf32>
// CHECK: arith.constant dense<5.000000e-01> : tensor<4x2xf32>
func.func @constants(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> (tensor<2xi64>, tensor<2x2xf32>, tensor<2xi64>, tensor<2x3xf32>, tensor<4x2xf32>) {
  %0 = graph.constant dense<[1, 2]> : tensor<2xi64>
  %1 = graph.constant dense_resource<w> : tensor<2x2xf32>
  %2 = graph.shape %x : tensor<2x3xf32> -> tensor<2xi64>
  %3 = graph.constant_of_shape %2 {value = dense<7.0> : tensor<1xf32>} : tensor<2xi64> -> tensor<2x3xf32>
  %4 = graph.constant_of_shape %s {value = dense<0.5> : tensor<1xf32>} : tensor<2xi64> -> tensor<4x2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xi64>, tensor<2x2xf32>, tensor<2xi64>, tensor<2x3xf32>, tensor<4x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F0000004000004040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @range
// CHECK: %[[S:.*]] = tensor.extract %arg0[]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<5xi64>)
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: arith.addi %[[S]]
func.func @range(%s: tensor<i64>, %l: tensor<i64>, %d: tensor<i64>) -> tensor<5xi64> {
  %0 = graph.range %s, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// Views: collapse/expand when the reshape is one, else through 1-D.
// CHECK-LABEL: func.func @views
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2]] output_shape [2, 4, 8] : tensor<2x32xf32> into tensor<2x4x8xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x4x8xf32> into tensor<8x8xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<8x8xf32> into tensor<64xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [16, 4] : tensor<64xf32> into tensor<16x4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 16, 4]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x16x4xf32> into tensor<16x4xf32>
// CHECK-NOT: graph.
func.func @views(%x: tensor<2x32xf32>) -> tensor<16x4xf32> {
  %0 = graph.reshape %x : tensor<2x32xf32> -> tensor<2x4x8xf32>
  %1 = graph.flatten %0 {axis = 2 : i64} : tensor<2x4x8xf32> -> tensor<8x8xf32>
  %2 = graph.reshape %1 : tensor<8x8xf32> -> tensor<16x4xf32>
  %3 = graph.unsqueeze %2 {axes = array<i64: 0>} : tensor<16x4xf32> -> tensor<1x16x4xf32>
  %4 = graph.squeeze %3 {axes = array<i64: 0>} : tensor<1x16x4xf32> -> tensor<16x4xf32>
  %5 = graph.identity %4 : tensor<16x4xf32>
  %6 = graph.dropout %5 : tensor<16x4xf32>
  return %6 : tensor<16x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_expand
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x5xf32>)
func.func @transpose_expand(%x: tensor<2x3x4xf32>, %y: tensor<3x1xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x5xf32>) {
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = graph.expand %y : tensor<3x1xf32> -> tensor<2x3x5xf32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<2x3x5xf32>
}

// -----

// Embedding lookup: indices are an input, the table is read with
// tensor.extract, negative indices wrap around.
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {indexing_maps = [#[[$IDX]], {{.*}}]{{.*}} ins(%arg1 : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3x16xf32>)
// CHECK: ^bb0(%[[I:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[C:.*]] = arith.index_cast %[[I]] : i64 to index
// CHECK: %[[W:.*]] = arith.addi %[[C]], %c100
// CHECK: %[[N:.*]] = arith.cmpi slt, %[[C]], %c0
// CHECK: %[[R:.*]] = arith.select %[[N]], %[[W]], %[[C]]
// CHECK: %[[D:.*]] = linalg.index 2
// CHECK: tensor.extract %arg0[%[[R]], %[[D]]] : tensor<100x16xf32>
func.func @gather(%table: tensor<100x16xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x16xf32> {
  %0 = graph.gather %table, %ids {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x3xi64>) -> tensor<2x3x16xf32>
  return %0 : tensor<2x3x16xf32>
}

// -----

// CHECK-LABEL: func.func @concat_split
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %arg1 into %[[A]][0, 3] [2, 4] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 5] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 5] [2, 2] [1, 1]
func.func @concat_split(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> (tensor<2x5xf32>, tensor<2x2xf32>) {
  %0 = graph.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
  %1:2 = graph.split %0 {axis = 1 : i64, sizes = array<i64: 5, 2>} : tensor<2x7xf32> -> tensor<2x5xf32>, tensor<2x2xf32>
  return %1#0, %1#1 : tensor<2x5xf32>, tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %arg0[1, 0] [2, 3] [1, 2] : tensor<4x6xf32> to tensor<2x3xf32>
// A negative step reads input[start + i * step].
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x6xf32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: %[[M:.*]] = arith.muli %[[I]], %c-1
// CHECK: %[[R:.*]] = arith.addi %[[M]], %c3
// CHECK: tensor.extract %arg0[%[[R]], %{{.*}}] : tensor<4x6xf32>
func.func @slices(%x: tensor<4x6xf32>) -> (tensor<2x3xf32>, tensor<4x6xf32>) {
  %0 = graph.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 2>} : tensor<4x6xf32> -> tensor<2x3xf32>
  %1 = graph.slice %x {starts = array<i64: 3, 0>, ends = array<i64: -1, 6>, steps = array<i64: -1, 1>} : tensor<4x6xf32> -> tensor<4x6xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @causal_mask
// CHECK: linalg.index 1
// CHECK: linalg.index 2
// CHECK: arith.subi
// CHECK: arith.cmpi sle
// CHECK: arith.select
func.func @causal_mask(%x: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  %0 = graph.trilu %x {upper = false} : tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}
