//===- CudaGemm.h - strided GEMMs as cuBLAS calls -------------*- C++ -*-===//
//
// `zo_cuda_sgemm[_batched](A, B, C, beta)` has the contract of the CPU's
// `zo_rt_sgemm` (BlasShims.cpp): C = A B + beta C on strided (possibly
// transposed) row-major views, here of device memory. This header holds the
// pure mapping onto cuBLAS arguments and the executor, generic in the
// backend so a host emulation of cuBLAS can test it without a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_CUDAGEMM_H
#define ZO_RUNTIME_CUDAGEMM_H

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

namespace mlir::zo::cuda {

/// A rows x cols matrix with element (i, j) at offset i*s0 + j*s1.
struct MatrixLayout {
  int64_t rows = 0, cols = 0, s0 = 0, s1 = 0;
};

enum class CublasOp { N, T };

/// The arguments of one column-major cublas<t>gemm call (alpha = 1):
/// C' = op(X) op(Y) + beta C' with C' m x n, `swapped` saying whether X is
/// our B (C row-major: C^T = B^T A^T) or our A (C column-major).
struct CublasGemmArgs {
  bool swapped = false;
  CublasOp opX = CublasOp::N, opY = CublasOp::N;
  int64_t m = 0, n = 0, k = 0;
  int64_t ldx = 0, ldy = 0, ldc = 0;
};

struct GemmPlan {
  enum class Kind {
    /// m or n is 0.
    Nothing,
    /// k is 0: C = beta C (zeros when beta is 0, as BLAS: C not read).
    ScaleC,
    Gemm,
  };
  Kind kind = Kind::Nothing;
  /// Operands cuBLAS cannot read in place (no unit stride in either
  /// dimension) are first packed row-major (ld = cols) into scratch; C is
  /// then computed in scratch and scattered back.
  bool packA = false, packB = false, packC = false;
  /// For Kind::Gemm, with packed operands' layouts already substituted.
  CublasGemmArgs args;
};

/// How a column-major BLAS reads `m` in place: as stored row-major (unit
/// column stride, ld = s0) or column-major (unit row stride, ld = s1); the
/// same rule as the CPU shims. False if neither.
inline bool getColumnMajorRead(const MatrixLayout &m, bool &rowMajor,
                               int64_t &ld) {
  if ((m.cols == 1 || m.s1 == 1) &&
      (m.rows == 1 || m.s0 >= std::max<int64_t>(1, m.cols))) {
    rowMajor = true;
    ld = m.rows == 1 ? std::max<int64_t>(1, m.cols) : m.s0;
    return true;
  }
  if ((m.rows == 1 || m.s0 == 1) &&
      (m.cols == 1 || m.s1 >= std::max<int64_t>(1, m.rows))) {
    rowMajor = false;
    ld = m.cols == 1 ? std::max<int64_t>(1, m.rows) : m.s1;
    return true;
  }
  return false;
}

/// Maps C = A B + beta C onto cuBLAS. Returns "" or an error message.
inline std::string planGemm(const MatrixLayout &a, const MatrixLayout &b,
                            const MatrixLayout &c, GemmPlan &plan) {
  plan = GemmPlan();
  int64_t m = c.rows, n = c.cols, k = a.cols;
  if (a.rows != m || b.rows != k || b.cols != n)
    return "GEMM operand shapes do not agree";
  for (const MatrixLayout *x : {&a, &b, &c})
    if (x->s0 < 0 || x->s1 < 0)
      return "GEMM operand with a negative stride";
  if (m == 0 || n == 0)
    return "";
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX)
    return "GEMM dimension exceeds the BLAS integer range";
  if (k == 0) {
    plan.kind = GemmPlan::Kind::ScaleC;
    return "";
  }
  plan.kind = GemmPlan::Kind::Gemm;
  bool aRow, bRow, cRow;
  int64_t lda, ldb, ldc;
  if (!getColumnMajorRead(a, aRow, lda)) {
    plan.packA = true;
    aRow = true, lda = k;
  }
  if (!getColumnMajorRead(b, bRow, ldb)) {
    plan.packB = true;
    bRow = true, ldb = n;
  }
  if (!getColumnMajorRead(c, cRow, ldc)) {
    plan.packC = true;
    cRow = true, ldc = n;
  }
  if (lda > INT_MAX || ldb > INT_MAX || ldc > INT_MAX)
    return "GEMM leading dimension exceeds the BLAS integer range";
  CublasGemmArgs &g = plan.args;
  g.k = k;
  g.ldc = ldc;
  // Read column-major, a row-major matrix is its transpose.
  if (cRow) {
    // C^T (n x m) = B^T A^T: cuBLAS's X is B, which it sees as B^T when B is
    // row-major (no op needed) and as B when column-major (op T).
    g.swapped = true;
    g.m = n, g.n = m;
    g.opX = bRow ? CublasOp::N : CublasOp::T;
    g.opY = aRow ? CublasOp::N : CublasOp::T;
    g.ldx = ldb, g.ldy = lda;
  } else {
    g.swapped = false;
    g.m = m, g.n = n;
    g.opX = aRow ? CublasOp::T : CublasOp::N;
    g.opY = bRow ? CublasOp::T : CublasOp::N;
    g.ldx = lda, g.ldy = ldb;
  }
  return "";
}

