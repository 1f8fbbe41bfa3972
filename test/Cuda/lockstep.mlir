// zo-cuda-lockstep: the +eps and -eps clones of a ZO step side by side. The
// ops of the second clone are found as twins of the first's (same op,
// operands equal or twins, the clones' scales +eps / -eps); between two
// GEMMs the first clone's ops run, then their twins, and each GEMM is
// followed by its twin. The two perturbed copies of a GEMM weight come from
// one generic with two results (CSE then leaves one noise computation in
// it). What is not a GEMM operand (a bias) is only reordered.
// RUN: zo-opt %s --split-input-file --zo-cuda-lockstep --cse | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// The +eps clone (W copy, GEMM, bias add), then the -eps clone. After:
// one loop reads W and writes both copies, the two GEMMs, then the +eps
// bias add (the perturbed bias, the add) and its -eps twin.
// CHECK-LABEL: func.func @two_clones(
// CHECK-SAME: %[[W:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8xf32>, %[[X:[^:]*]]: tensor<2x4xf32>
// CHECK-DAG: %[[PLUS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK-DAG: %[[MINUS:.*]] = arith.constant -1.000000e-03 : f32
// CHECK: %[[WP:.*]]:2 = linalg.generic
// CHECK-SAME: ins(%[[W]] : tensor<4x8xf32>) outs(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[Z:.*]] = math.sin
// CHECK-NEXT: %[[SP:.*]] = arith.mulf %[[Z]], %[[PLUS]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.addf %[[IN]], %[[SP]] : f32
// CHECK-NEXT: %[[SM:.*]] = arith.mulf %[[Z]], %[[MINUS]] : f32
// CHECK-NEXT: %[[M:.*]] = arith.addf %[[IN]], %[[SM]] : f32
// CHECK-NEXT: linalg.yield %[[P]], %[[M]] : f32, f32
// CHECK-NEXT: } -> (tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK-NOT: math.sin
// CHECK: %[[YP:.*]] = linalg.matmul ins(%[[X]], %[[WP]]#0 : {{.*}}) outs(%[[ACC:.*]] : tensor<2x8xf32>)
// CHECK-NEXT: %[[YM:.*]] = linalg.matmul ins(%[[X]], %[[WP]]#1 : {{.*}}) outs(%[[ACC]] : tensor<2x8xf32>)
// CHECK-NEXT: %[[BP:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<8xf32>)
// CHECK: math.sin
// CHECK: arith.mulf %{{.*}}, %[[PLUS]]
// CHECK: } -> tensor<8xf32>
// CHECK-NEXT: %[[RP:.*]] = linalg.generic {{.*}} ins(%[[YP]], %[[BP]] : tensor<2x8xf32>, tensor<8xf32>)
// CHECK: } -> tensor<2x8xf32>
// CHECK-NEXT: %[[BM:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<8xf32>)
// CHECK: math.sin
// CHECK: arith.mulf %{{.*}}, %[[MINUS]]
// CHECK: } -> tensor<8xf32>
// CHECK-NEXT: %[[RM:.*]] = linalg.generic {{.*}} ins(%[[YM]], %[[BM]] : tensor<2x8xf32>, tensor<8xf32>)
// CHECK: return %[[RP]], %[[RM]]
func.func @two_clones(%w: tensor<4x8xf32>, %b: tensor<8xf32>, %x: tensor<2x4xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %plus = arith.constant 1.0e-03 : f32
  %minus = arith.constant -1.0e-03 : f32
  %zero = arith.constant 0.0 : f32
  %ew = tensor.empty() : tensor<4x8xf32>
  %eb = tensor.empty() : tensor<8xf32>
  %ey = tensor.empty() : tensor<2x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%ey : tensor<2x8xf32>) -> tensor<2x8xf32>
  // +eps
  %wp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = arith.addi %i, %j : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %z = math.sin %kf : f32
    %s = arith.mulf %z, %plus : f32
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %yp = linalg.matmul ins(%x, %wp : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  %bp = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%b : tensor<8xf32>) outs(%eb : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %ki = arith.index_cast %i : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %z = math.sin %kf : f32
    %s = arith.mulf %z, %plus : f32
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %rp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%yp, %bp : tensor<2x8xf32>, tensor<8xf32>) outs(%ey : tensor<2x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %r = arith.addf %in, %bias : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  // -eps
  %wm = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = arith.addi %i, %j : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %z = math.sin %kf : f32
    %s = arith.mulf %z, %minus : f32
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %ym = linalg.matmul ins(%x, %wm : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  %bm = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%b : tensor<8xf32>) outs(%eb : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %ki = arith.index_cast %i : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %z = math.sin %kf : f32
    %s = arith.mulf %z, %minus : f32
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %rm = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%ym, %bm : tensor<2x8xf32>, tensor<8xf32>) outs(%ey : tensor<2x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %r = arith.addf %in, %bias : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  return %rp, %rm : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Scales that are not each other's negation (two different queries, or
// unrelated constants) make no twins: nothing moves, nothing is fused.
// CHECK-LABEL: func.func @not_twins(
// CHECK: %[[A:.*]] = linalg.generic
// CHECK: arith.mulf %{{.*}}, %cst
// CHECK: %[[YA:.*]] = linalg.matmul ins(%{{.*}}, %[[A]] :
// CHECK-NEXT: %[[B:.*]] = linalg.generic
// CHECK: arith.mulf %{{.*}}, %cst_0
// CHECK: linalg.matmul ins(%{{.*}}, %[[B]] :
// CHECK-NOT: -> (tensor<4x8xf32>, tensor<4x8xf32>)
func.func @not_twins(%w: tensor<4x8xf32>, %x: tensor<2x4xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %plus = arith.constant 1.0e-03 : f32
  %other = arith.constant -2.0e-03 : f32
  %zero = arith.constant 0.0 : f32
  %ew = tensor.empty() : tensor<4x8xf32>
  %ey = tensor.empty() : tensor<2x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%ey : tensor<2x8xf32>) -> tensor<2x8xf32>
  %wa = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %plus : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %ya = linalg.matmul ins(%x, %wa : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  %wb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %other : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %yb = linalg.matmul ins(%x, %wb : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %ya, %yb : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// An op with side effects (a parameter's write-back after the forwards)
// bounds the reordering: a twin after it is not moved above it.
// CHECK-LABEL: func.func @side_effect_barrier(
// CHECK: %[[A:.*]] = linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[PLUS:cst[_0-9]*]]
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
// CHECK: bufferization.materialize_in_destination
// CHECK: %[[B:.*]] = linalg.generic
// CHECK: linalg.matmul ins(%{{.*}}, %[[B]] :
// CHECK-NOT: -> (tensor<4x8xf32>, tensor<4x8xf32>)
func.func @side_effect_barrier(%w: tensor<4x8xf32>, %x: tensor<2x4xf32>, %out: memref<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %plus = arith.constant 1.0e-03 : f32
  %minus = arith.constant -1.0e-03 : f32
  %zero = arith.constant 0.0 : f32
  %ew = tensor.empty() : tensor<4x8xf32>
  %ey = tensor.empty() : tensor<2x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%ey : tensor<2x8xf32>) -> tensor<2x8xf32>
  %wa = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.mulf %in, %plus : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %ya = linalg.matmul ins(%x, %wa : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  bufferization.materialize_in_destination %ya in restrict writable %out : (tensor<2x8xf32>, memref<2x8xf32>) -> ()
  %wb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x8xf32>) outs(%ew : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.mulf %in, %minus : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %yb = linalg.matmul ins(%x, %wb : tensor<2x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %ya, %yb : tensor<2x8xf32>, tensor<2x8xf32>
}
