//===- Gemm.cpp - zo_cuda_{sgemm,gemm_bf16}[_batched]: cuBLAS on our stream ===//
//
// The mapping is in zo/Runtime/CudaGemm.h (tested on the CPU against a host
// emulation of cuBLAS); this file binds it to cuBLAS. cuBLAS runs in its
// default math mode: FP32 GEMMs are not done in TF32, so results match the
// CPU path to FP32 rounding. bf16 GEMMs are cublasGemmEx /
// cublasGemmStridedBatchedEx with CUDA_R_16BF A, B and C and
// CUBLAS_COMPUTE_32F: products accumulated in f32 (alpha, beta f32), C
// rounded to bf16 once.
//
//===----------------------------------------------------------------------===//

#include "Context.h"

#include "zo/Runtime/CudaGemm.h"
#include "zo/Runtime/CudaRuntime.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include <type_traits>

using namespace mlir::zo;
using namespace mlir::zo::cuda;
using namespace mlir::zo::cuda::detail;

namespace {

cublasOperation_t toCublas(CublasOp op) {
  return op == CublasOp::N ? CUBLAS_OP_N : CUBLAS_OP_T;
}

/// Device scratch and zero-fill for the GEMM driver, by element type (f32
/// or bf16's 16-bit patterns).
template <typename T> struct DeviceBuffers {
  static_assert(sizeof(T) == 4 || sizeof(T) == 2);
  void zero2D(T *p, int64_t pitch, int64_t width, int64_t height) {
    Context &c = getContext();
    auto ptr = reinterpret_cast<CUdeviceptr>(p);
    if constexpr (sizeof(T) == 4)
      check(c.cu.cuMemsetD2D32Async(ptr, pitch * sizeof(T), 0, width, height,
                                    c.stream),
            "cuMemsetD2D32Async");
    else
      check(c.cu.cuMemsetD2D16Async(ptr, pitch * sizeof(T), 0, width, height,
                                    c.stream),
            "cuMemsetD2D16Async");
  }
  T *scratch(int64_t count) {
    return static_cast<T *>(cuda::allocate(count * sizeof(T)));
  }
  void release(T *p) { cuda::release(p); }
};

struct CublasBackend : DeviceBuffers<float> {
  const CublasApi &api;
  cublasHandle_t handle;

  void gemm(CublasOp opX, CublasOp opY, int64_t m, int64_t n, int64_t k,
            const float *x, int64_t ldx, const float *y, int64_t ldy,
            float beta, float *c, int64_t ldc) {
    const float one = 1.0f;
    check(api.cublasSgemm_v2(handle, toCublas(opX), toCublas(opY), m, n, k,
                             &one, x, ldx, y, ldy, &beta, c, ldc),
          "cublasSgemm");
  }
  void gemmStridedBatched(CublasOp opX, CublasOp opY, int64_t m, int64_t n,
                          int64_t k, const float *x, int64_t ldx,
                          const float *y, int64_t ldy, float beta, float *c,
                          int64_t ldc, int64_t strideX, int64_t strideY,
                          int64_t strideC, int64_t batch) {
    const float one = 1.0f;
    check(api.cublasSgemmStridedBatched(handle, toCublas(opX), toCublas(opY), m,
                                        n, k, &one, x, ldx, strideX, y, ldy,
                                        strideY, &beta, c, ldc, strideC, batch),
          "cublasSgemmStridedBatched");
  }
  void copy(int64_t n, const float *x, int64_t incx, float *y, int64_t incy) {
    check(api.cublasScopy_v2(handle, n, x, incx, y, incy), "cublasScopy");
  }
  void scal(int64_t n, float alpha, float *x, int64_t incx) {
    check(api.cublasSscal_v2(handle, n, &alpha, x, incx), "cublasSscal");
  }
};

CublasBackend getBackend() {
  cublasHandle_t handle;
  const CublasApi &api = getCublas(handle);
  return {{}, api, handle};
}

/// bf16 operands (as their bit patterns), f32 scalars and accumulation.
/// cuBLAS has no bf16 copy or scal: an operand that would need packing is
/// refused before anything runs (checkBf16Plan), and k = 0 with a beta
/// other than 0 or 1 is too.
struct Bf16Backend : DeviceBuffers<uint16_t> {
  const CublasApi &api;
  cublasHandle_t handle;

