// A hand-written CUDA step at gpu-dialect level, standing in for the output
// of zo-cuda-lowering: a kernel launch on device buffers, a device
// allocation, a copy, and a cuBLAS GEMM through the runtime's shim.
// y = 2 x + 1 (64 elements); c = a b (2x3 times 3x4); batched c = a b^T.
module attributes {gpu.container_module} {
  func.func private @zo_cuda_sgemm(memref<?x?xf32, strided<[?, ?], offset: ?>>,
                                   memref<?x?xf32, strided<[?, ?], offset: ?>>,
                                   memref<?x?xf32, strided<[?, ?], offset: ?>>, f32)
      attributes {llvm.emit_c_interface}

  func.func private @zo_cuda_sgemm_batched(
      memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
      memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
      memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, f32)
      attributes {llvm.emit_c_interface}

  func.func @axpb(%x: memref<64xf32>, %y: memref<64xf32>)
      attributes {llvm.emit_c_interface} {
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %t0 = gpu.wait async
    %tmp, %t1 = gpu.alloc async [%t0] () : memref<64xf32>
    %t2 = gpu.launch_func async [%t1] @kernels::@axpb
        blocks in (%c1, %c1, %c1) threads in (%c64, %c1, %c1)
        args(%x : memref<64xf32>, %tmp : memref<64xf32>)
    %t3 = gpu.memcpy async [%t2] %y, %tmp : memref<64xf32>, memref<64xf32>
    %t4 = gpu.dealloc async [%t3] %tmp : memref<64xf32>
    gpu.wait [%t4]
    return
  }

  func.func @matmul(%a: memref<2x3xf32>, %b: memref<3x4xf32>,
                    %c: memref<2x4xf32>) attributes {llvm.emit_c_interface} {
    %beta = arith.constant 0.0 : f32
    %a2 = memref.cast %a : memref<2x3xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %b2 = memref.cast %b : memref<3x4xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %c2 = memref.cast %c : memref<2x4xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    call @zo_cuda_sgemm(%a2, %b2, %c2, %beta)
        : (memref<?x?xf32, strided<[?, ?], offset: ?>>,
           memref<?x?xf32, strided<[?, ?], offset: ?>>,
           memref<?x?xf32, strided<[?, ?], offset: ?>>, f32) -> ()
    return
  }

  // c = a b^T per batch: b is passed as a transposed view (unit row stride).
  func.func @bmm_nt(%a: memref<2x3x4xf32>, %b: memref<2x5x4xf32>,
                    %c: memref<2x3x5xf32>) attributes {llvm.emit_c_interface} {
    %beta = arith.constant 0.0 : f32
    %bt = memref.transpose %b (d0, d1, d2) -> (d0, d2, d1)
        : memref<2x5x4xf32> to memref<2x4x5xf32, strided<[20, 1, 4]>>
    %a2 = memref.cast %a : memref<2x3x4xf32> to memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
    %b2 = memref.cast %bt : memref<2x4x5xf32, strided<[20, 1, 4]>> to memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
    %c2 = memref.cast %c : memref<2x3x5xf32> to memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
    call @zo_cuda_sgemm_batched(%a2, %b2, %c2, %beta)
        : (memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
           memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
           memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, f32) -> ()
    return
  }

  gpu.module @kernels {
    gpu.func @axpb(%x: memref<64xf32>, %y: memref<64xf32>) kernel {
      %i = gpu.thread_id x
      %v = memref.load %x[%i] : memref<64xf32>
      %two = arith.constant 2.0 : f32
      %one = arith.constant 1.0 : f32
      %v2 = arith.mulf %v, %two : f32
      %w = arith.addf %v2, %one : f32
      memref.store %w, %y[%i] : memref<64xf32>
      gpu.return
    }
  }
}
