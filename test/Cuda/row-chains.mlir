// zo-cuda-fuse-row-chains (loops stage) and zo-cuda-map-row-chains (to a
// kernel with one block per row and block reductions).
// RUN: zo-opt %s --split-input-file --zo-cuda-fuse-row-chains | FileCheck %s --check-prefix=FUSE
// RUN: zo-opt %s --split-input-file --zo-cuda-fuse-row-chains --zo-cuda-map-row-chains | FileCheck %s --check-prefix=MAP

// Layer norm as linalg-to-loops leaves it: the residual add over the
// elements, the row sum (init + sequential loop), the mean, the variance,
// the normalization. One loop over the 2x8 rows: the elementwise loops
// nested over the row's 32 elements, the sums as nested parallel loops
// with an addf reduction starting from the stored init. In between, the
// perturbed copy of a GEMM weight (independent of the chain) stays where
// it is, before the fused loop.
// FUSE-LABEL: func.func @layer_norm(
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c64)
// FUSE: memref.store %{{.*}}, %arg5
// FUSE: scf.parallel (%[[R0:.*]], %[[R1:.*]]) = (%c0, %c0) to (%c2, %c8)
// FUSE: scf.parallel (%[[K:.*]]) = (%c0) to (%c32)
// FUSE: arith.addf
// FUSE: memref.store %{{.*}}, %[[SUMBUF:.*]][%[[R0]], %[[R1]], %[[K]]]
// FUSE: scf.reduce
// FUSE: memref.store %{{.*}}, %[[ACC:.*]][%[[R0]], %[[R1]]]
// FUSE: %[[INIT:.*]] = memref.load %[[ACC]][%[[R0]], %[[R1]]]
// FUSE: %[[SUM:.*]] = scf.parallel (%{{.*}}) = (%{{.*}}) to (%c32) step (%{{.*}}) init (%[[INIT]]) -> f32
// FUSE: scf.reduce(%{{.*}} : f32)
// FUSE: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// FUSE: memref.store %[[SUM]], %[[ACC]][%[[R0]], %[[R1]]]
// FUSE: arith.divf
// FUSE: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c32) step (%{{.*}}) init
// FUSE: arith.mulf
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c32)
// FUSE: math.rsqrt
// FUSE: } {zo.row_chain}
// FUSE-NOT: scf.parallel
// FUSE: return

