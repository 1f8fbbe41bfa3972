// zo-cuda-inline-generators: a loop filling a small buffer from its indices
// and function arguments only (a perturbed bias: parameter + noise of the
// seed) is recomputed in each later loop reading that buffer; the loop and
// the buffer go. Anything else keeps its buffer.
// RUN: zo-opt %s --split-input-file --zo-cuda-inline-generators | FileCheck %s

// The bias add reads the copy through a different reshape (heads x
// head_dim vs the generator's 8 x 4 groups): the element is found by
// linearizing the read's indices and delinearizing into the buffer's shape.
// CHECK-LABEL: func.func @bias_through_reshape(
// CHECK-SAME: %[[BIAS:[^:]*]]: memref<32xf32>, %[[SEED:[^:]*]]: memref<i64>
// CHECK-NOT: memref.alloc
// CHECK: %[[B:.*]] = memref.expand_shape %[[BIAS]]
// CHECK: scf.parallel (%[[R:.*]], %[[H:.*]], %[[D:.*]]) =
// CHECK: %[[X:.*]] = memref.load %arg2[%[[R]], %[[H]], %[[D]]]
// CHECK: %[[L:.*]] = affine.linearize_index disjoint [%[[H]], %[[D]]] by (4, 8)
// CHECK: %[[I:.*]]:2 = affine.delinearize_index %[[L]] into (8, 4)
// CHECK: %[[P:.*]] = memref.load %[[B]][%[[I]]#0, %[[I]]#1] : memref<8x4xf32>
// CHECK: %[[S:.*]] = memref.load %[[SEED]][] : memref<i64>
// CHECK: arith.index_cast %[[I]]#0
// CHECK: %[[V:.*]] = arith.addf %[[P]], %{{.*}} : f32
// CHECK: arith.addf %[[X]], %[[V]] : f32
// CHECK-NOT: scf.parallel
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @bias_through_reshape(%bias: memref<32xf32>, %seed: memref<i64>, %x: memref<2x4x8xf32>, %y: memref<2x4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %b = memref.expand_shape %bias [[0, 1]] output_shape [8, 4] : memref<32xf32> into memref<8x4xf32>
  %copy = memref.alloc() : memref<8x4xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c4) step (%c1, %c1) {
    %p = memref.load %b[%i, %j] : memref<8x4xf32>
    %s = memref.load %seed[] : memref<i64>
    %ii = arith.index_cast %i : index to i64
    %k = arith.xori %s, %ii : i64
    %z = arith.sitofp %k : i64 to f32
    %v = arith.addf %p, %z : f32
    memref.store %v, %copy[%i, %j] : memref<8x4xf32>
    scf.reduce
  }
  %flat = memref.collapse_shape %copy [[0, 1]] : memref<8x4xf32> into memref<32xf32>
  %view = memref.expand_shape %flat [[0, 1]] output_shape [4, 8] : memref<32xf32> into memref<4x8xf32>
  scf.parallel (%r, %h, %d) = (%c0, %c0, %c0) to (%c2, %c4, %c8) step (%c1, %c1, %c1) {
    %a = memref.load %x[%r, %h, %d] : memref<2x4x8xf32>
    %bb = memref.load %view[%h, %d] : memref<4x8xf32>
    %sum = arith.addf %a, %bb : f32
    memref.store %sum, %y[%r, %h, %d] : memref<2x4x8xf32>
    scf.reduce
  }
  memref.dealloc %copy : memref<8x4xf32>
  return
}

// -----

// A noise loop's order: it iterates [16 blocks, 4 lanes] and stores to the
// [4, 16] element order (the store's indices are the induction variables
// swapped): each induction variable still indexes one buffer dim, matched by
// position, and the lane loop's variable becomes the delinearized index of
// dim 0, the block loop's that of dim 1.
// CHECK-LABEL: func.func @permuted_store(
// CHECK-SAME: %[[BIAS:[^:]*]]: memref<64xf32>, %[[SEED:[^:]*]]: memref<i64>
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel (%[[R:.*]], %[[C:.*]]) =
// CHECK: %[[I:.*]]:2 = affine.delinearize_index %{{.*}} into (4, 16)
// CHECK: memref.load %{{.*}}[%[[I]]#0, %[[I]]#1] : memref<4x16xf32>
// CHECK: arith.index_cast %[[I]]#1 : index to i64
// CHECK-NOT: scf.parallel
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @permuted_store(%bias: memref<64xf32>, %seed: memref<i64>, %x: memref<2x64xf32>, %y: memref<2x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %b = memref.expand_shape %bias [[0, 1]] output_shape [4, 16] : memref<64xf32> into memref<4x16xf32>
  %copy = memref.alloc() : memref<4x16xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c4) step (%c1, %c1) {
    %p = memref.load %b[%j, %i] : memref<4x16xf32>
    %s = memref.load %seed[] : memref<i64>
    %ii = arith.index_cast %i : index to i64
    %k = arith.xori %s, %ii : i64
    %z = arith.sitofp %k : i64 to f32
    %v = arith.addf %p, %z : f32
    memref.store %v, %copy[%j, %i] : memref<4x16xf32>
    scf.reduce
  }
  %flat = memref.collapse_shape %copy [[0, 1]] : memref<4x16xf32> into memref<64xf32>
  scf.parallel (%r, %c) = (%c0, %c0) to (%c2, %c64) step (%c1, %c1) {
    %a = memref.load %x[%r, %c] : memref<2x64xf32>
    %bb = memref.load %flat[%c] : memref<64xf32>
    %sum = arith.addf %a, %bb : f32
    memref.store %sum, %y[%r, %c] : memref<2x64xf32>
    scf.reduce
  }
  memref.dealloc %copy : memref<4x16xf32>
  return
}

