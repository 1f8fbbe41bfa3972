// The softmax cross entropy's forward and backward after lowering and
// elementwise fusion: the forward reads the [N, C] scores in its two
// softmax reductions (max, sum of exp) and saves max + log(sum) per target
// (the log_sum_exp residual); the backward is then one parallel loop over
// the scores, c_i (exp(s - lse) - onehot(y)), and reduces nothing of size
// [N, C] (the only other loops run over the N targets).
// RUN: zo-opt %s --zo-test-vjp --convert-graph-to-linalg --zo-fuse-elementwise | FileCheck %s

// CHECK-LABEL: func.func @sce_vjp(
// CHECK-SAME: %[[S:[^:]*]]: tensor<4x5xf32>
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[S]] : tensor<4x5xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[S]], %[[MAX]] : tensor<4x5xf32>, tensor<4xf32>)
// CHECK: %[[LSE:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x1xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.log
// CHECK-NEXT: arith.addf
// CHECK-NOT: "reduction"]} ins(%{{.*}} : tensor<4x5xf32>
// CHECK-NOT: "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<4x5xf32>
// CHECK: %[[DS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %[[S]], %[[LSE]], {{.*}} outs(%{{.*}} : tensor<4x5xf32>)
// CHECK-NEXT: ^bb0(%[[C:[^:]*]]: f32, %[[SI:[^:]*]]: f32, %[[LI:[^:]*]]: f32, %[[Y:[^:]*]]: i64, %[[K:[^:]*]]: i64,
// CHECK-DAG: %[[LOGP:.*]] = arith.subf %[[SI]], %[[LI]] : f32
// CHECK-DAG: %[[HIT:.*]] = arith.cmpi eq, %[[Y]], %[[K]] : i64
// CHECK-DAG: %[[HOT:.*]] = arith.uitofp %[[HIT]] : i1 to f32
// CHECK-DAG: %[[P:.*]] = math.exp %[[LOGP]] : f32
// CHECK: %[[D:.*]] = arith.subf %[[P]], %[[HOT]] : f32
// CHECK-NEXT: %[[G:.*]] = arith.mulf %[[C]], %[[D]] : f32
// CHECK-NEXT: linalg.yield %[[G]]
// CHECK-NOT: linalg.generic
// CHECK: return %{{.*}}, %[[DS]]
func.func @sce(%s: tensor<4x5xf32>, %y: tensor<4xi64>) -> tensor<f32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}
