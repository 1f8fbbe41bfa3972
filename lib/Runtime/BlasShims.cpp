//===- BlasShims.cpp - GEMM entry points called by compiled code ----------===//
//
// zo-linalg-to-blas emits calls `zo_rt_{s,d}gemm[_batched](A, B, C, beta)`
// (and zo_rt_gemm_bf16[_batched]: bf16 operands, f32 beta and accumulation)
// computing C = A B + beta C on strided memref descriptors. A view whose
// columns are contiguous is passed as is, one whose rows are contiguous as
// CblasTrans; anything else is packed first. C is packed only if it must be.
//
//===----------------------------------------------------------------------===//

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include "zo/Runtime/Blas.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

template <typename T> struct Blas;
template <> struct Blas<float> {
  static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
                   const float *a, int lda, const float *b, int ldb, float beta,
                   float *c, int ldc) {
    mlir::zo::rt::getBlasLibrary().sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c,
                ldc);
  }
};
template <> struct Blas<double> {
  static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
                   const double *a, int lda, const double *b, int ldb,
                   double beta, double *c, int ldc) {
    mlir::zo::rt::getBlasLibrary().dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c,
                ldc);
  }
};

/// A rows x cols matrix at `ptr` with element (i, j) at ptr[i*s0 + j*s1].
template <typename T> struct Matrix {
  T *ptr;
  int64_t rows, cols, s0, s1;
};

/// How BLAS can read `m` in place: row-major (NoTrans, ld = s0) or
/// column-major (Trans, ld = s1). False if neither (then we pack).
template <typename T>
bool getBlasLayout(const Matrix<T> &m, CBLAS_TRANSPOSE &trans, int64_t &ld) {
  if ((m.cols == 1 || m.s1 == 1) &&
      (m.rows == 1 || m.s0 >= std::max<int64_t>(1, m.cols))) {
    trans = CblasNoTrans;
    ld = m.rows == 1 ? std::max<int64_t>(1, m.cols) : m.s0;
    return true;
  }
  if ((m.rows == 1 || m.s0 == 1) &&
      (m.cols == 1 || m.s1 >= std::max<int64_t>(1, m.rows))) {
    trans = CblasTrans;
    ld = m.cols == 1 ? std::max<int64_t>(1, m.rows) : m.s1;
    return true;
  }
  return false;
}

template <typename T> std::vector<T> pack(const Matrix<T> &m) {
  std::vector<T> out(m.rows * m.cols);
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j)
      out[i * m.cols + j] = m.ptr[i * m.s0 + j * m.s1];
  return out;
}

[[noreturn]] void fatal(const char *msg) {
  std::fprintf(stderr, "zo runtime: %s\n", msg);
  std::abort();
}

/// C = A B + beta C for one matrix triple.
template <typename T> void gemm(Matrix<T> a, Matrix<T> b, Matrix<T> c, T beta) {
  int64_t m = c.rows, n = c.cols, k = a.cols;
  if (a.rows != m || b.rows != k || b.cols != n)
    fatal("GEMM operand shapes do not agree");
  if (m == 0 || n == 0)
    return;
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX)
    fatal("GEMM dimension exceeds the BLAS integer range");
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        T &x = c.ptr[i * c.s0 + j * c.s1];
        x = beta == T(0) ? T(0) : beta * x;
      }
    return;
  }

  CBLAS_TRANSPOSE ta, tb, tc;
  int64_t lda, ldb, ldc;
  std::vector<T> aPacked, bPacked, cPacked;
  if (!getBlasLayout(a, ta, lda)) {
    aPacked = pack(a);
    a = {aPacked.data(), m, k, k, 1};
    ta = CblasNoTrans, lda = k;
  }
  if (!getBlasLayout(b, tb, ldb)) {
    bPacked = pack(b);
    b = {bPacked.data(), k, n, n, 1};
    tb = CblasNoTrans, ldb = n;
  }
  bool cInPlace = getBlasLayout(c, tc, ldc) && tc == CblasNoTrans;
  T *cPtr = c.ptr;
  if (!cInPlace) {
    cPacked = beta == T(0) ? std::vector<T>(m * n) : pack(c);
    cPtr = cPacked.data();
    ldc = n;
  }
  if (lda > INT_MAX || ldb > INT_MAX || ldc > INT_MAX)
    fatal("GEMM leading dimension exceeds the BLAS integer range");
  Blas<T>::gemm(ta, tb, m, n, k, a.ptr, lda, b.ptr, ldb, beta, cPtr, ldc);
  if (!cInPlace)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        c.ptr[i * c.s0 + j * c.s1] = cPacked[i * n + j];
}

