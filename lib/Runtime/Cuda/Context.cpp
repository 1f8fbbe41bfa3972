//===- Context.cpp - driver loading, the one stream, device memory --------===//
//
// The context is created on first use and never destroyed: step libraries
// unload their modules from global destructors, which may run after ours.
// Device allocations are stream-ordered when the device has memory pools,
// so a free does not stall the stream (upstream's wrappers free with
// cuMemFree, which synchronizes the device).
//
//===----------------------------------------------------------------------===//

#include "Context.h"

#include "zo/Runtime/CudaRuntime.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

using namespace mlir::zo;
using namespace mlir::zo::cuda::detail;

#ifndef ZO_CUBLAS_LIBRARY
#define ZO_CUBLAS_LIBRARY "libcublas.so"
#endif
#ifndef ZO_CUBLAS_SONAME
#define ZO_CUBLAS_SONAME "libcublas.so"
#endif

namespace {

/// CUDA error names the driver cannot give us (it may be the stub).
const char *getErrorName(const DriverApi &cu, CUresult result) {
  const char *name = nullptr;
  if (cu.cuGetErrorName && cu.cuGetErrorName(result, &name) == CUDA_SUCCESS &&
      name)
    return name;
  switch (result) {
  case CUDA_ERROR_STUB_LIBRARY:
    return "CUDA_ERROR_STUB_LIBRARY";
  case CUDA_ERROR_NO_DEVICE:
    return "CUDA_ERROR_NO_DEVICE";
  default:
    return "unknown CUDA error";
  }
}

struct State {
  std::mutex mutex;
  bool tried = false;
  std::string error;
  Context context;
  /// -1: not chosen yet (mgpuSetDefaultDevice may choose before first use).
  int requestedOrdinal = -1;

  CublasApi cublas;
  cublasHandle_t handle = nullptr;
  bool cublasReady = false;

