//===- Pipelines.h - the named stages of zo-opt -----------------*- C++ -*-===//
//
// The compilation stages a user can stop at (`--zo-compile-to=<stage>`), each
// a pass pipeline that ends in the contract its stage promises.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_PIPELINES_PIPELINES_H
#define ZO_PIPELINES_PIPELINES_H

#include "mlir/Support/LLVM.h"

#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::zo {

/// Where compilation stops; each stage includes the ones before it.
enum class Stage {
  /// Imported graph, specialized: folded, composites recognized, contract
  /// verified.
  Graph,
  /// linalg/tensor/arith/math on tensors.
  Linalg,
  /// The LLVM dialect for the CPU (BLAS calls, accounted allocations).
  Llvm,
};

/// Parses "graph", "linalg" or "llvm".
std::optional<Stage> parseStage(StringRef name);

/// Appends the passes that take an imported module to `stage` (on the CPU).
void buildCompilePipeline(OpPassManager &pm, Stage stage);

/// Registers `zo-graph-pipeline`, `zo-linalg-pipeline` and
/// `zo-cpu-pipeline` (the three stages as named pipelines).
void registerCompilePipelines();

} // namespace mlir::zo

#endif // ZO_PIPELINES_PIPELINES_H