template <typename T> Matrix<T> view2d(StridedMemRefType<T, 2> *d) {
  return {d->data + d->offset, d->sizes[0], d->sizes[1], d->strides[0],
          d->strides[1]};
}

template <typename T> Matrix<T> view3d(StridedMemRefType<T, 3> *d, int64_t b) {
  return {d->data + d->offset + b * d->strides[0], d->sizes[1], d->sizes[2],
          d->strides[1], d->strides[2]};
}

template <typename T>
void batchedGemm(StridedMemRefType<T, 3> *a, StridedMemRefType<T, 3> *b,
                 StridedMemRefType<T, 3> *c, T beta) {
  int64_t batch = c->sizes[0];
  if (a->sizes[0] != batch || b->sizes[0] != batch)
    fatal("batched GEMM batch sizes do not agree");
  for (int64_t i = 0; i < batch; ++i)
    gemm(view3d(a, i), view3d(b, i), view3d(c, i), beta);
}

/// bf16 bit patterns <-> f32: widening is exact; narrowing rounds to
/// nearest even, as arith.truncf does (NaN stays a quiet NaN).
float bf16ToFloat(uint16_t h) {
  uint32_t u = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

uint16_t floatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((u >> 16) | 0x40);
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

/// bf16 C = bf16(A B + beta C) with A, B, C widened to f32 and the products
/// accumulated by sgemm: one rounding per element of C, as cublasGemmEx
/// with CUDA_R_16BF operands and CUBLAS_COMPUTE_32F.
void gemmBf16(Matrix<uint16_t> a, Matrix<uint16_t> b, Matrix<uint16_t> c,
              float beta) {
  auto widen = [](const Matrix<uint16_t> &m, std::vector<float> &store) {
    store.resize(m.rows * m.cols);
    for (int64_t i = 0; i < m.rows; ++i)
      for (int64_t j = 0; j < m.cols; ++j)
        store[i * m.cols + j] = bf16ToFloat(m.ptr[i * m.s0 + j * m.s1]);
    return Matrix<float>{store.data(), m.rows, m.cols, m.cols, 1};
  };
  std::vector<float> af, bf, cf;
  Matrix<float> cw = widen(c, cf);
  gemm(widen(a, af), widen(b, bf), cw, beta);
  for (int64_t i = 0; i < c.rows; ++i)
    for (int64_t j = 0; j < c.cols; ++j)
      c.ptr[i * c.s0 + j * c.s1] = floatToBf16(cf[i * c.cols + j]);
}

} // namespace

extern "C" {
void _mlir_ciface_zo_rt_gemm_bf16(StridedMemRefType<uint16_t, 2> *a,
                                  StridedMemRefType<uint16_t, 2> *b,
                                  StridedMemRefType<uint16_t, 2> *c,
                                  float beta) {
  gemmBf16(view2d(a), view2d(b), view2d(c), beta);
}
void _mlir_ciface_zo_rt_gemm_bf16_batched(StridedMemRefType<uint16_t, 3> *a,
                                          StridedMemRefType<uint16_t, 3> *b,
                                          StridedMemRefType<uint16_t, 3> *c,
                                          float beta) {
  int64_t batch = c->sizes[0];
  if (a->sizes[0] != batch || b->sizes[0] != batch)
    fatal("batched GEMM batch sizes do not agree");
  for (int64_t i = 0; i < batch; ++i)
    gemmBf16(view3d(a, i), view3d(b, i), view3d(c, i), beta);
}
void _mlir_ciface_zo_rt_sgemm(StridedMemRefType<float, 2> *a,
                              StridedMemRefType<float, 2> *b,
                              StridedMemRefType<float, 2> *c, float beta) {
  gemm(view2d(a), view2d(b), view2d(c), beta);
}
void _mlir_ciface_zo_rt_dgemm(StridedMemRefType<double, 2> *a,
                              StridedMemRefType<double, 2> *b,
                              StridedMemRefType<double, 2> *c, double beta) {
  gemm(view2d(a), view2d(b), view2d(c), beta);
}
void _mlir_ciface_zo_rt_sgemm_batched(StridedMemRefType<float, 3> *a,
                                      StridedMemRefType<float, 3> *b,
                                      StridedMemRefType<float, 3> *c,
                                      float beta) {
  batchedGemm(a, b, c, beta);
}
void _mlir_ciface_zo_rt_dgemm_batched(StridedMemRefType<double, 3> *a,
                                      StridedMemRefType<double, 3> *b,
                                      StridedMemRefType<double, 3> *c,
                                      double beta) {
  batchedGemm(a, b, c, beta);
}
}
