//===- LinalgToBlas.h - matmuls on buffers as BLAS runtime calls -*- C++
//-*-===//
//
// Rewrites bufferized f32/f64/bf16 linalg.matmul and linalg.batch_matmul (plain or
// with transposed-operand indexing maps) into calls of the runtime's GEMM
// shims.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_LINALGTOBLAS_H
#define ZO_CONVERSION_LINALGTOBLAS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <memory>

namespace mlir {
class Pass;
class RewritePatternSet;
} // namespace mlir

namespace mlir::zo {

/// Names of the runtime GEMM entry points: a prefix (the CPU runtime's
/// `zo_rt_`, the CUDA runtime's `zo_cuda_`) and one of the suffixes below.
/// Each is declared with `llvm.emit_c_interface`, so the runtime defines
/// `_mlir_ciface_<name>` taking strided memref descriptors: (A, B, C, beta)
/// computing C = A B + beta C. Rank-2 operands for the plain form, rank-3 for
/// the batched form.
inline constexpr StringLiteral kCpuGemmPrefix = "zo_rt_";
inline constexpr StringLiteral kCudaGemmPrefix = "zo_cuda_";
inline constexpr StringLiteral kSgemmSuffix = "sgemm";
inline constexpr StringLiteral kSgemmBatchedSuffix = "sgemm_batched";
inline constexpr StringLiteral kDgemmSuffix = "dgemm";
inline constexpr StringLiteral kDgemmBatchedSuffix = "dgemm_batched";
/// bf16 A, B and C, f32 beta: the products accumulated in f32, C rounded
/// to bf16 once (cuBLAS: cublasGemmEx with CUDA_R_16BF, CUBLAS_COMPUTE_32F).
inline constexpr StringLiteral kBf16GemmSuffix = "gemm_bf16";
inline constexpr StringLiteral kBf16GemmBatchedSuffix = "gemm_bf16_batched";
inline constexpr StringLiteral kSgemmFn = "zo_rt_sgemm";
inline constexpr StringLiteral kSgemmBatchedFn = "zo_rt_sgemm_batched";
inline constexpr StringLiteral kDgemmFn = "zo_rt_dgemm";
inline constexpr StringLiteral kDgemmBatchedFn = "zo_rt_dgemm_batched";

/// Patterns rewriting matmul / batch_matmul on memrefs into runtime calls of
/// `<prefix><suffix>`. A preceding `linalg.fill` of zero into the same output
/// is folded away (the call then uses beta = 0); otherwise beta = 1 keeps
/// linalg's accumulation.
void populateLinalgToBlasPatterns(RewritePatternSet &patterns,
                                  StringRef prefix = kCpuGemmPrefix);

/// The `zo-linalg-to-blas` pass (on a module: it declares the shims); its
/// `prefix` option names the runtime (default zo_rt_).
std::unique_ptr<Pass> createLinalgToBlasPass(StringRef prefix = kCpuGemmPrefix);

/// Registers `zo-linalg-to-blas` with the global pass registry.
void registerLinalgToBlasPass();

} // namespace mlir::zo

#endif // ZO_CONVERSION_LINALGTOBLAS_H
