// RUN: zo-opt --zo-rematerialize-inputs -split-input-file %s | FileCheck %s

// The labels shifted by one position (a causal-LM loss), read by the losses
// of both forward clones of a ZO step: the second reader gets its own copy,
// built right before it, so no buffer lives from the first loss through the
// second forward.
// CHECK-LABEL: func.func @shifted_labels_two_readers
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<1x9xi64>
// CHECK: tensor.insert_slice %arg0 into %[[E1]]
// CHECK: %[[S1:.*]] = tensor.extract_slice
// CHECK: %[[L1:.*]] = linalg.generic {{.*}} ins(%[[S1]], %arg1
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<1x9xi64>
// CHECK: tensor.insert_slice %arg0 into %[[E2]]
// CHECK: %[[S2:.*]] = tensor.extract_slice
// CHECK: %[[L2:.*]] = linalg.generic {{.*}} ins(%[[S2]], %arg2
// CHECK: return %[[L1]], %[[L2]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shifted_labels_two_readers(%labels: tensor<1x8xi64>, %a: tensor<1x8xf32>, %b: tensor<1x8xf32>) -> (tensor<1x8xf32>, tensor<1x8xf32>) {
  %ignore = arith.constant dense<-100> : tensor<1x1xi64>
  %e = tensor.empty() : tensor<1x9xi64>
  %p = tensor.insert_slice %labels into %e[0, 0] [1, 8] [1, 1] : tensor<1x8xi64> into tensor<1x9xi64>
  %q = tensor.insert_slice %ignore into %p[0, 8] [1, 1] [1, 1] : tensor<1x1xi64> into tensor<1x9xi64>
  %shifted = tensor.extract_slice %q[0, 1] [1, 8] [1, 1] : tensor<1x9xi64> to tensor<1x8xi64>
  %o = tensor.empty() : tensor<1x8xf32>
  %l1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%shifted, %a : tensor<1x8xi64>, tensor<1x8xf32>) outs(%o : tensor<1x8xf32>) {
  ^bb0(%t: i64, %x: f32, %out: f32):
    %f = arith.sitofp %t : i64 to f32
    %y = arith.mulf %f, %x : f32
    linalg.yield %y : f32
  } -> tensor<1x8xf32>
  %l2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%shifted, %b : tensor<1x8xi64>, tensor<1x8xf32>) outs(%o : tensor<1x8xf32>) {
  ^bb0(%t: i64, %x: f32, %out: f32):
    %f = arith.sitofp %t : i64 to f32
    %y = arith.mulf %f, %x : f32
    linalg.yield %y : f32
  } -> tensor<1x8xf32>
  return %l1, %l2 : tensor<1x8xf32>, tensor<1x8xf32>
}

// -----

// A value computed from another computed value (a matmul result) is left
// alone: recomputing it would keep its input alive instead.
// CHECK-LABEL: func.func @derived_from_computed
// CHECK-COUNT-1: tensor.extract_slice
// CHECK-NOT: tensor.extract_slice
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @derived_from_computed(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %s = tensor.extract_slice %m[0, 0] [2, 4] [1, 1] : tensor<4x4xf32> to tensor<2x4xf32>
  %o = tensor.empty() : tensor<2x4xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x4xf32>) outs(%o : tensor<2x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.addf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<2x4xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x4xf32>) outs(%o : tensor<2x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.mulf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Above 2^16 elements (here a 512 x 256 slice of an argument) the copy is
// not worth a repeat: one slice, shared.
// CHECK-LABEL: func.func @too_large
// CHECK-COUNT-1: tensor.extract_slice
// CHECK-NOT: tensor.extract_slice
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @too_large(%x: tensor<1024x256xf32>) -> (tensor<512x256xf32>, tensor<512x256xf32>) {
  %s = tensor.extract_slice %x[0, 0] [512, 256] [1, 1] : tensor<1024x256xf32> to tensor<512x256xf32>
  %o = tensor.empty() : tensor<512x256xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<512x256xf32>) outs(%o : tensor<512x256xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.addf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<512x256xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<512x256xf32>) outs(%o : tensor<512x256xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.mulf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<512x256xf32>
  return %a, %b : tensor<512x256xf32>, tensor<512x256xf32>
}

// -----

// A reshape of an argument is a view once bufferized: sharing it holds no
// buffer, so it is not repeated.
// CHECK-LABEL: func.func @view_of_argument
// CHECK-COUNT-1: tensor.collapse_shape
// CHECK-NOT: tensor.collapse_shape
#id1 = affine_map<(d0) -> (d0)>
func.func @view_of_argument(%x: tensor<2x4xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %o = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%c : tensor<8xf32>) outs(%o : tensor<8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.addf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%c : tensor<8xf32>) outs(%o : tensor<8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %y = arith.mulf %v, %v : f32
    linalg.yield %y : f32
  } -> tensor<8xf32>
  return %a, %b : tensor<8xf32>, tensor<8xf32>
}
