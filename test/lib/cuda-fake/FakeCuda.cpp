//===- FakeCuda.cpp - a host-memory stand-in for libcuda and cuBLAS -------===//
//
// Test-only. Loaded by the CUDA runtime in place of the driver and cuBLAS
// (ZO_CUDA_DRIVER / ZO_CUBLAS_LIBRARY), it lets the whole host path run on a
// machine without a GPU: step library -> mgpu* calls -> driver, and
// zo_cuda_sgemm / zo_cuda_gemm_bf16 -> cuBLAS, with "device" memory in host memory. cuBLAS
// calls are computed from cuBLAS's documented column-major semantics; GPU
// kernels cannot run, so launches are checked (the kernel must exist in the
// loaded PTX) and logged, not executed. It checks what the runtime promises:
// every launch, copy and GEMM is on the one stream the runtime created, and
// no device memory is left allocated at exit.
//
//===----------------------------------------------------------------------===//

#include <cublas_api.h>
#include <cuda.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

struct Fake {
  std::map<void *, size_t> live;
  CUstream stream = nullptr;
  bool leakReported = false;
  ~Fake() {
    size_t bytes = 0;
    for (auto &[p, n] : live)
      bytes += n;
    std::fprintf(stderr,
                 "fake-cuda: %zu allocations (%zu bytes) live at exit\n",
                 live.size(), bytes);
  }
};
Fake &fake() {
  static Fake f;
  return f;
}

struct Module {
  std::string ptx; // empty for a cubin/fatbin (names not checkable)
};
struct Function {
  std::string name;
};

CUresult onStream(CUstream s) {
  if (s != fake().stream) {
    std::fprintf(stderr,
                 "fake-cuda: work on a stream the runtime did not create\n");
    return CUDA_ERROR_INVALID_HANDLE;
  }
  return CUDA_SUCCESS;
}

void *alloc(size_t n) {
  void *p = std::malloc(n ? n : 1);
  // Fresh device memory is not zero: fill with a NaN pattern.
  std::memset(p, 0xff, n);
  fake().live[p] = n;
  return p;
}

CUresult release(CUdeviceptr p) {
  auto it = fake().live.find(reinterpret_cast<void *>(p));
  if (it == fake().live.end())
    return CUDA_ERROR_INVALID_VALUE;
  std::free(it->first);
  fake().live.erase(it);
  return CUDA_SUCCESS;
}

} // namespace

