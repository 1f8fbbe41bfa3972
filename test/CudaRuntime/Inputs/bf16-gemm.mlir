// bf16 GEMMs at gpu-dialect level, as zo-cuda-lowering emits them for a
// bf16 model: calls of the runtime's zo_cuda_gemm_bf16[_batched] (bf16 A, B
// and C, f32 beta; cublasGemmEx / cublasGemmStridedBatchedEx with
// CUDA_R_16BF and CUBLAS_COMPUTE_32F). c = a b (2x3 times 3x4, C
// overwritten); batched c = a b^T + c (b a transposed view, beta = 1).
module attributes {gpu.container_module} {
  func.func private @zo_cuda_gemm_bf16(memref<?x?xbf16, strided<[?, ?], offset: ?>>,
                                       memref<?x?xbf16, strided<[?, ?], offset: ?>>,
                                       memref<?x?xbf16, strided<[?, ?], offset: ?>>, f32)
      attributes {llvm.emit_c_interface}

  func.func private @zo_cuda_gemm_bf16_batched(
      memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>,
      memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>,
      memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>, f32)
      attributes {llvm.emit_c_interface}

  func.func @matmul_bf16(%a: memref<2x3xbf16>, %b: memref<3x4xbf16>,
                         %c: memref<2x4xbf16>) attributes {llvm.emit_c_interface} {
    %beta = arith.constant 0.0 : f32
    %a2 = memref.cast %a : memref<2x3xbf16> to memref<?x?xbf16, strided<[?, ?], offset: ?>>
    %b2 = memref.cast %b : memref<3x4xbf16> to memref<?x?xbf16, strided<[?, ?], offset: ?>>
    %c2 = memref.cast %c : memref<2x4xbf16> to memref<?x?xbf16, strided<[?, ?], offset: ?>>
    call @zo_cuda_gemm_bf16(%a2, %b2, %c2, %beta)
        : (memref<?x?xbf16, strided<[?, ?], offset: ?>>,
           memref<?x?xbf16, strided<[?, ?], offset: ?>>,
           memref<?x?xbf16, strided<[?, ?], offset: ?>>, f32) -> ()
    return
  }

  // c is an input here, copied into the result first (beta = 1 adds to it).
  func.func @bmm_nt_bf16(%a: memref<2x3x4xbf16>, %b: memref<2x5x4xbf16>,
                         %c0: memref<2x3x5xbf16>, %c: memref<2x3x5xbf16>)
      attributes {llvm.emit_c_interface} {
    %beta = arith.constant 1.0 : f32
    %t0 = gpu.wait async
    %t1 = gpu.memcpy async [%t0] %c, %c0 : memref<2x3x5xbf16>, memref<2x3x5xbf16>
    gpu.wait [%t1]
    %bt = memref.transpose %b (d0, d1, d2) -> (d0, d2, d1)
        : memref<2x5x4xbf16> to memref<2x4x5xbf16, strided<[20, 1, 4]>>
    %a2 = memref.cast %a : memref<2x3x4xbf16> to memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>
    %b2 = memref.cast %bt : memref<2x4x5xbf16, strided<[20, 1, 4]>> to memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>
    %c2 = memref.cast %c : memref<2x3x5xbf16> to memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>
    call @zo_cuda_gemm_bf16_batched(%a2, %b2, %c2, %beta)
        : (memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>,
           memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>,
           memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>, f32) -> ()
    return
  }
}
