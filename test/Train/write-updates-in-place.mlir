// zo-write-updates-in-place (lib/Pipelines/WriteUpdatesInPlace.cpp): after
// bufferization, a loop whose scratch result is only copied into a function
// argument writes into the argument instead. Cases that must keep the copy
// follow the one that must not.
// RUN: zo-opt %s --zo-write-updates-in-place --canonicalize --cse --split-input-file | FileCheck %s

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The update shape: p <- p + f(p) on the [3, 1, 4] view of p; the body reads
// the old element through the output operand; scratch and copy are gone.
// CHECK-LABEL: func.func @update(
// CHECK-SAME: %[[P:.*]]: memref<3x4xf32>
// CHECK-NOT: memref.alloc
// CHECK: %[[V:.*]] = memref.expand_shape %[[P]] {{\[}}[0], [1, 2]] output_shape [3, 1, 4]
// CHECK: linalg.generic {{.*}} ins(%[[V]] : memref<3x1x4xf32>) outs(%[[V]] : memref<3x1x4xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: arith.addf %[[OUT]], %[[OUT]]
// CHECK-NOT: memref.copy
// CHECK: return
func.func @update(%p: memref<3x4xf32>) {
  %in = memref.expand_shape %p [[0], [1, 2]] output_shape [3, 1, 4] : memref<3x4xf32> into memref<3x1x4xf32>
  %s = memref.alloc() {alignment = 64 : i64} : memref<3x1x4xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<3x1x4xf32>) outs(%s : memref<3x1x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  %c = memref.collapse_shape %s [[0], [1, 2]] : memref<3x1x4xf32> into memref<3x4xf32>
  memref.copy %c, %p : memref<3x4xf32> to memref<3x4xf32>
  return
}

// -----

#swap = affine_map<(d0, d1, d2) -> (d0, d2, d1)>

