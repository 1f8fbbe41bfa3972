// graph.scatter_add -> an scf.forall over the table's columns (every
// dimension but the axis), each adding the index positions' values into its
// column in order (scf.for); negative indices wrap, an index still outside
// [0, rows) is skipped (scf.if). The table keeps its shape; a zero table is
// a fill the loop writes. Numbers: scatter-add-run.mlir.
// RUN: zo-opt %s -split-input-file --convert-graph-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @embedding_grad
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<100x16xf32>)
// CHECK: %[[DY:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2]] : tensor<2x3x16xf32> into tensor<6x16xf32>
// CHECK: %[[IDS:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<2x3xi64> into tensor<6xi64>
// CHECK: %[[R:.*]] = scf.forall (%[[C:.*]]) in (16) shared_outs(%[[T:.*]] = %[[FILL]]) -> (tensor<100x16xf32>)
// CHECK: %[[COL:.*]] = tensor.extract_slice %[[T]][%{{.*}}, %[[C]]] [100, 1] [1, 1] : tensor<100x16xf32> to tensor<100xf32>
// CHECK: %[[SUM:.*]] = scf.for %[[I:.*]] = %{{.*}} to %c6 step %{{.*}} iter_args(%[[ACC:.*]] = %[[COL]]) -> (tensor<100xf32>)
// CHECK: %[[RAW:.*]] = tensor.extract %[[IDS]][%[[I]]] : tensor<6xi64>
// CHECK: %[[V:.*]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[V]], %c0
// CHECK: %[[UP:.*]] = arith.addi %[[V]], %c100
// CHECK: %[[ROW:.*]] = arith.select %[[NEG]], %[[UP]], %[[V]]
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[ROW]], %c100
// CHECK: %[[X:.*]] = tensor.extract %[[DY]][%[[I]], %[[C]]] : tensor<6x16xf32>
// CHECK: scf.if %[[IN]] -> (tensor<100xf32>)
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]][%[[ROW]]]
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[X]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[ACC]][%[[ROW]]]
// CHECK: } else {
// CHECK: scf.yield %[[ACC]]
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %[[SUM]] into %[[T]][%{{.*}}, %[[C]]] [100, 1] [1, 1] : tensor<100xf32> into tensor<100x16xf32>
// CHECK: return %[[R]] : tensor<100x16xf32>
func.func @embedding_grad(%ids: tensor<2x3xi64>, %dy: tensor<2x3x16xf32>) -> tensor<100x16xf32> {
  %zeros = graph.constant dense<0.0> : tensor<100x16xf32>
  %0 = graph.scatter_add %zeros, %ids, %dy : (tensor<100x16xf32>, tensor<2x3xi64>, tensor<2x3x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// -----

// A middle axis (given negative): the columns are (a, b), the updates are
// read at (a, i, b); a non-constant table is the loop's initial value.
// CHECK-LABEL: func.func @middle_axis
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%[[A:.*]], %[[B:.*]]) in (2, 3) shared_outs(%[[T:.*]] = %arg0) -> (tensor<2x5x3xf32>)
// CHECK: tensor.extract_slice %[[T]][%[[A]], %{{.*}}, %[[B]]] [1, 5, 1] [1, 1, 1] : tensor<2x5x3xf32> to tensor<5xf32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %c4
// CHECK: tensor.extract %arg1[%[[I]]] : tensor<4xi32>
// CHECK: arith.index_cast %{{.*}} : i32 to index
// CHECK: tensor.extract %arg2[%[[A]], %[[I]], %[[B]]] : tensor<2x4x3xf32>
func.func @middle_axis(%t: tensor<2x5x3xf32>, %ids: tensor<4xi32>, %u: tensor<2x4x3xf32>) -> tensor<2x5x3xf32> {
  %0 = graph.scatter_add %t, %ids, %u {axis = -2 : i64} : (tensor<2x5x3xf32>, tensor<4xi32>, tensor<2x4x3xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// A 1-D table and a scalar index: one column, one position.
// CHECK-LABEL: func.func @vector
// CHECK: scf.forall (%{{.*}}) in (1) shared_outs(%[[T:.*]] = %arg0) -> (tensor<6xf32>)
// CHECK: tensor.extract_slice %[[T]][%{{.*}}] [6] [1] : tensor<6xf32> to tensor<6xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c1
func.func @vector(%t: tensor<6xf32>, %ids: tensor<i64>, %u: tensor<f32>) -> tensor<6xf32> {
  %0 = graph.scatter_add %t, %ids, %u : (tensor<6xf32>, tensor<i64>, tensor<f32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}
