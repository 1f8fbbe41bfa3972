//===- GpuRuntimeCalls.cpp - the mgpu* functions compiled host code calls -===//
//
// MLIR 22 loads every gpu.binary from a global constructor of the step
// library (mgpuModuleLoad / mgpuModuleLoadJIT at dlopen time). Loading is
// therefore deferred to the first mgpuModuleGetFunction: opening a step
// library on a machine without a driver must not kill the process before the
// C++ API can report "no CUDA driver".
//
// Every stream argument is the runtime's one stream (mgpuStreamCreate returns
// it), so kernels, copies and cuBLAS GEMMs run in program order.
//
//===----------------------------------------------------------------------===//

#include "Context.h"

#include "zo/Runtime/CudaRuntime.h"

#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

using namespace mlir::zo;
using namespace mlir::zo::cuda::detail;

namespace {

/// A gpu.binary registered by a step library, loaded on first use.
struct LazyModule {
  const void *data;
  size_t size;
  /// PTX text (cubin-format=isa): JIT-compiled by the driver.
  bool isPtx;
  int optLevel;
  std::mutex mutex;
  CUmodule module = nullptr;
  /// Function handles by kernel-name constant (a global of the step library,
  /// so its address is a stable key).
  std::unordered_map<const char *, CUfunction> functions;
};

CUmodule load(LazyModule &m, Context &c) {
  if (m.module)
    return m.module;
  if (!m.isPtx) {
    check(c.cu.cuModuleLoadData(&m.module, m.data), "cuModuleLoadData");
    return m.module;
  }
  // Keep the JIT's error log: a PTX the driver cannot compile (e.g. a PTX
  // ISA newer than the driver) is otherwise an opaque error code.
  char log[4096] = {0};
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {reinterpret_cast<void *>(
                        static_cast<intptr_t>(m.optLevel < 0   ? 0
                                              : m.optLevel > 4 ? 4
                                                               : m.optLevel)),
                    log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUresult r = c.cu.cuModuleLoadDataEx(&m.module, m.data, 3, options, values);
  if (r != CUDA_SUCCESS && log[0])
    fatal(std::string("zo-cuda: the driver cannot compile the step's PTX: ") +
          log);
  check(r, "cuModuleLoadDataEx");
  return m.module;
}

CUstream ourStream(void *stream) {
  Context &c = getContext();
  if (stream && stream != c.stream)
    fatal("zo-cuda: compiled code used a stream this runtime did not create");
  return c.stream;
}

} // namespace

extern "C" {

void *mgpuModuleLoad(void *data, size_t size) {
  return new LazyModule{data, size, /*isPtx=*/false, 0};
}

void *mgpuModuleLoadJIT(void *ptx, int optLevel) {
  return new LazyModule{ptx, std::strlen(static_cast<const char *>(ptx)) + 1,
                        /*isPtx=*/true, optLevel};
}

void mgpuModuleUnload(void *module) {
  auto *m = static_cast<LazyModule *>(module);
  if (!m)
    return;
  // Runs from the step library's global destructors, possibly at process
  // exit: errors (a driver already shut down) are ignored.
  if (m->module && cuda::initialize().empty())
    getContext().cu.cuModuleUnload(m->module);
  delete m;
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  auto *m = static_cast<LazyModule *>(module);
  Context &c = getContext();
  std::lock_guard<std::mutex> lock(m->mutex);
  auto it = m->functions.find(name);
  if (it != m->functions.end())
    return it->second;
  CUfunction fn = nullptr;
  CUresult r = c.cu.cuModuleGetFunction(&fn, load(*m, c), name);
  if (r == CUDA_ERROR_NOT_FOUND)
    fatal(std::string("zo-cuda: the step's GPU binary has no kernel '") + name +
          "'");
  check(r, "cuModuleGetFunction");
  m->functions[name] = fn;
  return fn;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  Context &c = getContext();
  check(c.cu.cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY,
                            gridZ, blockX, blockY, blockZ, sharedMemBytes,
                            ourStream(stream), params, extra),
        "cuLaunchKernel");
}

void mgpuLaunchClusterKernel(void *function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t sharedMemBytes, void *stream,
                             void **params, void **extra) {
  Context &c = getContext();
  CUlaunchAttribute cluster = {};
  cluster.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  cluster.value.clusterDim.x = clusterX;
  cluster.value.clusterDim.y = clusterY;
  cluster.value.clusterDim.z = clusterZ;
  CUlaunchConfig config = {};
  // gpu.launch_func's `blocks in` counts blocks of the whole grid.
  config.gridDimX = gridX;
  config.gridDimY = gridY;
  config.gridDimZ = gridZ;
  config.blockDimX = blockX;
  config.blockDimY = blockY;
  config.blockDimZ = blockZ;
  config.sharedMemBytes = sharedMemBytes;
  config.hStream = ourStream(stream);
  config.attrs = &cluster;
  config.numAttrs = 1;
  check(c.cu.cuLaunchKernelEx(&config, static_cast<CUfunction>(function),
                              params, extra),
        "cuLaunchKernelEx");
}

void *mgpuStreamCreate() { return getContext().stream; }

void mgpuStreamDestroy(void *stream) { ourStream(stream); }

void mgpuStreamSynchronize(void *stream) {
  check(getContext().cu.cuStreamSynchronize(ourStream(stream)),
        "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  check(getContext().cu.cuStreamWaitEvent(ourStream(stream),
                                          static_cast<CUevent>(event), 0),
        "cuStreamWaitEvent");
}

