// zo-cuda-merge-launches: independent 1-D launches become one launch whose
// blocks [0, G1) run the first body and [G1, G1 + G2) the second, each on
// its own threads; launches that share a buffer one of them writes stay
// apart.
// RUN: zo-opt %s --zo-cuda-merge-launches --canonicalize --split-input-file | FileCheck %s

// A layer norm-like kernel and a weight's perturbed copy (the GEMM that
// reads it comes later): 4 blocks of 256 and 2 blocks of 128 -> 6 blocks of
// 256; the second part is guarded to its 128 threads and sees bx - 4.
// The dealloc between them moves after the merged launch.
// CHECK-LABEL: func.func @perturb_rides_along
// CHECK: %[[T:.*]] = memref.alloc() : memref<256xf32>
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c6, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// CHECK: %[[FIRST:.*]] = arith.cmpi ult, %[[BX]], %c4
// CHECK: scf.if %[[FIRST]] {
// CHECK: memref.store %{{.*}}, %arg1
// CHECK: } else {
// CHECK: %[[B2:.*]] = arith.subi %[[BX]], %c4
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[TX]], %c128
// CHECK: scf.if %[[IN]] {
// CHECK: arith.muli %[[B2]], %c128
// CHECK: memref.store %{{.*}}, %[[T]]
// CHECK: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: memref.dealloc %arg3
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @perturb_rides_along(%x: memref<1024xf32>, %y: memref<1024xf32>, %w: memref<256xf32>, %tmp: memref<8xf32>) -> memref<256xf32> {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c2 = arith.constant 2 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %v = memref.load %x[%i] : memref<1024xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %y[%i] : memref<1024xf32>
    gpu.terminator
  }
  memref.dealloc %tmp : memref<8xf32>
  %t = memref.alloc() : memref<256xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c128, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %v = memref.load %w[%i] : memref<256xf32>
    %d = arith.mulf %v, %v : f32
    memref.store %d, %t[%i] : memref<256xf32>
    gpu.terminator
  }
  return %t : memref<256xf32>
}

// -----

// The second reads what the first writes: two launches.
// CHECK-LABEL: func.func @dependent
// CHECK-COUNT-2: gpu.launch
func.func @dependent(%x: memref<256xf32>, %y: memref<256xf32>, %z: memref<256xf32>) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%tx] : memref<256xf32>
    memref.store %v, %y[%tx] : memref<256xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %v = memref.load %y[%tx] : memref<256xf32>
    memref.store %v, %z[%tx] : memref<256xf32>
    gpu.terminator
  }
  return
}

// -----

// The second writes what the first reads (write after read): two launches.
// CHECK-LABEL: func.func @anti_dependent
// CHECK-COUNT-2: gpu.launch
func.func @anti_dependent(%x: memref<256xf32>, %y: memref<256xf32>) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%tx] : memref<256xf32>
    memref.store %v, %y[%tx] : memref<256xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %c0 = arith.constant 0.0 : f32
    memref.store %c0, %x[%tx] : memref<256xf32>
    gpu.terminator
  }
  return
}

// -----

// Updates of three parameters (each reads and writes its own, all read the
// projected gradient g): one launch of 3 blocks.
// CHECK-LABEL: func.func @updates
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c3
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @updates(%p: memref<256xf32>, %q: memref<256xf32>, %r: memref<256xf32>, %g: memref<f32>) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %s = memref.load %g[] : memref<f32>
    %v = memref.load %p[%tx] : memref<256xf32>
    %n = arith.subf %v, %s : f32
    memref.store %n, %p[%tx] : memref<256xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %s = memref.load %g[] : memref<f32>
    %v = memref.load %q[%tx] : memref<256xf32>
    %n = arith.subf %v, %s : f32
    memref.store %n, %q[%tx] : memref<256xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %s = memref.load %g[] : memref<f32>
    %v = memref.load %r[%tx] : memref<256xf32>
    %n = arith.subf %v, %s : f32
    memref.store %n, %r[%tx] : memref<256xf32>
    gpu.terminator
  }
  return
}

// -----

