// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Broadcasting lives in the indexing maps: a missing leading dim is dropped,
// a size-1 dim under a larger one reads index 0.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$B]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%arg0, %arg1 : tensor<2x3x4xf32>, tensor<3x1xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%x: tensor<2x3x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.add %x, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_chain
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: arith.maximumf
// CHECK: math.sin
// CHECK: math.cos
func.func @unary_chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.exp %x : tensor<4xf32>
  %1 = graph.log %0 : tensor<4xf32>
  %2 = graph.sqrt %1 : tensor<4xf32>
  %3 = graph.erf %2 : tensor<4xf32>
  %4 = graph.tanh %3 : tensor<4xf32>
  %5 = graph.abs %4 : tensor<4xf32>
  %6 = graph.neg %5 : tensor<4xf32>
  %7 = graph.relu %6 : tensor<4xf32>
  %8 = graph.sin %7 : tensor<4xf32>
  %9 = graph.cos %8 : tensor<4xf32>
  %10 = graph.reciprocal %9 : tensor<4xf32>
  %11 = graph.sigmoid %10 : tensor<4xf32>
  return %11 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @gelu_forms
// CHECK: math.erf
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu_forms(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.gelu %x : tensor<4xf32>
  %1 = graph.gelu %0 {approximate = "tanh"} : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// x^2 and x^3 are multiplies, x^0.5 a sqrt; the exponent is not an input.
// CHECK-LABEL: func.func @pow_special
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[A]], %[[A]]
// CHECK-NEXT: %[[C:.*]] = arith.mulf %[[S]], %[[A]]
// CHECK-NEXT: linalg.yield %[[C]]
// CHECK: math.sqrt
// CHECK: math.powf
func.func @pow_special(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = graph.constant dense<3.0> : tensor<f32>
  %h = graph.constant dense<0.5> : tensor<f32>
  %0 = graph.pow %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = graph.pow %0, %h : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = graph.pow %1, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @silu
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.mulf
func.func @silu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.cmpi ne, %{{.*}} : i64
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.extui %{{.*}} : i1 to i64
func.func @casts(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi64>) {
  %0 = graph.cast %x : tensor<4xf32> -> tensor<4xi64>
  %1 = graph.cast %0 : tensor<4xi64> -> tensor<4xi1>
  %2 = graph.cast %1 : tensor<4xi1> -> tensor<4xf32>
  %3 = graph.cast %1 : tensor<4xi1> -> tensor<4xi64>
  return %2, %3 : tensor<4xf32>, tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @compare_where
// CHECK: arith.cmpf olt
// CHECK: arith.cmpi sge
// CHECK: arith.andi
// CHECK: arith.xori
// CHECK: arith.select
func.func @compare_where(%x: tensor<2x4xf32>, %y: tensor<4xf32>, %i: tensor<2x4xi64>, %j: tensor<i64>) -> tensor<2x4xf32> {
  %0 = graph.less %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xi1>
  %1 = graph.greater_equal %i, %j : (tensor<2x4xi64>, tensor<i64>) -> tensor<2x4xi1>
  %2 = graph.and %0, %1 : (tensor<2x4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  %3 = graph.not %2 : tensor<2x4xi1>
  %4 = graph.where %3, %x, %y : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %4 : tensor<2x4xf32>
}

// -----

// Integer arithmetic is signed.
// CHECK-LABEL: func.func @int_ops
// CHECK: arith.addi
// CHECK: arith.divsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @int_ops(%a: tensor<3xi64>, %b: tensor<3xi64>) -> tensor<3xi64> {
  %0 = graph.add %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %1 = graph.div %0, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %2 = graph.max %1, %a : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %3 = graph.min %2, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %3 : tensor<3xi64>
}

// -----

// A chain of elementwise ops fuses into one generic upstream.
// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file \
// RUN:   | mlir-opt --linalg-fuse-elementwise-ops --canonicalize --split-input-file \
// RUN:   | FileCheck %s --check-prefix=FUSED
// FUSED-LABEL: func.func @fusible_chain
// FUSED-COUNT-1: linalg.generic
// FUSED-NOT: linalg.generic
func.func @fusible_chain(%x: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = graph.add %x, %b : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %1 = graph.gelu %0 : tensor<8x16xf32>
  %2 = graph.mul %1, %x : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}
