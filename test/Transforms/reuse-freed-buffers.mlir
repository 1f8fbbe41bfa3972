// zo-reuse-freed-buffers (lib/Pipelines/ShortenBufferLifetimes.cpp): an
// allocation that follows the dealloc of a same-typed buffer of the same
// block, with no allocation in between, takes that buffer; the peak of
// live bytes cannot grow (nothing is allocated while the freed buffer is
// kept).
// RUN: zo-opt %s -split-input-file --zo-reuse-freed-buffers | FileCheck %s

func.func private @use(memref<4x4xf32>)
func.func private @sgemm(memref<4x4xf32>)

// Reused: the second and third allocations take the first buffer; one
// dealloc is left, after the last use.
// CHECK-LABEL: func.func @chain(
// CHECK-NEXT: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK-NEXT: call @use(%[[A]])
// CHECK-NEXT: call @use(%[[A]])
// CHECK-NEXT: call @sgemm(%[[A]])
// CHECK-NEXT: call @use(%[[A]])
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: return
func.func @chain() {
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%a) : (memref<4x4xf32>) -> ()
  memref.dealloc %a : memref<4x4xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%b) : (memref<4x4xf32>) -> ()
  memref.dealloc %b : memref<4x4xf32>
  // An external call (the BLAS, the runtime) allocates nothing we count.
  call @sgemm(%b) : (memref<4x4xf32>) -> ()
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%c) : (memref<4x4xf32>) -> ()
  memref.dealloc %c : memref<4x4xf32>
  return
}

// -----

func.func private @use(memref<4x4xf32>)
func.func private @use8(memref<8xf32>)

// Not reused: another type, another alignment, an allocation in between
// (keeping the freed buffer would raise the live bytes at it), a buffer
// that is not this block's allocation.
// CHECK-LABEL: func.func @kept(
// CHECK-COUNT-2: memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<8xf32>
// CHECK: memref.alloc() {alignment = 128 : i64} : memref<4x4xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<8xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK: memref.alloc() : memref<8xf32>
// CHECK: memref.dealloc %arg0
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK: return
func.func @kept(%arg0: memref<4x4xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%a) : (memref<4x4xf32>) -> ()
  memref.dealloc %a : memref<4x4xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
  call @use8(%c) : (memref<8xf32>) -> ()
  memref.dealloc %c : memref<8xf32>
  call @use(%b) : (memref<4x4xf32>) -> ()
  memref.dealloc %b : memref<4x4xf32>
  %d = memref.alloc() {alignment = 128 : i64} : memref<4x4xf32>
  %e = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
  %f = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%d) : (memref<4x4xf32>) -> ()
  call @use8(%e) : (memref<8xf32>) -> ()
  call @use(%f) : (memref<4x4xf32>) -> ()
  memref.dealloc %d : memref<4x4xf32>
  memref.dealloc %e : memref<8xf32>
  memref.dealloc %f : memref<4x4xf32>
  %h = memref.alloc() : memref<8xf32>
  call @use8(%h) : (memref<8xf32>) -> ()
  memref.dealloc %h : memref<8xf32>
  memref.dealloc %arg0 : memref<4x4xf32>
  %g = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%g) : (memref<4x4xf32>) -> ()
  memref.dealloc %g : memref<4x4xf32>
  return
}

// -----

func.func private @use(memref<4x4xf32>)

func.func @allocates() {
  %a = memref.alloc() : memref<2xf32>
  memref.dealloc %a : memref<2xf32>
  return
}

// Not reused across a call of a function with a body (it may allocate), nor
// across a loop that allocates.
// CHECK-LABEL: func.func @calls(
// CHECK-COUNT-3: memref.alloc() : memref<4x4xf32>
func.func @calls(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<4x4xf32>
  call @use(%a) : (memref<4x4xf32>) -> ()
  memref.dealloc %a : memref<4x4xf32>
  call @allocates() : () -> ()
  %b = memref.alloc() : memref<4x4xf32>
  call @use(%b) : (memref<4x4xf32>) -> ()
  memref.dealloc %b : memref<4x4xf32>
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<2xf32>
    memref.dealloc %t : memref<2xf32>
  }
  %c = memref.alloc() : memref<4x4xf32>
  call @use(%c) : (memref<4x4xf32>) -> ()
  memref.dealloc %c : memref<4x4xf32>
  return
}
