// zo-traffic-report on the CUDA pipeline's loops stage (what
// zo-cuda-lowering{report=} models): each top-level scf.parallel is one
// kernel; a buffer counts once per kernel with its largest footprint; a
// computed index (a gather) reaches one element per execution, capped by
// the buffer. Figures worked out by hand:
//
// kernel 1, a row chain over 4 rows of 8 (y = x + b; s[r] = sum x * y):
//   reads  x 32 floats (read by both nested loops: once) = 128 B,
//          b 8 floats (indexed by k only) = 32 B, y 32 floats = 128 B,
//          s 4 floats (the init reload) = 16 B                -> 304 B
//   writes y 128 B, s 16 B                                     -> 144 B
//   flops  addf 32 + mulf 32 + the reduction's addf 32         -> 96
// kernel 2, a gather of 4 rows' first element:
//   reads  ids 4 x i64 = 32 B, table 4 floats (one per execution,
//          of 64) = 16 B                                       -> 48 B
//   writes g 4 floats                                          -> 16 B
// kernel 3, noise over 8 blocks x 4 lanes (the lane a loop dimension, as
// zo-cuda-tile-parallel-loops maps it: one thread per block):
//   reads  seed 1 x i64 = 8 B; writes n 32 floats = 128 B
//   int ops  per block (8): mului_extended 2 + xori 1;
//            per element (32): the lane's xori 1       -> 24 + 32 = 56
//            (128 if the block's work ran for every element)
//   flops  mulf 32
// RUN: zo-opt %s --zo-traffic-report="kernels=true" -o /dev/null 2>&1 | FileCheck %s
// RUN: zo-opt %s --zo-traffic-report="kernels=true format=json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=JSON
// CHECK: forward 3 0
// CHECK: kernels of @forward:
// CHECK-NEXT: loop 304 B read 144 B written 96 flop scf.parallel
// CHECK-NEXT: loop 48 B read 16 B written 0 flop scf.parallel
// CHECK-NEXT: loop 8 B read 128 B written 32 flop scf.parallel
// JSON: "bytes_read": 8,
// JSON-NEXT: "bytes_written": 128,
// JSON-NEXT: "flops": 32,
// JSON-NEXT: "int_ops": 56,

func.func @forward(%x: memref<4x8xf32>, %b: memref<8xf32>, %ids: memref<4xi64>, %table: memref<16x4xf32>, %y: memref<4x8xf32>, %s: memref<4xf32>, %g: memref<4xf32>, %seed: memref<i64>, %n: memref<8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%r) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%k) = (%c0) to (%c8) step (%c1) {
      %a = memref.load %x[%r, %k] : memref<4x8xf32>
      %bb = memref.load %b[%k] : memref<8xf32>
      %v = arith.addf %a, %bb : f32
      memref.store %v, %y[%r, %k] : memref<4x8xf32>
      scf.reduce
    }
    memref.store %zero, %s[%r] : memref<4xf32>
    %init = memref.load %s[%r] : memref<4xf32>
    %sum = scf.parallel (%k) = (%c0) to (%c8) step (%c1) init (%init) -> f32 {
      %a = memref.load %x[%r, %k] : memref<4x8xf32>
      %v = memref.load %y[%r, %k] : memref<4x8xf32>
      %p = arith.mulf %a, %v : f32
      scf.reduce(%p : f32) {
      ^bb0(%l: f32, %rr: f32):
        %t = arith.addf %l, %rr : f32
        scf.reduce.return %t : f32
      }
    }
    memref.store %sum, %s[%r] : memref<4xf32>
    scf.reduce
  } {zo.row_chain}
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %id = memref.load %ids[%i] : memref<4xi64>
    %row = arith.index_cast %id : i64 to index
    %v = memref.load %table[%row, %c0] : memref<16x4xf32>
    memref.store %v, %g[%i] : memref<4xf32>
    scf.reduce
  }
  scf.parallel (%blk, %l) = (%c0, %c0) to (%c8, %c4) step (%c1, %c1) {
    %sd = memref.load %seed[] : memref<i64>
    %k = arith.trunci %sd : i64 to i32
    %bi = arith.index_castui %blk : index to i32
    %lo, %hi = arith.mului_extended %bi, %k : i32
    %w = arith.xori %lo, %hi : i32
    %lane = arith.index_castui %l {zo.noise_lane} : index to i32
    %xw = arith.xori %w, %lane : i32
    %f = arith.uitofp %xw : i32 to f32
    %z = arith.mulf %f, %f : f32
    memref.store %z, %n[%blk, %l] : memref<8x4xf32>
    scf.reduce
  }
  return
}
