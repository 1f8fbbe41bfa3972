//===- Pipelines.h - the named stages of zo-opt -----------------*- C++ -*-===//
//
// The compilation stages a user can stop at (`--zo-compile-to=<stage>`), each
// a pass pipeline that ends in the contract its stage promises.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_PIPELINES_PIPELINES_H
#define ZO_PIPELINES_PIPELINES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

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
/// `addTrainPasses`, if given, adds a training rewrite (e.g.
/// `zo-zeroth-order`, which adds @train_step) after the graph stage; with
/// Stage::Graph compilation stops right after it.
void buildCompilePipeline(
    OpPassManager &pm, Stage stage,
    function_ref<void(OpPassManager &)> addTrainPasses = nullptr);

/// Registers `zo-graph-pipeline`, `zo-linalg-pipeline` and
/// `zo-cpu-pipeline` (the three stages as named pipelines), and
/// `zo-train-pipeline{to=<stage> step=<passes>}`: the same stages with the
/// training rewrite `step` (a textual pass pipeline, default
/// `zo-zeroth-order`) between graph and linalg, e.g.
/// `zo-train-pipeline{to=llvm step=zo-zeroth-order{eps=1e-3 queries=2}}`.
void registerCompilePipelines();

} // namespace mlir::zo

#endif // ZO_PIPELINES_PIPELINES_H