// A noise update's loop: it iterates [runs, 16 blocks, 4 lanes] and writes
// the [runs, 4, 16] view through a map swapping the last two dims (a
// permutation: still every element once), reading p through the same map.
// CHECK-LABEL: func.func @update_swapped(
// CHECK-SAME: %[[P:.*]]: memref<128xf32>
// CHECK-NOT: memref.alloc
// CHECK: %[[V:.*]] = memref.expand_shape %[[P]] {{\[}}[0, 1, 2]] output_shape [2, 4, 16]
// CHECK: linalg.generic {{.*}} ins(%[[V]] : memref<2x4x16xf32>) outs(%[[V]] : memref<2x4x16xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @update_swapped(%p: memref<128xf32>) {
  %in = memref.expand_shape %p [[0, 1, 2]] output_shape [2, 4, 16] : memref<128xf32> into memref<2x4x16xf32>
  %s = memref.alloc() {alignment = 64 : i64} : memref<2x4x16xf32>
  linalg.generic {indexing_maps = [#swap, #swap], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<2x4x16xf32>) outs(%s : memref<2x4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  %c = memref.collapse_shape %s [[0, 1, 2]] : memref<2x4x16xf32> into memref<128xf32>
  memref.copy %c, %p : memref<128xf32> to memref<128xf32>
  return
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Two updates sharing one scratch (CSE merges equal tensor.empty ops): both
// are rewritten (the copies are visited last first).
// CHECK-LABEL: func.func @shared_scratch(
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: return
func.func @shared_scratch(%p: memref<3x4xf32>, %q: memref<3x4xf32>) {
  %pi = memref.expand_shape %p [[0], [1, 2]] output_shape [3, 1, 4] : memref<3x4xf32> into memref<3x1x4xf32>
  %qi = memref.expand_shape %q [[0], [1, 2]] output_shape [3, 1, 4] : memref<3x4xf32> into memref<3x1x4xf32>
  %s = memref.alloc() {alignment = 64 : i64} : memref<3x1x4xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%pi : memref<3x1x4xf32>) outs(%s : memref<3x1x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  %c = memref.collapse_shape %s [[0], [1, 2]] : memref<3x1x4xf32> into memref<3x4xf32>
  memref.copy %c, %p : memref<3x4xf32> to memref<3x4xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qi : memref<3x1x4xf32>) outs(%s : memref<3x1x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.mulf %a, %a : f32
    linalg.yield %r : f32
  }
  %d = memref.collapse_shape %s [[0], [1, 2]] : memref<3x1x4xf32> into memref<3x4xf32>
  memref.copy %d, %q : memref<3x4xf32> to memref<3x4xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// Reads p transposed: writing p in place would clobber elements still to be
// read. The copy stays.
// CHECK-LABEL: func.func @transposed_read(
// CHECK: memref.alloc
// CHECK: memref.copy
func.func @transposed_read(%p: memref<4x4xf32>) {
  %s = memref.alloc() : memref<4x4xf32>
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p : memref<4x4xf32>) outs(%s : memref<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  memref.copy %s, %p : memref<4x4xf32> to memref<4x4xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// The scratch is read after the copy. The copy stays.
// CHECK-LABEL: func.func @scratch_used_after(
// CHECK: memref.copy
func.func @scratch_used_after(%p: memref<4x4xf32>, %x: memref<4x4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %s = memref.alloc() : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x4xf32>) outs(%s : memref<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  memref.copy %s, %p : memref<4x4xf32> to memref<4x4xf32>
  %v = memref.load %s[%c0, %c0] : memref<4x4xf32>
  return %v : f32
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// p is read between the loop and the copy: it must still hold the old value
// there. The copy stays.
// CHECK-LABEL: func.func @read_in_between(
// CHECK: memref.copy
func.func @read_in_between(%p: memref<4x4xf32>, %x: memref<4x4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %s = memref.alloc() : memref<4x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x4xf32>) outs(%s : memref<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  %v = memref.load %p[%c0, %c0] : memref<4x4xf32>
  memref.copy %s, %p : memref<4x4xf32> to memref<4x4xf32>
  return %v : f32
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#s = affine_map<(d0, d1) -> ()>

// ZO-SGD-MMT's shape: m' = f(m) into one scratch, p' = p - lr m' into
// another, then both copies. p's loop is rewritten first; then m's loop
// writes m, and p's loop, which sits between m's loop and m's copy and only
// reads the scratch, reads m' from m instead. No scratch, no copy.
// CHECK-LABEL: func.func @chained_updates(
// CHECK-SAME: %[[P:[^:]*]]: memref<3x4xf32>, %[[M:[^:]*]]: memref<3x4xf32>, %[[LR:[^:]*]]: memref<f32>
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} ins(%[[M]] : memref<3x4xf32>) outs(%[[M]] : memref<3x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[LR]], %[[M]] : memref<3x4xf32>, memref<f32>, memref<3x4xf32>) outs(%[[P]] : memref<3x4xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @chained_updates(%p: memref<3x4xf32>, %m: memref<3x4xf32>, %lr: memref<f32>) {
  %s = memref.alloc() {alignment = 64 : i64} : memref<3x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<3x4xf32>) outs(%s : memref<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  %t = memref.alloc() {alignment = 64 : i64} : memref<3x4xf32>
  linalg.generic {indexing_maps = [#id, #s, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p, %lr, %s : memref<3x4xf32>, memref<f32>, memref<3x4xf32>) outs(%t : memref<3x4xf32>) {
  ^bb0(%a: f32, %l: f32, %b: f32, %o: f32):
    %x = arith.mulf %l, %b : f32
    %r = arith.subf %a, %x : f32
    linalg.yield %r : f32
  }
  memref.copy %s, %m : memref<3x4xf32> to memref<3x4xf32>
  memref.copy %t, %p : memref<3x4xf32> to memref<3x4xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A loop between the writer and the copy reads m (the destination): it must
// see the old m, so m's copy stays.
// CHECK-LABEL: func.func @destination_read_in_between(
// CHECK: memref.copy %{{.*}}, %arg0
func.func @destination_read_in_between(%m: memref<3x4xf32>, %q: memref<3x4xf32>) {
  %s = memref.alloc() {alignment = 64 : i64} : memref<3x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<3x4xf32>) outs(%s : memref<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %s : memref<3x4xf32>, memref<3x4xf32>) outs(%q : memref<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  }
  memref.copy %s, %m : memref<3x4xf32> to memref<3x4xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// An op between the writer and the copy writes the scratch: the copy stays.
// CHECK-LABEL: func.func @scratch_written_in_between(
// CHECK: memref.copy
func.func @scratch_written_in_between(%m: memref<3x4xf32>, %x: memref<3x4xf32>) {
  %s = memref.alloc() {alignment = 64 : i64} : memref<3x4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<3x4xf32>) outs(%s : memref<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  }
  memref.copy %x, %s : memref<3x4xf32> to memref<3x4xf32>
  memref.copy %s, %m : memref<3x4xf32> to memref<3x4xf32>
  return
}
