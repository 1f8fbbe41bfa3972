// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KEEP:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @mean_keepdims
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$KEEP]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: arith.addf
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
func.func @mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = graph.reduce_mean %x {axes = array<i64: 0, 2>} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @sum_all
// CHECK: iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<2x3xf32>) outs(%{{.*}} : tensor<f32>)
func.func @sum_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %0 = graph.reduce_sum %x {axes = array<i64>, keepdims = false} : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @max_min_prod
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant -9223372036854775808 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.minimumf
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: arith.mulf
func.func @max_min_prod(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) -> (tensor<2xf32>, tensor<2xi64>, tensor<3xf32>, tensor<2xf32>) {
  %0 = graph.reduce_max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  %1 = graph.reduce_max %i {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi64> -> tensor<2xi64>
  %2 = graph.reduce_min %x {axes = array<i64: 0>, keepdims = false} : tensor<2x3xf32> -> tensor<3xf32>
  %3 = graph.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xi64>, tensor<3xf32>, tensor<2xf32>
}

// -----

// cumsum: an extra reduction dim j over the axis, masked by j <= i.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[I:.*]] = linalg.index 1
// CHECK: %[[J:.*]] = linalg.index 2
// CHECK: arith.cmpi ule, %[[J]], %[[I]]
// CHECK: arith.select
// CHECK-LABEL: func.func @cumsum_reverse_exclusive
// CHECK: arith.cmpi ugt
func.func @cumsum(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = graph.cumsum %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @cumsum_reverse_exclusive(%x: tensor<2x5xi64>) -> tensor<2x5xi64> {
  %0 = graph.cumsum %x {axis = 1 : i64, reverse = true, exclusive = true} : tensor<2x5xi64>
  return %0 : tensor<2x5xi64>
}
