// RUN: zo-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Mean with ignore_index and weights: one generic sums -w*logp and w over
// every target; an ignored (possibly out-of-range) label never indexes.
// CHECK-LABEL: func.func @sce_mean
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[T:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%arg1, %{{.*}}, %{{.*}} : tensor<8xi64>, tensor<8xf32>, tensor<8xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>)
// CHECK: %[[IGN:.*]] = arith.cmpi eq, %{{.*}}, %c-100_i64
// CHECK: %[[SAFE:.*]] = arith.select %[[IGN]], %c0_i64, %{{.*}} : i64
// CHECK: %[[CLS:.*]] = arith.index_cast %[[SAFE]]
// CHECK: tensor.extract %arg0[%{{.*}}, %[[CLS]]] : tensor<8x5xf32>
// CHECK: math.log
// CHECK: tensor.extract %arg2[%[[CLS]]] : tensor<5xf32>
// CHECK: linalg.yield
// CHECK: linalg.generic {{.*}} ins(%[[T]]#0, %[[T]]#1 : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
func.func @sce_mean(%s: tensor<8x5xf32>, %y: tensor<8xi64>, %w: tensor<5xf32>) -> tensor<f32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y, %w {ignore_index = -100 : i64} : (tensor<8x5xf32>, tensor<8xi64>, tensor<5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @sce_none_spatial
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%arg1, %{{.*}}, %{{.*}} : tensor<2x3xi32>, tensor<2x3xf32>, tensor<2x3xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: tensor.extract %arg0[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<2x4x3xf32>
func.func @sce_none_spatial(%s: tensor<2x4x3xf32>, %y: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {reduction = "none"} : (tensor<2x4x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// NLL reads log-probabilities directly: no softmax statistics.
// CHECK-LABEL: func.func @nll_sum
// CHECK-NOT: math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%arg1 : tensor<8xi64>)
// CHECK: tensor.extract %arg0
// CHECK-NOT: arith.divf
// CHECK: return
func.func @nll_sum(%lp: tensor<8x5xf32>, %y: tensor<8xi64>) -> tensor<f32> {
  %0 = graph.nll_loss %lp, %y {reduction = "sum"} : (tensor<8x5xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}