// 16 blocks (rows) of 32 threads; each reduction a thread-strided partial
// sum and gpu.all_reduce add, added to the init; barriers after the
// elementwise loops.
// MAP-LABEL: func.func @layer_norm(
// MAP: scf.parallel
// MAP: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c16{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c32{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// MAP: %[[ROW:.*]]:2 = affine.delinearize_index %[[BX]] into (2, 8)
// MAP: scf.for %{{.*}} = %[[TX]] to %c32{{.*}} step %c32
// MAP: gpu.barrier
// MAP: %[[INIT:.*]] = memref.load %{{.*}}[%[[ROW]]#0, %[[ROW]]#1]
// MAP: %[[PART:.*]] = scf.for %{{.*}} = %[[TX]] to %c32{{.*}} step %c32{{.*}} iter_args(%{{.*}} = %cst{{.*}}) -> (f32)
// MAP: %[[ALL:.*]] = gpu.all_reduce add %[[PART]] uniform
// MAP: %[[TOTAL:.*]] = arith.addf %[[INIT]], %[[ALL]] fastmath<reassoc> : f32
// MAP: memref.store %[[TOTAL]]
// MAP: gpu.all_reduce add
// MAP: math.rsqrt
// MAP: gpu.barrier
// MAP: gpu.terminator
// MAP-NOT: scf.parallel
// MAP: return
func.func @layer_norm(%x: memref<2x8x32xf32>, %r: memref<2x8x32xf32>, %g: memref<32xf32>, %w: memref<64xf32>, %y: memref<2x8x32xf32>, %wcopy: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 32.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %h = memref.alloc() : memref<2x8x32xf32>
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c2, %c8, %c32) step (%c1, %c1, %c1) {
    %a = memref.load %x[%i, %j, %k] : memref<2x8x32xf32>
    %b = memref.load %r[%i, %j, %k] : memref<2x8x32xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %h[%i, %j, %k] : memref<2x8x32xf32>
    scf.reduce
  }
  %sum = memref.alloc() : memref<2x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    memref.store %zero, %sum[%i, %j] : memref<2x8xf32>
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %h[%i, %j, %k] : memref<2x8x32xf32>
      %acc = memref.load %sum[%i, %j] : memref<2x8xf32>
      %t = arith.addf %acc, %v fastmath<reassoc> : f32
      memref.store %t, %sum[%i, %j] : memref<2x8xf32>
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %v = memref.load %w[%i] : memref<64xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %wcopy[%i] : memref<64xf32>
    scf.reduce
  }
  %mean = memref.alloc() : memref<2x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %s = memref.load %sum[%i, %j] : memref<2x8xf32>
    %m = arith.divf %s, %n : f32
    memref.store %m, %mean[%i, %j] : memref<2x8xf32>
    scf.reduce
  }
  memref.dealloc %sum : memref<2x8xf32>
  %var = memref.alloc() : memref<2x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    memref.store %zero, %var[%i, %j] : memref<2x8xf32>
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %h[%i, %j, %k] : memref<2x8x32xf32>
      %m = memref.load %mean[%i, %j] : memref<2x8xf32>
      %acc = memref.load %var[%i, %j] : memref<2x8xf32>
      %d = arith.subf %v, %m : f32
      %d2 = arith.mulf %d, %d : f32
      %t = arith.addf %acc, %d2 fastmath<reassoc> : f32
      memref.store %t, %var[%i, %j] : memref<2x8xf32>
    }
    scf.reduce
  }
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c2, %c8, %c32) step (%c1, %c1, %c1) {
    %v = memref.load %h[%i, %j, %k] : memref<2x8x32xf32>
    %m = memref.load %mean[%i, %j] : memref<2x8xf32>
    %s = memref.load %var[%i, %j] : memref<2x8xf32>
    %gk = memref.load %g[%k] : memref<32xf32>
    %d = arith.subf %v, %m : f32
    %q = arith.divf %s, %n : f32
    %qe = arith.addf %q, %eps : f32
    %rs = math.rsqrt %qe : f32
    %o = arith.mulf %d, %rs : f32
    %o2 = arith.mulf %o, %gk : f32
    memref.store %o2, %y[%i, %j, %k] : memref<2x8x32xf32>
    scf.reduce
  }
  memref.dealloc %var : memref<2x8xf32>
  memref.dealloc %mean : memref<2x8xf32>
  memref.dealloc %h : memref<2x8x32xf32>
  return
}

// -----