  /// Live device allocations: size, and whether it is managed memory.
  std::unordered_map<void *, std::pair<size_t, bool>> sizes;
  cuda::DeviceMemoryStats stats;
};

State &getState() {
  static State *state = new State; // never destroyed, see the file comment
  return *state;
}

std::string fail(const std::string &message) { return "zo-cuda: " + message; }

std::string initializeLocked(State &s) {
  const char *env = std::getenv("ZO_CUDA_DRIVER");
  std::string libName = env && *env ? env : "libcuda.so.1";
  void *lib = dlopen(libName.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return fail("no CUDA driver: " + libName + " not found");
  DriverApi &cu = s.context.cu;
#define ZO_RESOLVE(fn)                                                         \
  cu.fn = reinterpret_cast<decltype(cu.fn)>(dlsym(lib, #fn));                  \
  if (!cu.fn)                                                                  \
    return fail("the CUDA driver " + libName +                                 \
                " lacks " #fn " (too old for CUDA 12 code?)");
  ZO_CUDA_DRIVER_FUNCTIONS(ZO_RESOLVE)
#undef ZO_RESOLVE

  if (CUresult r = cu.cuInit(0); r != CUDA_SUCCESS) {
    if (r == CUDA_ERROR_NO_DEVICE)
      return fail("no CUDA device");
    return fail(std::string("no usable CUDA driver: cuInit failed with ") +
                getErrorName(cu, r) + " (" + libName + ")");
  }
  int count = 0;
  if (cu.cuDeviceGetCount(&count) != CUDA_SUCCESS || count == 0)
    return fail("no CUDA device");
  int ordinal = s.requestedOrdinal;
  if (ordinal < 0) {
    const char *dev = std::getenv("ZO_CUDA_DEVICE");
    ordinal = dev && *dev ? std::atoi(dev) : 0;
  }
  if (ordinal < 0 || ordinal >= count)
    return fail("no CUDA device " + std::to_string(ordinal) + " (found " +
                std::to_string(count) + ")");
  Context &c = s.context;
  c.ordinal = ordinal;
  auto step = [&](CUresult r, const char *what) -> std::string {
    return r == CUDA_SUCCESS ? std::string()
                             : fail(std::string(what) + " failed with " +
                                    getErrorName(cu, r));
  };
  std::string err;
  if (!(err = step(cu.cuDeviceGet(&c.device, ordinal), "cuDeviceGet")).empty())
    return err;
  if (!(err = step(cu.cuDevicePrimaryCtxRetain(&c.context, c.device),
                   "cuDevicePrimaryCtxRetain"))
           .empty())
    return err;
  if (!(err = step(cu.cuCtxSetCurrent(c.context), "cuCtxSetCurrent")).empty())
    return err;
  if (!(err = step(cu.cuStreamCreate(&c.stream, CU_STREAM_NON_BLOCKING),
                   "cuStreamCreate"))
           .empty())
    return err;
  int pools = 0;
  cu.cuDeviceGetAttribute(&pools, CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED,
                          c.device);
  c.memoryPools = pools != 0 && !std::getenv("ZO_CUDA_NO_MEMORY_POOLS");
  return "";
}

} // namespace

std::string cuda::initialize() {
  State &s = getState();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.tried) {
    s.tried = true;
    s.error = initializeLocked(s);
  }
  return s.error;
}

[[noreturn]] void mlir::zo::cuda::detail::fatal(const std::string &message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  // Not exit(): global destructors (a step library's module unloads) would
  // call back into a runtime that is failing.
  std::_Exit(1);
}

Context &mlir::zo::cuda::detail::getContext() {
  State &s = getState();
  if (std::string err = cuda::initialize(); !err.empty())
    fatal(err);
  // Calls may come from threads other than the one that initialized.
  static thread_local bool current = false;
  if (!current) {
    check(s.context.cu.cuCtxSetCurrent(s.context.context), "cuCtxSetCurrent");
    current = true;
  }
  return s.context;
}

void mlir::zo::cuda::detail::check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  fatal(std::string("zo-cuda: ") + what + " failed with " +
        getErrorName(getState().context.cu, result));
}

void mlir::zo::cuda::detail::check(cublasStatus_t status, const char *what) {
  if (status == CUBLAS_STATUS_SUCCESS)
    return;
  const CublasApi &api = getState().cublas;
  const char *name = api.cublasGetStatusName ? api.cublasGetStatusName(status)
                                             : "unknown cuBLAS status";
  fatal(std::string("zo-cuda: ") + what + " failed with " + name);
}

const CublasApi &mlir::zo::cuda::detail::getCublas(cublasHandle_t &handle) {
  Context &c = getContext();
  State &s = getState();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.cublasReady) {
    const char *env = std::getenv("ZO_CUBLAS_LIBRARY");
    std::string libName = env && *env ? env : ZO_CUBLAS_LIBRARY;
    void *lib = dlopen(libName.c_str(), RTLD_NOW | RTLD_LOCAL);
    // The toolkit this was built with may live elsewhere on a GPU machine.
    if (!lib && !(env && *env))
      lib = dlopen(ZO_CUBLAS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      fatal("zo-cuda: cannot load cuBLAS (" + libName + "): " + dlerror());
#define ZO_RESOLVE(fn)                                                         \
  s.cublas.fn = reinterpret_cast<decltype(s.cublas.fn)>(dlsym(lib, #fn));      \
  if (!s.cublas.fn)                                                            \
    fatal("zo-cuda: " + libName + " lacks " #fn);
    ZO_CUBLAS_FUNCTIONS(ZO_RESOLVE)
#undef ZO_RESOLVE
#define ZO_RESOLVE_TYPED(fn, type)                                             \
  s.cublas.fn = reinterpret_cast<type>(dlsym(lib, #fn));                       \
  if (!s.cublas.fn)                                                            \
    fatal("zo-cuda: " + libName + " lacks " #fn);
    ZO_CUBLAS_EX_FUNCTIONS(ZO_RESOLVE_TYPED)
#undef ZO_RESOLVE_TYPED
    check(s.cublas.cublasCreate_v2(&s.handle), "cublasCreate");
    // The handle is bound to our stream: GEMMs are ordered with kernels.
    check(s.cublas.cublasSetStream_v2(s.handle, c.stream), "cublasSetStream");
    s.cublasReady = true;
  }
  handle = s.handle;
  return s.cublas;
}

//===----------------------------------------------------------------------===//
// Public C++ API
//===----------------------------------------------------------------------===//

cuda::DeviceInfo cuda::getDeviceInfo() {
  Context &c = getContext();
  DeviceInfo info;
  info.ordinal = c.ordinal;
  char name[256] = {0};
  check(c.cu.cuDeviceGetName(name, sizeof(name) - 1, c.device),
        "cuDeviceGetName");
  info.name = name;
  check(c.cu.cuDeviceGetAttribute(&info.major,
                                  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                                  c.device),
        "cuDeviceGetAttribute");
  check(c.cu.cuDeviceGetAttribute(&info.minor,
                                  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                                  c.device),
        "cuDeviceGetAttribute");
  check(c.cu.cuDeviceTotalMem_v2(&info.totalBytes, c.device),
        "cuDeviceTotalMem");
  info.memoryPools = c.memoryPools;
  return info;
}

void *cuda::getStream() { return getContext().stream; }

void cuda::synchronize() {
  Context &c = getContext();
  check(c.cu.cuStreamSynchronize(c.stream), "cuStreamSynchronize");
}

namespace {
void *allocateImpl(size_t bytes, bool managed) {
  Context &c = getContext();
  CUdeviceptr ptr = 0;
  size_t size = bytes ? bytes : 1;
  if (managed)
    check(c.cu.cuMemAllocManaged(&ptr, size, CU_MEM_ATTACH_GLOBAL),
          "cuMemAllocManaged");
  else if (c.memoryPools)
    check(c.cu.cuMemAllocAsync(&ptr, size, c.stream), "cuMemAllocAsync");
  else
    check(c.cu.cuMemAlloc_v2(&ptr, size), "cuMemAlloc");
  State &s = getState();
  std::lock_guard<std::mutex> lock(s.mutex);
  void *p = reinterpret_cast<void *>(ptr);
  s.sizes[p] = {bytes, managed};
  s.stats.currentBytes += static_cast<int64_t>(bytes);
  ++s.stats.numAllocations;
  if (s.stats.currentBytes > s.stats.peakBytes)
    s.stats.peakBytes = s.stats.currentBytes;
  return p;
}
} // namespace

void *cuda::allocate(size_t bytes) { return allocateImpl(bytes, false); }

void cuda::release(void *devicePtr) {
  if (!devicePtr)
    return;
  Context &c = getContext();
  State &s = getState();
  bool known, managed = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.sizes.find(devicePtr);
    known = it != s.sizes.end();
    if (known) {
      s.stats.currentBytes -= static_cast<int64_t>(it->second.first);
      managed = it->second.second;
      s.sizes.erase(it);
    }
  }
  if (!known)
    fatal("zo-cuda: freeing device memory this runtime did not allocate");
  auto ptr = reinterpret_cast<CUdeviceptr>(devicePtr);
  if (c.memoryPools && !managed) {
    check(c.cu.cuMemFreeAsync(ptr, c.stream), "cuMemFreeAsync");
    return;
  }
  // cuMemFree does not wait for kernels that may still read the block.
  check(c.cu.cuStreamSynchronize(c.stream), "cuStreamSynchronize");
  check(c.cu.cuMemFree_v2(ptr), "cuMemFree");
}

void cuda::copyToDevice(void *dst, const void *src, size_t bytes) {
  Context &c = getContext();
  check(c.cu.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                           reinterpret_cast<CUdeviceptr>(src), bytes, c.stream),
        "cuMemcpyAsync");
  // `src` is pageable host memory the caller may reuse right away.
  check(c.cu.cuStreamSynchronize(c.stream), "cuStreamSynchronize");
}

void cuda::copyToHost(void *dst, const void *src, size_t bytes) {
  copyToDevice(dst, src, bytes); // unified addressing: same call
}

cuda::DeviceMemoryStats cuda::getDeviceMemoryStats() {
  State &s = getState();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.stats;
}

void cuda::resetPeakDeviceMemory() {
  State &s = getState();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.stats.peakBytes = s.stats.currentBytes;
  s.stats.numAllocations = 0;
}

//===----------------------------------------------------------------------===//
// Device selection and allocation entry points of compiled code
//===----------------------------------------------------------------------===//

extern "C" void mgpuSetDefaultDevice(int32_t device) {
  State &s = getState();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.tried) {
      s.requestedOrdinal = device;
      return;
    }
  }
  if (getContext().ordinal != device)
    fatal("zo-cuda: mgpuSetDefaultDevice(" + std::to_string(device) +
          ") after device " + std::to_string(getContext().ordinal) +
          " was put in use; the runtime uses one device per process");
}

extern "C" void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/,
                              bool isHostShared) {
  return allocateImpl(sizeBytes, isHostShared);
}

extern "C" void mgpuMemFree(void *ptr, void * /*stream*/) {
  cuda::release(ptr);
}
