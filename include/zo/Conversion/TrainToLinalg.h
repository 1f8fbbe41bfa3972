//===- TrainToLinalg.h - train noise ops -> linalg patterns -----*- C++ -*-===//
//
// The patterns that lower the `train` dialect's counter-based noise to
// linalg on tensors (Philox4x32-10 + Box-Muller as arith/math ops), so other
// pipelines can reuse them without the pass.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_TRAINTOLINALG_H
#define ZO_CONVERSION_TRAINTOLINALG_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
namespace zo {

/// `train.normal` and `train.add_noise` to one `linalg.generic` each. With
/// `testEmitWords`, `train.normal` yields each element's raw Philox word
/// bitcast to f32 (for exact tests against python/zo/philox.py).
void populateTrainToLinalgPatterns(RewritePatternSet &patterns,
                                   bool testEmitWords = false);

/// Unit attribute on the op of a noise loop's body that reads the element's
/// Philox lane (an `arith.index_castui` of the lane's `linalg.index`). The
/// four lanes of a block share one Philox call, so the lane loop must stay
/// innermost for the call to be loop-invariant there; zo-fuse-elementwise
/// finds the lane's loop through it after fusing a consumer (whose loop order
/// the fused loop takes) and moves that loop back inside.
inline constexpr llvm::StringLiteral kNoiseLaneAttrName = "zo.noise_lane";

/// Marks train illegal and the dialects the patterns produce legal.
void configureTrainToLinalgTarget(ConversionTarget &target);

} // namespace zo
} // namespace mlir

#endif // ZO_CONVERSION_TRAINTOLINALG_H
