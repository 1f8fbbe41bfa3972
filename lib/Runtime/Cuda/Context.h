//===- Context.h - the CUDA runtime's process-wide state --------*- C++ -*-===//
//
// Private to lib/Runtime/Cuda: the driver and cuBLAS entry points (resolved
// with dlsym, so nothing links against libcuda) and the one context whose
// stream every mgpu call and GEMM uses.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_RUNTIME_CUDA_CONTEXT_H
#define ZO_LIB_RUNTIME_CUDA_CONTEXT_H

#include <cublas_api.h>
#include <cuda.h>

#include <string>

namespace mlir::zo::cuda::detail {

// The driver functions we call, by their ABI-versioned symbol names.
#define ZO_CUDA_DRIVER_FUNCTIONS(X)                                            \
  X(cuInit)                                                                    \
  X(cuGetErrorName)                                                            \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceTotalMem_v2)                                                       \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuCtxSetCurrent)                                                           \
  X(cuStreamCreate)                                                            \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamWaitEvent)                                                         \
  X(cuEventCreate)                                                             \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventDestroy_v2)                                                         \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuLaunchKernel)                                                            \
  X(cuLaunchKernelEx)                                                          \
  X(cuMemAlloc_v2)                                                             \
  X(cuMemAllocManaged)                                                         \
  X(cuMemFree_v2)                                                              \
  X(cuMemAllocAsync)                                                           \
  X(cuMemFreeAsync)                                                            \
  X(cuMemcpyAsync)                                                             \
  X(cuMemsetD32Async)                                                          \
  X(cuMemsetD16Async)                                                          \
  X(cuMemsetD2D32Async)                                                        \
  X(cuMemsetD2D16Async)                                                        \
  X(cuMemHostRegister_v2)                                                      \
  X(cuMemHostUnregister)

#define ZO_CUBLAS_FUNCTIONS(X)                                                 \
  X(cublasCreate_v2)                                                           \
  X(cublasSetStream_v2)                                                        \
  X(cublasGetStatusName)                                                       \
  X(cublasSgemm_v2)                                                            \
  X(cublasSgemmStridedBatched)                                                 \
  X(cublasScopy_v2)                                                            \
  X(cublasSscal_v2)

struct DriverApi {
#define ZO_DECLARE(fn) decltype(&::fn) fn = nullptr;
  ZO_CUDA_DRIVER_FUNCTIONS(ZO_DECLARE)
};

// cublasGemmEx / cublasGemmStridedBatchedEx are overloaded in C++ (inline
// wrappers taking the old cudaDataType compute type): spelled out here.
using CublasGemmExFn = cublasStatus_t (*)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
    const void *, const void *, cudaDataType, int, const void *, cudaDataType,
    int, const void *, void *, cudaDataType, int, cublasComputeType_t,
    cublasGemmAlgo_t);
using CublasGemmStridedBatchedExFn = cublasStatus_t (*)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
    const void *, const void *, cudaDataType, int, long long, const void *,
    cudaDataType, int, long long, const void *, void *, cudaDataType, int,
    long long, int, cublasComputeType_t, cublasGemmAlgo_t);

#define ZO_CUBLAS_EX_FUNCTIONS(X)                                              \
  X(cublasGemmEx, CublasGemmExFn)                                              \
  X(cublasGemmStridedBatchedEx, CublasGemmStridedBatchedExFn)

struct CublasApi {
  ZO_CUBLAS_FUNCTIONS(ZO_DECLARE)
#undef ZO_DECLARE
#define ZO_DECLARE_TYPED(fn, type) type fn = nullptr;
  ZO_CUBLAS_EX_FUNCTIONS(ZO_DECLARE_TYPED)
#undef ZO_DECLARE_TYPED
};

struct Context {
  DriverApi cu;
  CUdevice device = 0;
  int ordinal = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  /// cuMemAllocAsync / cuMemFreeAsync on the stream; else cuMemAlloc and a
  /// synchronized cuMemFree.
  bool memoryPools = false;
};

/// The initialized context; on failure prints the initialize() message and
/// exits with status 1 (compiled code has no way to handle an error).
Context &getContext();

/// The cuBLAS API and a handle bound to the context's stream, loaded on the
/// first GEMM; exits like getContext() if cuBLAS cannot be loaded.
const CublasApi &getCublas(cublasHandle_t &handle);

/// Exits with status 1 after "zo-cuda: <what>: <CUDA error name>" unless
/// `result` is CUDA_SUCCESS.
void check(CUresult result, const char *what);
void check(cublasStatus_t status, const char *what);
[[noreturn]] void fatal(const std::string &message);

} // namespace mlir::zo::cuda::detail

#endif // ZO_LIB_RUNTIME_CUDA_CONTEXT_H