void *mgpuEventCreate() {
  CUevent event = nullptr;
  check(getContext().cu.cuEventCreate(&event, CU_EVENT_DISABLE_TIMING),
        "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  check(getContext().cu.cuEventDestroy_v2(static_cast<CUevent>(event)),
        "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  check(getContext().cu.cuEventSynchronize(static_cast<CUevent>(event)),
        "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  check(getContext().cu.cuEventRecord(static_cast<CUevent>(event),
                                      ourStream(stream)),
        "cuEventRecord");
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  check(getContext().cu.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                      reinterpret_cast<CUdeviceptr>(src),
                                      sizeBytes, ourStream(stream)),
        "cuMemcpyAsync");
}

// `count` is in elements of the fill width (the lowering passes the number of
// elements of the memref), not bytes.
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream) {
  check(getContext().cu.cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst),
                                         value, count, ourStream(stream)),
        "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, uint16_t value, size_t count, void *stream) {
  check(getContext().cu.cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst),
                                         value, count, ourStream(stream)),
        "cuMemsetD16Async");
}

} // extern "C"

namespace {
/// The bytes a ranked memref descriptor {allocated, aligned, offset,
/// sizes[rank], strides[rank]} spans from its first element.
std::pair<char *, size_t> getSpan(int64_t rank, void *descriptor,
                                  int64_t elementSizeBytes) {
  auto *words = static_cast<int64_t *>(descriptor);
  char *aligned = reinterpret_cast<char *>(words[1]);
  int64_t offset = words[2];
  int64_t last = 0;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = words[3 + i], stride = words[3 + rank + i];
    if (size == 0)
      return {aligned + offset * elementSizeBytes, 0};
    last += (size - 1) * stride;
  }
  return {aligned + offset * elementSizeBytes,
          static_cast<size_t>((last + 1) * elementSizeBytes)};
}
} // namespace

extern "C" {

// gpu.host_register passes an unranked memref: {rank, ranked descriptor*}.
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes) {
  auto [ptr, bytes] = getSpan(rank, descriptor, elementSizeBytes);
  if (bytes == 0)
    return;
  check(getContext().cu.cuMemHostRegister_v2(ptr, bytes, 0),
        "cuMemHostRegister");
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes) {
  auto [ptr, bytes] = getSpan(rank, descriptor, elementSizeBytes);
  if (bytes == 0)
    return;
  check(getContext().cu.cuMemHostUnregister(ptr), "cuMemHostUnregister");
}

} // extern "C"
