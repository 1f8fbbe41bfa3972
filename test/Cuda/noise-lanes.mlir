// zo-cuda-tile-parallel-loops on a loop whose noise lane (the operand of the
// generator's `zo.noise_lane` cast) is one of its dimensions: the dimension
// is dropped before collapsing, and each thread computes the lane-invariant
// part of the body (here a one-multiply stand-in for Philox, and the seed
// load) once, then the rest four times, unrolled, for lanes 0..3.
// RUN: zo-opt %s --split-input-file --zo-cuda-tile-parallel-loops | FileCheck %s

// 16 runs x 16 blocks x 4 lanes: 256 threads, one per block; each loads the
// seed and multiplies once, then loads, adds and stores its block's four
// elements [run, lane, i] (for a fixed lane the warp's stores are
// contiguous over i).
// CHECK-LABEL: func.func @split(
// CHECK-SAME: %[[SEED:[^:]*]]: memref<i64>, %[[P:[^:]*]]: memref<16x4x16xf32>, %[[OUT:[^:]*]]: memref<16x4x16xf32>
// CHECK: %[[T:.*]] = arith.muli %{{.*}}, %c16{{.*}} : index
// CHECK: %[[FLAT:.*]] = arith.muli %[[T]], %c16{{.*}} : index
// CHECK-NOT: arith.muli %[[FLAT]], %c4
// CHECK: arith.constant 256 : index
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[FLAT]]) step
// CHECK: scf.parallel
// CHECK: scf.if
// CHECK: %[[I:.*]] = arith.remsi %{{.*}}, %{{.*}} : index
// CHECK: %[[R:.*]] = arith.divsi %{{.*}}, %{{.*}} : index
// CHECK: memref.load %[[SEED]][] : memref<i64>
// CHECK: arith.mului_extended
// CHECK: %[[L0:.*]] = arith.constant 0 : index
// CHECK: memref.load %[[P]][%[[R]], %[[L0]], %[[I]]]
// CHECK: arith.index_castui %[[L0]] {zo.noise_lane}
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[R]], %[[L0]], %[[I]]]
// CHECK: %[[L1:.*]] = arith.constant 1 : index
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[R]], %[[L1]], %[[I]]]
// CHECK: %[[L2:.*]] = arith.constant 2 : index
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[R]], %[[L2]], %[[I]]]
// CHECK: %[[L3:.*]] = arith.constant 3 : index
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[R]], %[[L3]], %[[I]]]
// CHECK-NOT: arith.mului_extended
// CHECK-NOT: memref.store
// CHECK: mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: mapping = [#gpu.loop_dim_map<processor = block_x
func.func @split(%seed: memref<i64>, %p: memref<16x4x16xf32>, %out: memref<16x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %m0 = arith.constant -766435501 : i32
  %one = arith.constant 1 : i32
  %zero = arith.constant 0 : i32
  scf.parallel (%r, %i, %l) = (%c0, %c0, %c0) to (%c16, %c16, %c4) step (%c1, %c1, %c1) {
    %x = memref.load %p[%r, %l, %i] : memref<16x4x16xf32>
    %s = memref.load %seed[] : memref<i64>
    %k = arith.trunci %s : i64 to i32
    %b0 = arith.muli %r, %c16 : index
    %b1 = arith.addi %b0, %i : index
    %b = arith.index_castui %b1 : index to i32
    %c = arith.xori %b, %k : i32
    %lo, %hi = arith.mului_extended %c, %m0 : i32
    %lane = arith.index_castui %l {zo.noise_lane} : index to i32
    %odd = arith.andi %lane, %one : i32
    %isodd = arith.cmpi ne, %odd, %zero : i32
    %w = arith.select %isodd, %hi, %lo : i32
    %z = arith.uitofp %w : i32 to f32
    %y = arith.addf %x, %z : f32
    memref.store %y, %out[%r, %l, %i] : memref<16x4x16xf32>
    scf.reduce
  }
  return
}

// -----

// The key comes from a buffer the loop also writes: the load may see an
// earlier lane's store, so it stays per lane, and with it the multiply:
// nothing to share, the loop keeps one thread per element.
// CHECK-LABEL: func.func @key_written_in_loop(
// CHECK: scf.if
// CHECK: %[[LANE:.*]] = arith.remsi
// CHECK: arith.mului_extended
// CHECK: arith.index_castui %[[LANE]] {zo.noise_lane}
// CHECK: memref.store %{{.*}}, %arg1
// CHECK: memref.store %{{.*}}, %arg0
// CHECK-NOT: arith.mului_extended
// CHECK-NOT: memref.store
// CHECK: return
func.func @key_written_in_loop(%keys: memref<16xi32>, %out: memref<16x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %m0 = arith.constant -766435501 : i32
  scf.parallel (%i, %l) = (%c0, %c0) to (%c16, %c4) step (%c1, %c1) {
    %k = memref.load %keys[%i] : memref<16xi32>
    %lo, %hi = arith.mului_extended %k, %m0 : i32
    %lane = arith.index_castui %l {zo.noise_lane} : index to i32
    %w = arith.xori %lo, %lane : i32
    %z = arith.uitofp %w : i32 to f32
    memref.store %z, %out[%i, %l] : memref<16x4xf32>
    memref.store %hi, %keys[%i] : memref<16xi32>
    scf.reduce
  }
  return
}

// -----

// A lane computed from the indices (a generator recomputed in its reader,
// zo-cuda-inline-generators) is not a loop dimension: the loop is only
// collapsed and tiled.
// CHECK-LABEL: func.func @computed_lane(
// CHECK: scf.if
// CHECK: %[[E:.*]] = arith.remsi
// CHECK: arith.mului_extended
// CHECK: %[[LANE:.*]] = arith.remui %[[E]]
// CHECK: arith.index_castui %[[LANE]] {zo.noise_lane}
// CHECK: memref.store
// CHECK-NOT: memref.store
// CHECK: return
func.func @computed_lane(%seed: memref<i64>, %out: memref<8x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %m0 = arith.constant -766435501 : i32
  scf.parallel (%r, %e) = (%c0, %c0) to (%c8, %c64) step (%c1, %c1) {
    %s = memref.load %seed[] : memref<i64>
    %k = arith.trunci %s : i64 to i32
    %lo, %hi = arith.mului_extended %k, %m0 : i32
    %l = arith.remui %e, %c4 : index
    %lane = arith.index_castui %l {zo.noise_lane} : index to i32
    %w = arith.xori %lo, %lane : i32
    %z = arith.uitofp %w : i32 to f32
    memref.store %z, %out[%r, %e] : memref<8x64xf32>
    scf.reduce
  }
  return
}