/// Runs `plan` for one matrix triple with `backend`, which provides (all
/// ordered on one stream, pointers to device memory; S, the scalar type, is
/// T, or f32 for bf16 T accumulated in f32):
///   gemm(CublasOp, CublasOp, m, n, k, const T *x, ldx, const T *y, ldy,
///        S beta, T *c, ldc)          alpha = 1, column-major
///   copy(n, const T *x, incx, T *y, incy)
///   scal(n, S alpha, T *x, incx)
///   zero2D(T *p, pitch, width, height)  p[j*pitch + i] = 0, i < width
///   T *scratch(count); void release(T *)
/// (the cuBLAS semantics: BLAS copy/scal, beta = 0 means C is not read).
template <typename T, typename Backend, typename S>
void runGemm(Backend &backend, const GemmPlan &plan, const T *a,
             const MatrixLayout &la, const T *b, const MatrixLayout &lb, T *c,
             const MatrixLayout &lc, S beta) {
  if (plan.kind == GemmPlan::Kind::Nothing)
    return;
  if (plan.kind == GemmPlan::Kind::ScaleC) {
    bool row;
    int64_t ld;
    if (beta == S(0) && getColumnMajorRead(lc, row, ld)) {
      if (row)
        backend.zero2D(c, ld, lc.cols, lc.rows);
      else
        backend.zero2D(c, ld, lc.rows, lc.cols);
      return;
    }
    // Row by row; a zero fill is a width-1 2-D fill down the row, so NaNs in
    // C do not survive beta = 0 (scal would keep them).
    for (int64_t i = 0; i < lc.rows; ++i) {
      if (beta != S(0))
        backend.scal(lc.cols, beta, c + i * lc.s0, lc.s1);
      else if (lc.s1 == 0)
        backend.zero2D(c + i * lc.s0, 1, 1, 1);
      else
        backend.zero2D(c + i * lc.s0, lc.s1, 1, lc.cols);
    }
    return;
  }
  // Row by row with BLAS copy: strided gathers need no kernel of our own.
  auto pack = [&](const T *src, const MatrixLayout &l) {
    T *dst = backend.scratch(l.rows * l.cols);
    for (int64_t i = 0; i < l.rows; ++i)
      backend.copy(l.cols, src + i * l.s0, l.s1, dst + i * l.cols, 1);
    return dst;
  };
  T *aPacked = plan.packA ? pack(a, la) : nullptr;
  T *bPacked = plan.packB ? pack(b, lb) : nullptr;
  T *cPacked = nullptr;
  if (plan.packC)
    cPacked = beta == S(0) ? backend.scratch(lc.rows * lc.cols) : pack(c, lc);
  const T *aUse = aPacked ? aPacked : a, *bUse = bPacked ? bPacked : b;
  const CublasGemmArgs &g = plan.args;
  backend.gemm(g.opX, g.opY, g.m, g.n, g.k, g.swapped ? bUse : aUse, g.ldx,
               g.swapped ? aUse : bUse, g.ldy, beta, cPacked ? cPacked : c,
               g.ldc);
  if (cPacked)
    for (int64_t i = 0; i < lc.rows; ++i)
      backend.copy(lc.cols, cPacked + i * lc.cols, 1, c + i * lc.s0, lc.s1);
  for (T *p : {aPacked, bPacked, cPacked})
    if (p)
      backend.release(p);
}

/// Batched: one strided-batched call when nothing needs packing (backend:
/// gemmStridedBatched(..., strideX, strideY, strideC, batch) after the gemm
/// arguments), else one runGemm per batch. `batchStrides` are A, B, C's.
template <typename T, typename Backend, typename S>
void runBatchedGemm(Backend &backend, const GemmPlan &plan, int64_t batch,
                    const int64_t batchStrides[3], const T *a,
                    const MatrixLayout &la, const T *b, const MatrixLayout &lb,
                    T *c, const MatrixLayout &lc, S beta) {
  if (batch == 0 || plan.kind == GemmPlan::Kind::Nothing)
    return;
  bool oneCall = plan.kind == GemmPlan::Kind::Gemm && !plan.packA &&
                 !plan.packB && !plan.packC && batch <= INT_MAX &&
                 (batch == 1 || batchStrides[2] != 0);
  if (oneCall) {
    const CublasGemmArgs &g = plan.args;
    backend.gemmStridedBatched(g.opX, g.opY, g.m, g.n, g.k, g.swapped ? b : a,
                               g.ldx, g.swapped ? a : b, g.ldy, beta, c, g.ldc,
                               batchStrides[g.swapped ? 1 : 0],
                               batchStrides[g.swapped ? 0 : 1], batchStrides[2],
                               batch);
    return;
  }
  for (int64_t i = 0; i < batch; ++i)
    runGemm<T>(backend, plan, a + i * batchStrides[0], la,
               b + i * batchStrides[1], lb, c + i * batchStrides[2], lc, beta);
}

} // namespace mlir::zo::cuda

#endif // ZO_RUNTIME_CUDAGEMM_H