extern "C" {

// ZO_FAKE_CUDA_NO_DEVICE: a driver that finds no GPU.
CUresult cuInit(unsigned) {
  return std::getenv("ZO_FAKE_CUDA_NO_DEVICE") ? CUDA_ERROR_NO_DEVICE
                                               : CUDA_SUCCESS;
}
CUresult cuGetErrorName(CUresult r, const char **name) {
  *name =
      r == CUDA_ERROR_NOT_FOUND ? "CUDA_ERROR_NOT_FOUND" : "CUDA_ERROR (fake)";
  return CUDA_SUCCESS;
}
CUresult cuDeviceGetCount(int *n) {
  *n = 1;
  return CUDA_SUCCESS;
}
CUresult cuDeviceGet(CUdevice *d, int ordinal) {
  *d = ordinal;
  return ordinal == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}
CUresult cuDeviceGetName(char *name, int len, CUdevice) {
  std::snprintf(name, len, "zo fake CUDA device (host memory)");
  return CUDA_SUCCESS;
}
CUresult cuDeviceGetAttribute(int *v, CUdevice_attribute a, CUdevice) {
  *v = a == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ? 8
       : a == CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED ? 1
                                                         : 0;
  return CUDA_SUCCESS;
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice) {
  *bytes = size_t(1) << 30;
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice) {
  *c = reinterpret_cast<CUcontext>(0x1);
  return CUDA_SUCCESS;
}
CUresult cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult cuStreamCreate(CUstream *s, unsigned) {
  if (fake().stream) {
    std::fprintf(stderr, "fake-cuda: a second stream was created\n");
    return CUDA_ERROR_INVALID_VALUE;
  }
  *s = fake().stream = reinterpret_cast<CUstream>(new int);
  return CUDA_SUCCESS;
}
CUresult cuStreamSynchronize(CUstream s) { return onStream(s); }
CUresult cuStreamWaitEvent(CUstream s, CUevent, unsigned) {
  return onStream(s);
}
CUresult cuEventCreate(CUevent *e, unsigned) {
  *e = reinterpret_cast<CUevent>(new int);
  return CUDA_SUCCESS;
}
CUresult cuEventRecord(CUevent, CUstream s) { return onStream(s); }
CUresult cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }
CUresult cuEventDestroy_v2(CUevent e) {
  delete reinterpret_cast<int *>(e);
  return CUDA_SUCCESS;
}
CUresult cuModuleLoadData(CUmodule *m, const void *) {
  *m = reinterpret_cast<CUmodule>(new Module());
  return CUDA_SUCCESS;
}
CUresult cuModuleLoadDataEx(CUmodule *m, const void *ptx, unsigned,
                            CUjit_option *, void **) {
  const char *text = static_cast<const char *>(ptx);
  if (!std::strstr(text, ".version") || !std::strstr(text, ".target"))
    return CUDA_ERROR_INVALID_PTX;
  *m = reinterpret_cast<CUmodule>(new Module{text});
  return CUDA_SUCCESS;
}
CUresult cuModuleUnload(CUmodule m) {
  delete reinterpret_cast<Module *>(m);
  return CUDA_SUCCESS;
}
CUresult cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
  auto *mod = reinterpret_cast<Module *>(m);
  if (!mod->ptx.empty() &&
      mod->ptx.find(".entry " + std::string(name) + "(") == std::string::npos)
    return CUDA_ERROR_NOT_FOUND;
  *f = reinterpret_cast<CUfunction>(new Function{name});
  return CUDA_SUCCESS;
}
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        CUstream s, void **params, void **) {
  std::fprintf(stderr,
               "fake-cuda: launch %s grid (%u, %u, %u) block (%u, %u, %u) "
               "shared %u%s\n",
               reinterpret_cast<Function *>(f)->name.c_str(), gx, gy, gz, bx,
               by, bz, smem, params ? "" : " (no params)");
  return onStream(s);
}
CUresult cuLaunchKernelEx(const CUlaunchConfig *c, CUfunction f, void **p,
                          void **e) {
  return cuLaunchKernel(f, c->gridDimX, c->gridDimY, c->gridDimZ, c->blockDimX,
                        c->blockDimY, c->blockDimZ, c->sharedMemBytes,
                        c->hStream, p, e);
}
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
  *p = reinterpret_cast<CUdeviceptr>(alloc(n));
  return CUDA_SUCCESS;
}
CUresult cuMemAllocManaged(CUdeviceptr *p, size_t n, unsigned) {
  return cuMemAlloc_v2(p, n);
}
CUresult cuMemAllocAsync(CUdeviceptr *p, size_t n, CUstream s) {
  *p = reinterpret_cast<CUdeviceptr>(alloc(n));
  return onStream(s);
}
CUresult cuMemFree_v2(CUdeviceptr p) { return release(p); }
CUresult cuMemFreeAsync(CUdeviceptr p, CUstream s) {
  CUresult r = onStream(s);
  return r == CUDA_SUCCESS ? release(p) : r;
}
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t n, CUstream s) {
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src), n);
  return onStream(s);
}
CUresult cuMemsetD32Async(CUdeviceptr p, unsigned v, size_t n, CUstream s) {
  std::fill_n(reinterpret_cast<unsigned *>(p), n, v);
  return onStream(s);
}
CUresult cuMemsetD16Async(CUdeviceptr p, unsigned short v, size_t n,
                          CUstream s) {
  std::fill_n(reinterpret_cast<unsigned short *>(p), n, v);
  return onStream(s);
}
CUresult cuMemsetD2D32Async(CUdeviceptr p, size_t pitchBytes, unsigned v,
                            size_t width, size_t height, CUstream s) {
  if (pitchBytes < width * 4)
    return CUDA_ERROR_INVALID_VALUE;
  for (size_t j = 0; j < height; ++j)
    std::fill_n(reinterpret_cast<unsigned *>(p + j * pitchBytes), width, v);
  return onStream(s);
}
CUresult cuMemsetD2D16Async(CUdeviceptr p, size_t pitchBytes,
                            unsigned short v, size_t width, size_t height,
                            CUstream s) {
  if (pitchBytes < width * 2)
    return CUDA_ERROR_INVALID_VALUE;
  for (size_t j = 0; j < height; ++j)
    std::fill_n(reinterpret_cast<unsigned short *>(p + j * pitchBytes), width,
                v);
  return onStream(s);
}
CUresult cuMemHostRegister_v2(void *, size_t, unsigned) { return CUDA_SUCCESS; }
CUresult cuMemHostUnregister(void *) { return CUDA_SUCCESS; }

//===----------------------------------------------------------------------===//
// cuBLAS
//===----------------------------------------------------------------------===//

static cudaStream_t cublasStream = nullptr;

