// RUN: zo-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(gpu.module(zo-cuda-libdevice-to-intrinsics))" | FileCheck %s

// IEEE operations come back as LLVM intrinsics (no libdevice needed);
// rsqrt is 1 / sqrt as on the CPU; the declarations go.
// CHECK-LABEL: gpu.module @ieee
// CHECK-NOT: __nv_
// CHECK: llvm.intr.sqrt(%{{.*}}) : (f32) -> f32
// CHECK: %[[ROOT:.*]] = llvm.intr.sqrt(%{{.*}}) : (f32) -> f32
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK: llvm.fdiv %[[ONE]], %[[ROOT]] : f32
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %{{.*}}) : (f32, f32, f32) -> f32
// CHECK: llvm.intr.floor(%{{.*}}) : (f64) -> f64
// CHECK-NOT: __nv_
gpu.module @ieee {
  llvm.func @__nv_sqrtf(f32) -> f32
  llvm.func @__nv_rsqrtf(f32) -> f32
  llvm.func @__nv_fmaf(f32, f32, f32) -> f32
  llvm.func @__nv_floor(f64) -> f64
  llvm.func @k(%x: f32, %d: f64) -> f32 {
    %0 = llvm.call @__nv_sqrtf(%x) : (f32) -> f32
    %1 = llvm.call @__nv_rsqrtf(%0) : (f32) -> f32
    %2 = llvm.call @__nv_fmaf(%0, %1, %x) : (f32, f32, f32) -> f32
    %3 = llvm.call @__nv_floor(%d) : (f64) -> f64
    llvm.return %2 : f32
  }
}

// -----

// Anything else would need the toolkit's libdevice: an error naming it.
gpu.module @transcendental {
  llvm.func @__nv_expf(f32) -> f32
  llvm.func @k(%x: f32) -> f32 {
    // expected-error @+1 {{zo-cuda: kernel needs libdevice function '__nv_expf' (not expanded into arithmetic)}}
    %0 = llvm.call @__nv_expf(%x) : (f32) -> f32
    llvm.return %0 : f32
  }
}
