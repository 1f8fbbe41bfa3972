// RUN: zo-opt %s --canonicalize --split-input-file | FileCheck %s
// Expected values by hand (numpy equivalents in the comments).

// CHECK-LABEL: func.func @int_arith
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[4, -1, 5, 2]> : tensor<4xi64>
// CHECK-NEXT: return %[[C]]
func.func @int_arith() -> tensor<4xi64> {
  // ((a * 2) - b) / 2  with a = [3, 1, 4, 1], b = [-2, 4, -2, -2]  (int division truncates)
  %a = graph.constant dense<[3, 1, 4, 1]> : tensor<4xi64>
  %b = graph.constant dense<[-2, 4, -2, -2]> : tensor<4xi64>
  %two = graph.constant dense<2> : tensor<i64>
  %m = graph.mul %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %s = graph.sub %m, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %d = graph.div %s, %two : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  return %d : tensor<4xi64>
}

// -----

// HF's reshape-with-(-1) pattern: where(equal(shape, -1), 1, shape).
// CHECK-LABEL: func.func @where_equal
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[2, 1, 8]> : tensor<3xi64>
func.func @where_equal() -> tensor<3xi64> {
  %s = graph.constant dense<[2, -1, 8]> : tensor<3xi64>
  %m1 = graph.constant dense<-1> : tensor<i64>
  %one = graph.constant dense<1> : tensor<3xi64>
  %e = graph.equal %s, %m1 : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %w = graph.where %e, %one, %s : (tensor<3xi1>, tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %w : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @range_cast
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[0.000000e+00, 3.000000e+00, 6.000000e+00]> : tensor<3xf32>
func.func @range_cast() -> tensor<3xf32> {
  %start = graph.constant dense<0> : tensor<i64>
  %limit = graph.constant dense<8> : tensor<i64>
  %delta = graph.constant dense<3> : tensor<i64>
  %r = graph.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  %f = graph.cast %r : tensor<3xi64> -> tensor<3xf32>
  return %f : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @constant_of_shape
// CHECK-NEXT: graph.constant dense<-3.40282347E+38> : tensor<2x3xf32>
func.func @constant_of_shape() -> tensor<2x3xf32> {
  %s = graph.constant dense<[2, 3]> : tensor<2xi64>
  %c = graph.constant_of_shape %s {value = dense<-3.40282347E+38> : tensor<1xf32>} : tensor<2xi64> -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

// np.arange(6).reshape(2,3)[:, ::-2].T  ->  [[2, 5], [0, 3]]
// CHECK-LABEL: func.func @slice_transpose
// CHECK-NEXT: graph.constant dense<{{\[\[}}2, 5], [0, 3]]> : tensor<2x2xi64>
func.func @slice_transpose() -> tensor<2x2xi64> {
  %a = graph.constant dense<[[0, 1, 2], [3, 4, 5]]> : tensor<2x3xi64>
  %s = graph.slice %a {starts = array<i64: 0, 2>, ends = array<i64: 2, -1>, steps = array<i64: 1, -2>} : tensor<2x3xi64> -> tensor<2x2xi64>
  %t = graph.transpose %s {perm = array<i64: 1, 0>} : tensor<2x2xi64> -> tensor<2x2xi64>
  return %t : tensor<2x2xi64>
}

// -----

// np.cumsum([1, 0, 1, 1]) and the exclusive/reverse variants; np.triu(ones(3,3), 1), np.tril(ones(3,3), -1)
// CHECK-LABEL: func.func @cumsum_trilu
// CHECK-DAG: dense<[1, 1, 2, 3]>
// CHECK-DAG: dense<[0, 1, 1, 2]>
// CHECK-DAG: dense<[3, 2, 2, 1]>
// CHECK-DAG: dense<{{\[\[}}0.000000e+00, 1.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00]]>
// CHECK-DAG: dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 0.000000e+00]]>
func.func @cumsum_trilu() -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<3x3xf32>, tensor<3x3xf32>) {
  %a = graph.constant dense<[1, 0, 1, 1]> : tensor<4xi64>
  %c = graph.cumsum %a {axis = 0 : i64} : tensor<4xi64>
  %e = graph.cumsum %a {axis = 0 : i64, exclusive = true} : tensor<4xi64>
  %r = graph.cumsum %a {axis = 0 : i64, reverse = true} : tensor<4xi64>
  %o = graph.constant dense<1.0> : tensor<3x3xf32>
  %t = graph.trilu %o {k = 1 : i64} : tensor<3x3xf32>
  %l = graph.trilu %o {upper = false, k = -1 : i64} : tensor<3x3xf32>
  return %c, %e, %r, %t, %l : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<3x3xf32>, tensor<3x3xf32>
}

// -----

// np.array([[1,2],[3,4]]).sum(0), .max(1, keepdims) ; expand [1,2] to 2x2
// CHECK-LABEL: func.func @reduce_expand
// CHECK-DAG: dense<[4, 6]> : tensor<2xi64>
// CHECK-DAG: dense<{{\[\[}}2], [4]]> : tensor<2x1xi64>
// CHECK-DAG: dense<{{\[\[}}1, 2], [1, 2]]> : tensor<2x2xi64>
func.func @reduce_expand() -> (tensor<2xi64>, tensor<2x1xi64>, tensor<2x2xi64>) {
  %a = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %s = graph.reduce_sum %a {axes = array<i64: 0>, keepdims = false} : tensor<2x2xi64> -> tensor<2xi64>
  %m = graph.reduce_max %a {axes = array<i64: 1>} : tensor<2x2xi64> -> tensor<2x1xi64>
  %v = graph.constant dense<[1, 2]> : tensor<2xi64>
  %x = graph.expand %v : tensor<2xi64> -> tensor<2x2xi64>
  return %s, %m, %x : tensor<2xi64>, tensor<2x1xi64>, tensor<2x2xi64>
}

// -----

// Identity, dropout and same-type casts disappear; weights (function
// arguments) are never constant-folded.
// CHECK-LABEL: func.func @passthrough
// CHECK-NEXT: %[[A:.*]] = graph.add %arg0, %arg0
// CHECK-NEXT: return %[[A]]
func.func @passthrough(%x: tensor<4xf32>) -> tensor<4xf32> {
  %i = graph.identity %x : tensor<4xf32>
  %d = graph.dropout %i {ratio = 0.1 : f32} : tensor<4xf32>
  %c = graph.cast %d : tensor<4xf32> -> tensor<4xf32>
  %a = graph.add %c, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}