  void gemm(CublasOp opX, CublasOp opY, int64_t m, int64_t n, int64_t k,
            const uint16_t *x, int64_t ldx, const uint16_t *y, int64_t ldy,
            float beta, uint16_t *c, int64_t ldc) {
    const float one = 1.0f;
    check(api.cublasGemmEx(handle, toCublas(opX), toCublas(opY), m, n, k, &one,
                           x, CUDA_R_16BF, ldx, y, CUDA_R_16BF, ldy, &beta, c,
                           CUDA_R_16BF, ldc, CUBLAS_COMPUTE_32F,
                           CUBLAS_GEMM_DEFAULT),
          "cublasGemmEx");
  }
  void gemmStridedBatched(CublasOp opX, CublasOp opY, int64_t m, int64_t n,
                          int64_t k, const uint16_t *x, int64_t ldx,
                          const uint16_t *y, int64_t ldy, float beta,
                          uint16_t *c, int64_t ldc, int64_t strideX,
                          int64_t strideY, int64_t strideC, int64_t batch) {
    const float one = 1.0f;
    check(api.cublasGemmStridedBatchedEx(
              handle, toCublas(opX), toCublas(opY), m, n, k, &one, x,
              CUDA_R_16BF, ldx, strideX, y, CUDA_R_16BF, ldy, strideY, &beta,
              c, CUDA_R_16BF, ldc, strideC, batch, CUBLAS_COMPUTE_32F,
              CUBLAS_GEMM_DEFAULT),
          "cublasGemmStridedBatchedEx");
  }
  void copy(int64_t, const uint16_t *, int64_t, uint16_t *, int64_t) {
    fatal("zo-cuda: internal error: bf16 GEMM operand packing");
  }
  void scal(int64_t, float alpha, uint16_t *, int64_t) {
    if (alpha != 1.0f)
      fatal("zo-cuda: bf16 GEMM with k = 0 and beta other than 0 or 1");
  }
};

Bf16Backend getBf16Backend() {
  cublasHandle_t handle;
  const CublasApi &api = getCublas(handle);
  return {{}, api, handle};
}

/// cuBLAS reads every bf16 operand in place or not at all: our lowering
/// passes contiguous buffers and transposed views of them, which always
/// have a unit stride.
void checkBf16Plan(const GemmPlan &p) {
  if (p.packA || p.packB || p.packC)
    fatal("zo-cuda: bf16 GEMM operand with no unit stride (cuBLAS has no "
          "bf16 copy to pack it)");
}

template <typename T> MatrixLayout layout2d(StridedMemRefType<T, 2> *d) {
  return {d->sizes[0], d->sizes[1], d->strides[0], d->strides[1]};
}

template <typename T> MatrixLayout layout3d(StridedMemRefType<T, 3> *d) {
  return {d->sizes[1], d->sizes[2], d->strides[1], d->strides[2]};
}

GemmPlan plan(const MatrixLayout &a, const MatrixLayout &b,
              const MatrixLayout &c) {
  GemmPlan p;
  if (std::string err = planGemm(a, b, c, p); !err.empty())
    fatal("zo-cuda: " + err);
  return p;
}

/// A batched GEMM entry point: batch sizes checked, the plan made (bf16
/// operands must be usable in place), then one strided-batched call or a
/// loop over the batch (runBatchedGemm).
template <typename T, typename Backend>
void batchedGemm(StridedMemRefType<T, 3> *a, StridedMemRefType<T, 3> *b,
                 StridedMemRefType<T, 3> *c, float beta,
                 Backend (*getBackendFn)()) {
  int64_t batch = c->sizes[0];
  if (a->sizes[0] != batch || b->sizes[0] != batch)
    fatal("zo-cuda: batched GEMM batch sizes do not agree");
  MatrixLayout la = layout3d(a), lb = layout3d(b), lc = layout3d(c);
  GemmPlan p = plan(la, lb, lc);
  if (p.kind == GemmPlan::Kind::Nothing || batch == 0)
    return;
  if constexpr (std::is_same_v<T, uint16_t>)
    checkBf16Plan(p);
  Backend backend = getBackendFn();
  int64_t strides[3] = {a->strides[0], b->strides[0], c->strides[0]};
  runBatchedGemm<T>(backend, p, batch, strides, a->data + a->offset, la,
                    b->data + b->offset, lb, c->data + c->offset, lc, beta);
}

} // namespace

extern "C" {

void _mlir_ciface_zo_cuda_sgemm(StridedMemRefType<float, 2> *a,
                                StridedMemRefType<float, 2> *b,
                                StridedMemRefType<float, 2> *c, float beta) {
  MatrixLayout la = layout2d(a), lb = layout2d(b), lc = layout2d(c);
  GemmPlan p = plan(la, lb, lc);
  if (p.kind == GemmPlan::Kind::Nothing)
    return;
  CublasBackend backend = getBackend();
  runGemm<float>(backend, p, a->data + a->offset, la, b->data + b->offset, lb,
                 c->data + c->offset, lc, beta);
}

void _mlir_ciface_zo_cuda_sgemm_batched(StridedMemRefType<float, 3> *a,
                                        StridedMemRefType<float, 3> *b,
                                        StridedMemRefType<float, 3> *c,
                                        float beta) {
  batchedGemm(a, b, c, beta, getBackend);
}

void _mlir_ciface_zo_cuda_gemm_bf16(StridedMemRefType<uint16_t, 2> *a,
                                    StridedMemRefType<uint16_t, 2> *b,
                                    StridedMemRefType<uint16_t, 2> *c,
                                    float beta) {
  MatrixLayout la = layout2d(a), lb = layout2d(b), lc = layout2d(c);
  GemmPlan p = plan(la, lb, lc);
  if (p.kind == GemmPlan::Kind::Nothing)
    return;
  checkBf16Plan(p);
  Bf16Backend backend = getBf16Backend();
  runGemm<uint16_t>(backend, p, a->data + a->offset, la, b->data + b->offset,
                    lb, c->data + c->offset, lc, beta);
}

void _mlir_ciface_zo_cuda_gemm_bf16_batched(StridedMemRefType<uint16_t, 3> *a,
                                            StridedMemRefType<uint16_t, 3> *b,
                                            StridedMemRefType<uint16_t, 3> *c,
                                            float beta) {
  batchedGemm(a, b, c, beta, getBf16Backend);
}

} // extern "C"
