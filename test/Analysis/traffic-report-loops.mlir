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
// RUN: zo-opt %s --zo-traffic-report="kernels=true" -o /dev/null 2>&1 | FileCheck %s
// CHECK: forward 2 0
// CHECK: kernels of @forward:
// CHECK-NEXT: loop 304 B read 144 B written 96 flop scf.parallel
// CHECK-NEXT: loop 48 B read 16 B written 0 flop scf.parallel

func.func @forward(%x: memref<4x8xf32>, %b: memref<8xf32>, %ids: memref<4xi64>, %table: memref<16x4xf32>, %y: memref<4x8xf32>, %s: memref<4xf32>, %g: memref<4xf32>) {
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
  return
}