// -----

// A buffer with unit dimensions indexed by 0 (an attention mask gathered
// through a constant table), read with its own shape by two later loops:
// each gets the recomputation, the table is a constant global.
// CHECK-LABEL: func.func @unit_dims_two_readers(
// CHECK: memref.get_global @table
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel
// CHECK: memref.load %{{.*}} : memref<2x8xi64>
// CHECK: arith.cmpi ne
// CHECK: scf.parallel
// CHECK: memref.load %{{.*}} : memref<2x8xi64>
// CHECK: arith.cmpi ne
// CHECK-NOT: memref.dealloc
memref.global "private" constant @table : memref<2x8xi64> = dense<1>
func.func @unit_dims_two_readers(%mask: memref<2x8xi64>, %o1: memref<2x8xi1>, %o2: memref<2x8xi1>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i64
  %t = memref.get_global @table : memref<2x8xi64>
  %m = memref.alloc() : memref<2x1x8xi1>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %w = memref.load %t[%i, %j] : memref<2x8xi64>
    %v = memref.load %mask[%i, %j] : memref<2x8xi64>
    %p = arith.muli %v, %w : i64
    %b = arith.cmpi ne, %p, %zero : i64
    memref.store %b, %m[%i, %c0, %j] : memref<2x1x8xi1>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %b = memref.load %m[%i, %c0, %j] : memref<2x1x8xi1>
    memref.store %b, %o1[%i, %j] : memref<2x8xi1>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %b = memref.load %m[%i, %c0, %j] : memref<2x1x8xi1>
    %n = arith.xori %b, %b : i1
    memref.store %n, %o2[%i, %j] : memref<2x8xi1>
    scf.reduce
  }
  memref.dealloc %m : memref<2x1x8xi1>
  return
}

// -----

// A GEMM weight's perturbed copy is read by the cuBLAS call: it stays in
// memory.
// CHECK-LABEL: func.func @gemm_operand(
// CHECK: %[[COPY:.*]] = memref.alloc() : memref<4x4xf32>
// CHECK: scf.parallel
// CHECK: memref.store %{{.*}}, %[[COPY]]
// CHECK: call @zo_cuda_sgemm(%{{.*}}, %[[COPY]]
func.func private @zo_cuda_sgemm(memref<4x4xf32>, memref<4x4xf32>, memref<4x4xf32>, f32)
func.func @gemm_operand(%w: memref<4x4xf32>, %a: memref<4x4xf32>, %c: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %beta = arith.constant 0.0 : f32
  %copy = memref.alloc() : memref<4x4xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) {
    %p = memref.load %w[%i, %j] : memref<4x4xf32>
    %v = arith.addf %p, %p : f32
    memref.store %v, %copy[%i, %j] : memref<4x4xf32>
    scf.reduce
  }
  call @zo_cuda_sgemm(%a, %copy, %c, %beta) : (memref<4x4xf32>, memref<4x4xf32>, memref<4x4xf32>, f32) -> ()
  memref.dealloc %copy : memref<4x4xf32>
  return
}

// -----

// Not generators: a loop reading an intermediate buffer (not an argument),
// and a loop whose argument is written (by a call) before the read: both
// keep their buffers.
// CHECK-LABEL: func.func @not_generators(
// CHECK-COUNT-2: memref.alloc()
// CHECK: return
func.func private @write(memref<8xf32>)
func.func @not_generators(%p: memref<8xf32>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %t = memref.alloc() : memref<8xf32>
  %u = memref.alloc() : memref<8xf32>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %p[%i] : memref<8xf32>
    memref.store %v, %t[%i] : memref<8xf32>
    scf.reduce
  }
  call @write(%p) : (memref<8xf32>) -> ()
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %t[%i] : memref<8xf32>
    memref.store %v, %u[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %u[%i] : memref<8xf32>
    memref.store %v, %y[%i] : memref<8xf32>
    scf.reduce
  }
  memref.dealloc %t : memref<8xf32>
  memref.dealloc %u : memref<8xf32>
  return
}