// Row max over 300 elements: the block is capped at 256 threads (a thread
// takes elements t and t + 256); the neutral element of the partial max is
// -inf.
// MAP-LABEL: func.func @long_rows(
// MAP: gpu.launch blocks({{.*}}) in (%{{.*}} = %c4{{.*}}, {{.*}} threads({{.*}}) in (%{{.*}} = %c256{{.*}}
// MAP: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// MAP: scf.for %{{.*}} = %{{.*}} to %c300{{.*}} step %c256{{.*}} iter_args(%{{.*}} = %[[NINF]])
// MAP: arith.maximumf
// MAP: gpu.all_reduce maximumf
func.func @long_rows(%x: memref<4x300xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c300 = arith.constant 300 : index
  %ninf = arith.constant 0xFF800000 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    memref.store %ninf, %y[%i] : memref<4xf32>
    scf.for %k = %c0 to %c300 step %c1 {
      %v = memref.load %x[%i, %k] : memref<4x300xf32>
      %acc = memref.load %y[%i] : memref<4xf32>
      %t = arith.maximumf %v, %acc : f32
      memref.store %t, %y[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Not a chain: the second loop (same rows) reads the first one's result at
// another row (rotated by one), so rows would see each other's data; the
// reduction alone still becomes a row loop with a nested reduction, the
// reader stays apart.
// FUSE-LABEL: func.func @cross_row(
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c4)
// FUSE: scf.parallel (%{{.*}}) = ({{.*}}) to (%c8) step ({{.*}}) init
// FUSE: } {zo.row_chain}
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c4)
// FUSE: arith.remui
// FUSE-NOT: zo.row_chain
// FUSE: return
func.func @cross_row(%x: memref<4x8xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %s = memref.alloc() : memref<4xf32>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    memref.store %zero, %s[%i] : memref<4xf32>
    scf.for %k = %c0 to %c8 step %c1 {
      %v = memref.load %x[%i, %k] : memref<4x8xf32>
      %acc = memref.load %s[%i] : memref<4xf32>
      %t = arith.addf %acc, %v : f32
      memref.store %t, %s[%i] : memref<4xf32>
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %n1 = arith.addi %i, %c1 : index
    %n = arith.remui %n1, %c4 : index
    %v = memref.load %s[%n] : memref<4xf32>
    memref.store %v, %y[%i] : memref<4xf32>
    scf.reduce
  }
  memref.dealloc %s : memref<4xf32>
  return
}

// -----

// OPT's layer norm in a ZO step: the mean sees the rows as 16 (a collapsed
// view), the variance as 2 x 8 with each row reduced over [8, 4] in two
// nested loops (elementwise fusion split the 32 features for the blocked
// noise of the perturbed gain), the normalization as 2 x 8 x 8 x 4. The
// nested reduction becomes one loop over 32 (k = k1 * 4 + k2, the same
// order), and all loops one chain over the 16 rows, shaped as the first:
// the 2 x 8 loops get their row indices from the linear row.
// FUSE-LABEL: func.func @rows_in_two_shapes(
// FUSE: scf.parallel (%[[R:.*]]) = (%c0) to (%c16)
// FUSE: scf.reduce(
// FUSE: arith.divf
// FUSE: %[[LIN:.*]] = arith.addi %{{.*}}, %[[R]] : index
// FUSE: %[[J:.*]] = arith.remui %[[LIN]], %c8
// FUSE: %[[I:.*]] = arith.divui %[[LIN]], %c8
// FUSE: %[[K:.*]] = scf.parallel (%[[KK:.*]]) = (%{{.*}}) to (%c32{{.*}}) step (%{{.*}}) init
// FUSE: arith.divui %[[KK]], %c4
// FUSE: arith.remui %[[KK]], %c4
// FUSE: scf.reduce(
// FUSE: memref.store %[[K]], %{{.*}}[%[[I]], %[[J]]] : memref<2x8xf32>
// FUSE: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c8, %c4)
// FUSE: math.rsqrt
// FUSE: } {zo.row_chain}
// FUSE-NOT: scf.parallel
// FUSE-NOT: scf.for
// FUSE: return
// MAP-LABEL: func.func @rows_in_two_shapes(
// MAP: gpu.launch blocks({{.*}}) in ({{.*}} = %c16{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c32{{.*}},
// MAP-COUNT-2: gpu.all_reduce add
// MAP-NOT: gpu.launch
// MAP: return
func.func @rows_in_two_shapes(%x: memref<2x8x8x4xf32>, %y: memref<2x8x8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 32.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %flat = memref.collapse_shape %x [[0, 1], [2, 3]] : memref<2x8x8x4xf32> into memref<16x32xf32>
  %sum = memref.alloc() : memref<16xf32>
  %mean = memref.alloc() : memref<16xf32>
  scf.parallel (%r) = (%c0) to (%c16) step (%c1) {
    memref.store %zero, %sum[%r] : memref<16xf32>
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %flat[%r, %k] : memref<16x32xf32>
      %acc = memref.load %sum[%r] : memref<16xf32>
      %t = arith.addf %acc, %v fastmath<reassoc> : f32
      memref.store %t, %sum[%r] : memref<16xf32>
    }
    scf.reduce
  }
  scf.parallel (%r) = (%c0) to (%c16) step (%c1) {
    %s = memref.load %sum[%r] : memref<16xf32>
    %m = arith.divf %s, %n : f32
    memref.store %m, %mean[%r] : memref<16xf32>
    scf.reduce
  }
  %mean2 = memref.expand_shape %mean [[0, 1]] output_shape [2, 8] : memref<16xf32> into memref<2x8xf32>
  %var = memref.alloc() : memref<16xf32>
  %var2 = memref.expand_shape %var [[0, 1]] output_shape [2, 8] : memref<16xf32> into memref<2x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    memref.store %zero, %var2[%i, %j] : memref<2x8xf32>
    scf.for %k1 = %c0 to %c8 step %c1 {
      scf.for %k2 = %c0 to %c4 step %c1 {
        %v = memref.load %x[%i, %j, %k1, %k2] : memref<2x8x8x4xf32>
        %m = memref.load %mean2[%i, %j] : memref<2x8xf32>
        %acc = memref.load %var2[%i, %j] : memref<2x8xf32>
        %d = arith.subf %v, %m : f32
        %d2 = arith.mulf %d, %d : f32
        %t = arith.addf %acc, %d2 fastmath<reassoc> : f32
        memref.store %t, %var2[%i, %j] : memref<2x8xf32>
      }
    }
    scf.reduce
  }
  scf.parallel (%i, %j, %k1, %k2) = (%c0, %c0, %c0, %c0) to (%c2, %c8, %c8, %c4) step (%c1, %c1, %c1, %c1) {
    %v = memref.load %x[%i, %j, %k1, %k2] : memref<2x8x8x4xf32>
    %m = memref.load %mean2[%i, %j] : memref<2x8xf32>
    %s = memref.load %var2[%i, %j] : memref<2x8xf32>
    %d = arith.subf %v, %m : f32
    %vm = arith.divf %s, %n : f32
    %ve = arith.addf %vm, %eps : f32
    %rs = math.rsqrt %ve : f32
    %o = arith.mulf %d, %rs : f32
    memref.store %o, %y[%i, %j, %k1, %k2] : memref<2x8x8x4xf32>
    scf.reduce
  }
  memref.dealloc %var : memref<16xf32>
  memref.dealloc %mean : memref<16xf32>
  memref.dealloc %sum : memref<16xf32>
  return
}

