// zo-elementwise-in-place (lib/Pipelines/ShortenBufferLifetimes.cpp): an
// all-parallel loop that writes a fresh buffer and reads, at the same index,
// a same-typed buffer of its block that is freed right after it writes that
// buffer instead; the fresh allocation and the dealloc go.
// RUN: zo-opt %s -split-input-file --zo-elementwise-in-place | FileCheck %s
// Inside the CPU pipeline its results are checked by every end-to-end test
// (e.g. test/Train/fo-bert.test against numpy, test/Train/fo-memory.test).

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d0)>
func.func private @use(memref<4x4xf32>)

// Rewritten: both inputs die at the loop (their deallocs follow it); the
// first, %c, becomes the output buffer and %b goes. The loop reads c[i,j]
// and a[i,j] and writes c[i,j].
// CHECK-LABEL: func.func @dies(
// CHECK: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK-NEXT: %[[C:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK-NEXT: call @use(%[[A]])
// CHECK-NEXT: call @use(%[[C]])
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[C]], %[[A]] : memref<4x4xf32>, memref<4x4xf32>) outs(%[[C]] : memref<4x4xf32>)
// CHECK: memref.dealloc %[[A]]
// CHECK-NEXT: call @use(%[[C]])
// CHECK-NEXT: memref.dealloc %[[C]]
// CHECK-NEXT: return
func.func @dies() {
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%a) : (memref<4x4xf32>) -> ()
  call @use(%c) : (memref<4x4xf32>) -> ()
  %b = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%b : memref<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<4x4xf32>
  memref.dealloc %a : memref<4x4xf32>
  call @use(%b) : (memref<4x4xf32>) -> ()
  memref.dealloc %b : memref<4x4xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d0)>
#sum = affine_map<(d0, d1) -> (d0)>
func.func private @use(memref<4x4xf32>)
func.func private @use1(memref<4xf32>)

// Kept: the dying input read transposed (a point would read what another
// wrote), read a second time through a view, used after the loop, an
// argument (the caller's buffer), a reduction, a loop that reads its init,
// and a smaller alignment than the fresh buffer's.
// CHECK-LABEL: func.func @kept(
// CHECK-COUNT-11: memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK-NOT: memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
// CHECK: return
func.func @kept(%arg: memref<4x4xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%a) : (memref<4x4xf32>) -> ()
  %b = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x4xf32>) outs(%b : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  memref.dealloc %a : memref<4x4xf32>
  call @use(%b) : (memref<4x4xf32>) -> ()
  memref.dealloc %b : memref<4x4xf32>

  %c = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%c) : (memref<4x4xf32>) -> ()
  %ct = memref.transpose %c (d0, d1) -> (d1, d0) : memref<4x4xf32> to memref<4x4xf32, strided<[1, 4]>>
  %d = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %ct : memref<4x4xf32>, memref<4x4xf32, strided<[1, 4]>>) outs(%d : memref<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<4x4xf32>
  call @use(%d) : (memref<4x4xf32>) -> ()
  memref.dealloc %d : memref<4x4xf32>

  %e = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%e) : (memref<4x4xf32>) -> ()
  %f = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e : memref<4x4xf32>) outs(%f : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  call @use(%e) : (memref<4x4xf32>) -> ()
  memref.dealloc %e : memref<4x4xf32>
  call @use(%f) : (memref<4x4xf32>) -> ()
  memref.dealloc %f : memref<4x4xf32>

  %g = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%arg : memref<4x4xf32>) outs(%g : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  call @use(%g) : (memref<4x4xf32>) -> ()
  memref.dealloc %g : memref<4x4xf32>

  %h = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%h) : (memref<4x4xf32>) -> ()
  %r = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "reduction"]}
      ins(%h : memref<4x4xf32>) outs(%r : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  memref.dealloc %h : memref<4x4xf32>
  call @use1(%r) : (memref<4xf32>) -> ()
  memref.dealloc %r : memref<4xf32>

  %i = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  call @use(%i) : (memref<4x4xf32>) -> ()
  %j = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%i : memref<4x4xf32>) outs(%j : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  memref.dealloc %i : memref<4x4xf32>
  call @use(%j) : (memref<4x4xf32>) -> ()
  memref.dealloc %j : memref<4x4xf32>

  %k = memref.alloc() {alignment = 16 : i64} : memref<4x4xf32>
  call @use(%k) : (memref<4x4xf32>) -> ()
  %l = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%k : memref<4x4xf32>) outs(%l : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  memref.dealloc %k : memref<4x4xf32>
  call @use(%l) : (memref<4x4xf32>) -> ()
  memref.dealloc %l : memref<4x4xf32>
  return
}
