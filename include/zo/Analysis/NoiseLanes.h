//===- NoiseLanes.h - loops whose noise lane is a dimension --*- C++ -*-===//
//
// Finds the parallel loops (the CUDA pipeline's kernels) whose body draws
// Philox noise with the lane index as one of the loop's own dimensions, and
// the part of the body that does not depend on that lane: the Philox call and
// its four normals, computable once per block of four elements.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_ANALYSIS_NOISELANES_H
#define ZO_ANALYSIS_NOISELANES_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace mlir::zo {

/// A parallel loop whose noise lane (the operand of the `zo.noise_lane`
/// `arith.index_castui` the noise generator emits) is its dimension
/// `laneDim`, with `lanes` iterations (a Philox block's four words).
struct NoiseLaneLoop {
  unsigned laneDim = 0;
  int64_t lanes = 0;
  /// Top-level ops of the body that do not depend on the lane and may run
  /// once for all lanes: pure ops and loads of buffers nothing in the body
  /// writes, whose operands are lane-independent too. They include Philox's
  /// multiplies (at least one: else the loop is not a NoiseLaneLoop).
  llvm::DenseSet<Operation *> laneInvariant;
};

/// `loop`'s noise lane, when every lane cast in its body that reads one of
/// its induction variables reads the same one, that dimension runs 0..3 with
/// step 1, the loop has another dimension, and the lane-invariant part of
/// the body holds a Philox multiply.
std::optional<NoiseLaneLoop> findNoiseLaneLoop(scf::ParallelOp loop);

} // namespace mlir::zo

#endif // ZO_ANALYSIS_NOISELANES_H
