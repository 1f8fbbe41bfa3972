// RUN: zo-opt --zo-linalg-to-blas -split-input-file %s | FileCheck %s

// A zero fill right before the matmul is dropped: the call overwrites C.
// CHECK-LABEL: func.func @zero_init
// CHECK-NOT: linalg.fill
// CHECK: %[[BETA:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[A:.*]] = memref.cast %arg0 : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[B:.*]] = memref.cast %arg1
// CHECK: %[[C:.*]] = memref.cast %[[ALLOC:.*]] :
// CHECK: call @zo_rt_sgemm(%[[A]], %[[B]], %[[C]], %[[BETA]])
// CHECK-NOT: linalg.matmul
// CHECK-DAG: func.func private @zo_rt_sgemm(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, f32) attributes {llvm.emit_c_interface}
func.func @zero_init(%a: memref<4x8xf32>, %b: memref<8x5xf32>, %out: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x5xf32>) outs(%c : memref<4x5xf32>)
  memref.copy %c, %out : memref<4x5xf32> to memref<4x5xf32>
  memref.dealloc %c : memref<4x5xf32>
  return
}

// -----

// Without a zero fill, linalg's accumulation is kept (beta = 1).
// CHECK-LABEL: func.func @accumulate
// CHECK: %[[BETA:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: call @zo_rt_sgemm(%{{.*}}, %{{.*}}, %{{.*}}, %[[BETA]])
func.func @accumulate(%a: memref<4x8xf32>, %b: memref<8x5xf32>, %c: memref<4x5xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x5xf32>) outs(%c : memref<4x5xf32>)
  return
}

// -----

// A zero fill of a function argument goes too when nothing lies between.
// CHECK-LABEL: func.func @fill_arg
// CHECK-NOT: linalg.fill
// CHECK: arith.constant 0.000000e+00 : f64
// CHECK: call @zo_rt_dgemm(
func.func @fill_arg(%a: memref<4x8xf64>, %b: memref<8x5xf64>, %c: memref<4x5xf64>) {
  %zero = arith.constant 0.0 : f64
  linalg.fill ins(%zero : f64) outs(%c : memref<4x5xf64>)
  linalg.matmul ins(%a, %b : memref<4x8xf64>, memref<8x5xf64>) outs(%c : memref<4x5xf64>)
  return
}

// -----

// A non-zero fill stays and the call accumulates onto it.
// CHECK-LABEL: func.func @one_init
// CHECK: %[[BETA:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[BETA]] : f32)
// CHECK: call @zo_rt_sgemm(%{{.*}}, %{{.*}}, %{{.*}}, %[[BETA]])
func.func @one_init(%a: memref<4x8xf32>, %b: memref<8x5xf32>, %c: memref<4x5xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<4x5xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x5xf32>) outs(%c : memref<4x5xf32>)
  return
}

// -----

// Transposed operands become memref.transpose views.
// CHECK-LABEL: func.func @transposed_b
// CHECK: %[[T:.*]] = memref.transpose %arg1 (d0, d1, d2) -> (d0, d2, d1)
// CHECK: %[[B:.*]] = memref.cast %[[T]]
// CHECK: call @zo_rt_sgemm_batched(%{{.*}}, %[[B]], %{{.*}}, %{{.*}})
func.func @transposed_b(%q: memref<2x3x4xf32>, %k: memref<2x5x4xf32>, %s: memref<2x3x5xf32>) {
  linalg.batch_matmul
      indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                       affine_map<(b, m, n, k) -> (b, n, k)>,
                       affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : memref<2x3x4xf32>, memref<2x5x4xf32>) outs(%s : memref<2x3x5xf32>)
  return
}

// -----

// Integer GEMMs and tensors are left to the loop lowering.
// CHECK-LABEL: func.func @not_rewritten
// CHECK: linalg.matmul
// CHECK: linalg.matmul
// CHECK-NOT: call
func.func @not_rewritten(%a: memref<4x8xi32>, %b: memref<8x5xi32>, %c: memref<4x5xi32>,
                         %ta: tensor<4x8xf32>, %tb: tensor<8x5xf32>, %tc: tensor<4x5xf32>) -> tensor<4x5xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xi32>, memref<8x5xi32>) outs(%c : memref<4x5xi32>)
  %r = linalg.matmul ins(%ta, %tb : tensor<4x8xf32>, tensor<8x5xf32>) outs(%tc : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %r : tensor<4x5xf32>
}
