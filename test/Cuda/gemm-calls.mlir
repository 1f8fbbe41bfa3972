// RUN: zo-opt %s --zo-linalg-to-blas="prefix=zo_cuda_" | FileCheck %s --check-prefix=CUDA
// RUN: zo-opt %s --zo-linalg-to-blas="prefix=zo_cuda_" --zo-rename-gemm-calls | FileCheck %s --check-prefix=CPU

// zo-linalg-to-blas with the CUDA runtime's prefix: the same ABI (strided
// memref operands, transposed ones as memref.transpose views, beta) under
// the cuBLAS wrappers' names; zo-rename-gemm-calls (default zo_cuda_ ->
// zo_rt_) gives the CPU runtime's names back, calls and declarations.
// CUDA-DAG: func.func private @zo_cuda_sgemm(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, f32) attributes {llvm.emit_c_interface}
// CUDA-DAG: func.func private @zo_cuda_sgemm_batched(memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, f32) attributes {llvm.emit_c_interface}
// CUDA-LABEL: func.func @gemms(
// CUDA: %[[BT:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0)
// CUDA: %[[B:.*]] = memref.cast %[[BT]]
// CUDA: call @zo_cuda_sgemm(%{{.*}}, %[[B]], %{{.*}}, %{{.*}})
// CUDA: call @zo_cuda_sgemm_batched(
// CUDA-NOT: zo_rt_
// CPU-DAG: func.func private @zo_rt_sgemm(
// CPU-DAG: func.func private @zo_rt_sgemm_batched(
// CPU-LABEL: func.func @gemms(
// CPU: call @zo_rt_sgemm(
// CPU: call @zo_rt_sgemm_batched(
// CPU-NOT: zo_cuda_
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @gemms(%a: memref<4x8xf32>, %b: memref<5x8xf32>, %c: memref<4x5xf32>,
                 %x: memref<2x4x8xf32>, %y: memref<2x8x3xf32>, %z: memref<2x4x3xf32>) {
  linalg.matmul indexing_maps = [#a, #bt, #c]
      ins(%a, %b : memref<4x8xf32>, memref<5x8xf32>) outs(%c : memref<4x5xf32>)
  linalg.batch_matmul ins(%x, %y : memref<2x4x8xf32>, memref<2x8x3xf32>) outs(%z : memref<2x4x3xf32>)
  return
}
