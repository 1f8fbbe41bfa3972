// RUN: zo-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(func.func(zo-cuda-wrap-host-accesses))" | FileCheck %s

// Rank-0 work at function level (a load, arithmetic on it, a store) moves
// into a one-iteration scf.parallel; arithmetic that does not depend on
// memory stays on the host; allocation and the parallel loop stay as they
// are.
// CHECK-LABEL: func.func @rank0(
// CHECK: %[[SCALE:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[HALF:.*]] = arith.divf %[[SCALE]], %{{.*}} : f32
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c1) step (%c1) {
// CHECK:   memref.load %arg0[] : memref<f32>
// CHECK:   arith.divf %{{.*}}, %[[HALF]] : f32
// CHECK:   memref.store %{{.*}}, %arg1[] : memref<f32>
// CHECK: }
// CHECK: memref.alloc
// CHECK: scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c4) step
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @rank0(%in: memref<f32>, %out: memref<f32>, %v: memref<4xf32>) {
  %c8 = arith.constant 8.0 : f32
  %c2 = arith.constant 2.0 : f32
  %x = memref.load %in[] : memref<f32>
  %half = arith.divf %c8, %c2 : f32
  %y = arith.divf %x, %half : f32
  memref.store %y, %out[] : memref<f32>
  %tmp = memref.alloc() : memref<4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %e = memref.load %v[%i] : memref<4xf32>
    memref.store %e, %tmp[%i] : memref<4xf32>
  }
  memref.dealloc %tmp : memref<4xf32>
  return
}

// -----

// A full reduction (scf.for only, no parallel dim) runs in one kernel.
// CHECK-LABEL: func.func @sum(
// CHECK: scf.parallel
// CHECK:   memref.store
// CHECK:   scf.for
// CHECK: return
func.func @sum(%v: memref<16xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %out[] : memref<f32>
  scf.for %i = %c0 to %c16 step %c1 {
    %e = memref.load %v[%i] : memref<16xf32>
    %acc = memref.load %out[] : memref<f32>
    %s = arith.addf %acc, %e : f32
    memref.store %s, %out[] : memref<f32>
  }
  return
}

// -----

// A value read from memory that host code needs cannot be wrapped.
func.func private @consume(f32)
func.func @escapes(%in: memref<f32>) {
  %x = memref.load %in[] : memref<f32>
  // expected-error @+1 {{zo-cuda: host code uses a value read from device memory (defined by 'memref.load'); it must be computed in a kernel}}
  func.call @consume(%x) : (f32) -> ()
  return
}
