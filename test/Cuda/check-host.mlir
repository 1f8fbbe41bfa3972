// RUN: zo-opt %s -split-input-file -verify-diagnostics --zo-cuda-check-host

// The contract after mapping: no host op reads or writes memref contents.
func.func @host_load(%m: memref<4xf32>, %i: index) -> f32 {
  // expected-error @+1 {{zo-cuda: host code accesses device memory; only kernels may}}
  %v = memref.load %m[%i] : memref<4xf32>
  return %v : f32
}

// -----

func.func @host_copy(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{zo-cuda: host code accesses device memory; only kernels may}}
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}

// -----

// Loads inside a launch are fine.
func.func @in_kernel(%m: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %m[%tx] : memref<4xf32>
    memref.store %v, %m[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// -----

// Host memory handed to a kernel.
func.func @host_stack(%m: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %tmp = memref.alloca() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %m[%tx] : memref<4xf32>
    // expected-error @+1 {{zo-cuda: a kernel uses host memory ('memref.alloca' outside the launch)}}
    memref.store %v, %tmp[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}