cublasStatus_t cublasCreate_v2(cublasHandle_t *h) {
  *h = reinterpret_cast<cublasHandle_t>(new int);
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetStream_v2(cublasHandle_t, cudaStream_t s) {
  cublasStream = s;
  return CUBLAS_STATUS_SUCCESS;
}
const char *cublasGetStatusName(cublasStatus_t s) {
  return s == CUBLAS_STATUS_INVALID_VALUE ? "CUBLAS_STATUS_INVALID_VALUE"
                                          : "CUBLAS_STATUS (fake)";
}

static cublasStatus_t checkStream() {
  return onStream(reinterpret_cast<CUstream>(cublasStream)) == CUDA_SUCCESS
             ? CUBLAS_STATUS_SUCCESS
             : CUBLAS_STATUS_EXECUTION_FAILED;
}

cublasStatus_t cublasSgemm_v2(cublasHandle_t, cublasOperation_t ta,
                              cublasOperation_t tb, int m, int n, int k,
                              const float *alpha, const float *a, int lda,
                              const float *b, int ldb, const float *beta,
                              float *c, int ldc) {
  if (m < 0 || n < 0 || k < 0 || ldc < std::max(1, m) ||
      lda < std::max(1, ta == CUBLAS_OP_N ? m : k) ||
      ldb < std::max(1, tb == CUBLAS_OP_N ? k : n))
    return CUBLAS_STATUS_INVALID_VALUE;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int l = 0; l < k; ++l)
        sum += double(ta == CUBLAS_OP_N ? a[i + l * lda] : a[l + i * lda]) *
               (tb == CUBLAS_OP_N ? b[l + j * ldb] : b[j + l * ldb]);
      float &out = c[i + j * ldc];
      out = float(*alpha * sum + (*beta == 0.0f ? 0.0 : double(*beta) * out));
    }
  return checkStream();
}
cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t h, cublasOperation_t ta,
                                         cublasOperation_t tb, int m, int n,
                                         int k, const float *alpha,
                                         const float *a, int lda, long long sa,
                                         const float *b, int ldb, long long sb,
                                         const float *beta, float *c, int ldc,
                                         long long sc, int batch) {
  for (int i = 0; i < batch; ++i)
    if (cublasStatus_t st =
            cublasSgemm_v2(h, ta, tb, m, n, k, alpha, a + i * sa, lda,
                           b + i * sb, ldb, beta, c + i * sc, ldc))
      return st;
  return checkStream();
}
// bf16 (bit patterns): exact widening; rounding to nearest even.
static float bf16ToFloat(uint16_t h) {
  uint32_t u = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
static uint16_t floatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((u >> 16) | 0x40);
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

// Only what the runtime uses: bf16 A, B, C with f32 compute and scalars
// (products summed in double here, C rounded to bf16 once through f32).
cublasStatus_t cublasGemmEx(cublasHandle_t, cublasOperation_t ta,
                            cublasOperation_t tb, int m, int n, int k,
                            const void *alpha, const void *a, cudaDataType at,
                            int lda, const void *b, cudaDataType bt, int ldb,
                            const void *beta, void *c, cudaDataType ct, int ldc,
                            cublasComputeType_t compute, cublasGemmAlgo_t) {
  if (at != CUDA_R_16BF || bt != CUDA_R_16BF || ct != CUDA_R_16BF ||
      compute != CUBLAS_COMPUTE_32F)
    return CUBLAS_STATUS_NOT_SUPPORTED;
  if (m < 0 || n < 0 || k < 0 || ldc < std::max(1, m) ||
      lda < std::max(1, ta == CUBLAS_OP_N ? m : k) ||
      ldb < std::max(1, tb == CUBLAS_OP_N ? k : n))
    return CUBLAS_STATUS_INVALID_VALUE;
  auto *pa = static_cast<const uint16_t *>(a);
  auto *pb = static_cast<const uint16_t *>(b);
  auto *pc = static_cast<uint16_t *>(c);
  float al = *static_cast<const float *>(alpha);
  float be = *static_cast<const float *>(beta);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int l = 0; l < k; ++l)
        sum += double(bf16ToFloat(ta == CUBLAS_OP_N ? pa[i + l * lda]
                                                    : pa[l + i * lda])) *
               bf16ToFloat(tb == CUBLAS_OP_N ? pb[l + j * ldb]
                                             : pb[j + l * ldb]);
      uint16_t &out = pc[i + j * ldc];
      out = floatToBf16(float(
          al * sum + (be == 0.0f ? 0.0 : double(be) * bf16ToFloat(out))));
    }
  return checkStream();
}
cublasStatus_t cublasGemmStridedBatchedEx(
    cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
    int k, const void *alpha, const void *a, cudaDataType at, int lda,
    long long sa, const void *b, cudaDataType bt, int ldb, long long sb,
    const void *beta, void *c, cudaDataType ct, int ldc, long long sc,
    int batch, cublasComputeType_t compute, cublasGemmAlgo_t algo) {
  for (int i = 0; i < batch; ++i)
    if (cublasStatus_t st = cublasGemmEx(
            h, ta, tb, m, n, k, alpha, static_cast<const uint16_t *>(a) + i * sa,
            at, lda, static_cast<const uint16_t *>(b) + i * sb, bt, ldb, beta,
            static_cast<uint16_t *>(c) + i * sc, ct, ldc, compute, algo))
      return st;
  return checkStream();
}
cublasStatus_t cublasScopy_v2(cublasHandle_t, int n, const float *x, int incx,
                              float *y, int incy) {
  for (int i = 0; i < n; ++i)
    y[i * incy] = x[i * incx];
  return checkStream();
}
cublasStatus_t cublasSscal_v2(cublasHandle_t, int n, const float *alpha,
                              float *x, int incx) {
  for (int i = 0; incx > 0 && i < n; ++i)
    x[i * incx] *= *alpha;
  return checkStream();
}

} // extern "C"