// A library call in between (a GEMM reading what the first wrote) keeps
// the launches apart when the second touches the GEMM's buffers.
// CHECK-LABEL: func.func @call_between
// CHECK: gpu.launch
// CHECK: call @zo_cuda_sgemm
// CHECK: gpu.launch
func.func private @zo_cuda_sgemm(memref<256xf32>)
func.func @call_between(%x: memref<256xf32>, %y: memref<256xf32>) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %c0 = arith.constant 0.0 : f32
    memref.store %c0, %x[%tx] : memref<256xf32>
    gpu.terminator
  }
  call @zo_cuda_sgemm(%x) : (memref<256xf32>) -> ()
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%tx] : memref<256xf32>
    memref.store %v, %y[%tx] : memref<256xf32>
    gpu.terminator
  }
  return
}

// -----

// A launch after GEMM calls that touches none of their buffers (the
// perturbed copy of the second of two weights applied to the same input)
// moves above them, with the allocation and view it uses, and rides along
// with the launch before them; the calls keep their order.
// CHECK-LABEL: func.func @hoist_over_gemms
// CHECK: memref.alloc() : memref<512xf32>
// CHECK-NEXT: memref.expand_shape
// CHECK-NEXT: gpu.launch blocks({{.*}}) in ({{.*}} = %c3,
// CHECK: call @zo_cuda_sgemm(%arg0)
// CHECK-NEXT: call @zo_cuda_sgemm(%arg2)
// CHECK-NOT: gpu.launch
// CHECK: return %alloc
func.func private @zo_cuda_sgemm(memref<256xf32>)
func.func @hoist_over_gemms(%x: memref<256xf32>, %w: memref<256xf32>, %z: memref<256xf32>) -> memref<512xf32> {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %c0 = arith.constant 0.0 : f32
    memref.store %c0, %x[%tx] : memref<256xf32>
    gpu.terminator
  }
  call @zo_cuda_sgemm(%x) : (memref<256xf32>) -> ()
  call @zo_cuda_sgemm(%z) : (memref<256xf32>) -> ()
  %p = memref.alloc() : memref<512xf32>
  %p2 = memref.expand_shape %p [[0, 1]] output_shape [2, 256] : memref<512xf32> into memref<2x256xf32>
  %c2 = arith.constant 2 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %v = memref.load %w[%tx] : memref<256xf32>
    memref.store %v, %p2[%bx, %tx] : memref<2x256xf32>
    gpu.terminator
  }
  return %p : memref<512xf32>
}

// -----

// A row-chain kernel (it synchronizes its threads: a block all-reduce and a
// barrier; 4 blocks of 32) and an independent 2 x 256-thread copy after it:
// one launch of 32-thread blocks, the chain on blocks [0, 4), the copy's
// 512 threads spread over blocks [4, 20) by flat index (block = flat / 256,
// thread = flat % 256). Two synchronizing kernels are never merged (the
// third launch is independent of both but synchronizes too).
// CHECK-LABEL: func.func @sync_and_copy
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c20, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c32, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// CHECK: %[[FIRST:.*]] = arith.cmpi ult, %[[BX]], %c4
// CHECK: scf.if %[[FIRST]] {
// CHECK: gpu.all_reduce add
// CHECK: gpu.barrier
// CHECK: } else {
// CHECK: %[[B2:.*]] = arith.subi %[[BX]], %c4
// CHECK: %[[BASE:.*]] = arith.muli %[[B2]], %c32
// CHECK: %[[FLAT:.*]] = arith.addi %[[BASE]], %[[TX]]
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[FLAT]], %c512
// CHECK: scf.if %[[IN]] {
// CHECK: %[[VB:.*]] = arith.divui %[[FLAT]], %c256
// CHECK: %[[VT:.*]] = arith.remui %[[FLAT]], %c256
// CHECK: %[[I:.*]] = arith.muli %[[VB]], %c256
// CHECK: arith.addi %[[I]], %[[VT]]
// CHECK: gpu.terminator
// CHECK: gpu.launch
// CHECK: gpu.all_reduce
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @sync_and_copy(%x: memref<4x32xf32>, %s: memref<4xf32>, %w: memref<512xf32>, %t: memref<512xf32>, %s2: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  %c256 = arith.constant 256 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%bx, %tx] : memref<4x32xf32>
    %r = gpu.all_reduce add %v uniform {} : (f32) -> f32
    memref.store %r, %s[%bx] : memref<4xf32>
    gpu.barrier
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %v = memref.load %w[%i] : memref<512xf32>
    memref.store %v, %t[%i] : memref<512xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%bx, %tx] : memref<4x32xf32>
    %r = gpu.all_reduce add %v uniform {} : (f32) -> f32
    memref.store %r, %s2[%bx] : memref<4xf32>
    gpu.terminator
  }
  return
}
