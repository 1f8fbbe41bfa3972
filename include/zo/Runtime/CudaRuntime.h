//===- CudaRuntime.h - the CUDA target's device, stream, memory -*- C++ -*-===//
//
// libZoCudaRuntime.so: one context per process (device, primary context, ONE
// stream, cuBLAS handle bound to it) behind the `mgpu*` calls compiled code
// makes and the C++ API below. The driver is dlopen'ed on first use, so
// everything links and reports a clear error on a machine without a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_CUDARUNTIME_H
#define ZO_RUNTIME_CUDARUNTIME_H

#include "zo/Runtime/MemoryAccounting.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlir::zo::cuda {

/// Loads the driver and sets up the device, context, stream. Returns "" on
/// success, else the message (e.g. "zo-cuda: no CUDA driver: libcuda.so.1
/// not found"); later calls return the same answer. The driver library is
/// $ZO_CUDA_DRIVER if set (tests point it at the toolkit's stub), else
/// libcuda.so.1; the device is $ZO_CUDA_DEVICE, else 0 (or the one
/// mgpuSetDefaultDevice chose before first use).
std::string initialize();

struct DeviceInfo {
  int ordinal = 0;
  std::string name;
  /// Compute capability.
  int major = 0, minor = 0;
  size_t totalBytes = 0;
  /// Stream-ordered allocation (cuMemAllocAsync) is used.
  bool memoryPools = false;
};
/// Needs a successful initialize().
DeviceInfo getDeviceInfo();

/// The stream every kernel, copy and GEMM of this process runs on.
void *getStream();
/// Waits until all work on the stream is done.
void synchronize();

/// Device memory, counted (see getDeviceMemoryStats). Ordered on the stream.
void *allocate(size_t bytes);
void release(void *devicePtr);
/// Copies and waits for the copy (and everything before it) to finish.
void copyToDevice(void *dst, const void *src, size_t bytes);
void copyToHost(void *dst, const void *src, size_t bytes);

/// Device memory: the same counters as the host's (MemoryAccounting.h).
using DeviceMemoryStats = rt::MemoryStats;
DeviceMemoryStats getDeviceMemoryStats();
/// Sets the peak to the current level and zeroes the allocation count.
void resetPeakDeviceMemory();

} // namespace mlir::zo::cuda

// The entry points MLIR 22's gpu-to-llvm lowering (and its LLVM translation
// of gpu.binary / gpu.launch_func) emits for host code. Every `stream` is the
// runtime's one stream; mgpuStreamDestroy of it is a no-op.
extern "C" {
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *ptx, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t paramsCount);
void mgpuLaunchClusterKernel(void *function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t sharedMemBytes, void *stream,
                             void **params, void **extra);
void *mgpuStreamCreate();
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate();
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream);
void mgpuMemset16(void *dst, uint16_t value, size_t count, void *stream);
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes);
void mgpuSetDefaultDevice(int32_t device);
}

#endif // ZO_RUNTIME_CUDARUNTIME_H