// -----

// The same number of rows in another shape does not make a loop part of
// the chain when it reads the chain's buffer across rows: here the 2 x 8
// loop reads the 16 sums transposed (row j * 2 + i), so it stays a loop of
// its own after the chain.
// FUSE-LABEL: func.func @rows_transposed(
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c16)
// FUSE: } {zo.row_chain}
// FUSE: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c2, %c8)
// FUSE-NOT: zo.row_chain
// FUSE: return
func.func @rows_transposed(%x: memref<16x32xf32>, %y: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %sum = memref.alloc() : memref<16xf32>
  scf.parallel (%r) = (%c0) to (%c16) step (%c1) {
    memref.store %zero, %sum[%r] : memref<16xf32>
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %x[%r, %k] : memref<16x32xf32>
      %acc = memref.load %sum[%r] : memref<16xf32>
      %t = arith.addf %acc, %v fastmath<reassoc> : f32
      memref.store %t, %sum[%r] : memref<16xf32>
    }
    scf.reduce
  }
  %sumT = memref.expand_shape %sum [[0, 1]] output_shape [8, 2] : memref<16xf32> into memref<8x2xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %s = memref.load %sumT[%j, %i] : memref<8x2xf32>
    memref.store %s, %y[%i, %j] : memref<2x8xf32>
    scf.reduce
  }
  memref.dealloc %sum : memref<16xf32>
  return
}

// -----

// Indices equal to a loop's own row variables are not enough when the rows
// come in two shapes: the 2 x 8 loop reads sums[i, j], which is row i of
// the 16-row loop (j a column), not row i * 8 + j. Not fused.
// FUSE-LABEL: func.func @rows_mixed_indices(
// FUSE: scf.parallel (%{{.*}}) = (%c0) to (%c16)
// FUSE: } {zo.row_chain}
// FUSE: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c2, %c8)
// FUSE-NOT: zo.row_chain
// FUSE: return
func.func @rows_mixed_indices(%x: memref<16x32xf32>, %y: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %sums = memref.alloc() : memref<16x32xf32>
  %acc = memref.alloc() : memref<16xf32>
  scf.parallel (%r) = (%c0) to (%c16) step (%c1) {
    memref.store %zero, %acc[%r] : memref<16xf32>
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %x[%r, %k] : memref<16x32xf32>
      %a = memref.load %acc[%r] : memref<16xf32>
      %t = arith.addf %a, %v fastmath<reassoc> : f32
      memref.store %t, %acc[%r] : memref<16xf32>
    }
    scf.reduce
  }
  scf.parallel (%r, %k) = (%c0, %c0) to (%c16, %c32) step (%c1, %c1) {
    %a = memref.load %acc[%r] : memref<16xf32>
    memref.store %a, %sums[%r, %k] : memref<16x32xf32>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %s = memref.load %sums[%i, %j] : memref<16x32xf32>
    memref.store %s, %y[%i, %j] : memref<2x8xf32>
    scf.reduce
  }
  memref.dealloc %acc : memref<16xf32>
  memref.dealloc %sums : memref<16x32xf32>
  return
}
