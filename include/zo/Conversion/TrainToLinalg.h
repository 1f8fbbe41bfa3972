//===- TrainToLinalg.h - train noise ops -> linalg patterns -----*- C++ -*-===//
//
// The patterns that lower the `train` dialect's counter-based noise to
// linalg on tensors (Philox4x32-10 + Box-Muller as arith/math ops), so other
// pipelines can reuse them without the pass.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_TRAINTOLINALG_H
#define ZO_CONVERSION_TRAINTOLINALG_H

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
namespace zo {

/// `train.normal` and `train.add_noise` to one `linalg.generic` each. With
/// `testEmitWords`, `train.normal` yields each element's raw Philox word
/// bitcast to f32 (for exact tests against python/zo/philox.py).
void populateTrainToLinalgPatterns(RewritePatternSet &patterns,
                                   bool testEmitWords = false);

/// Marks train illegal and the dialects the patterns produce legal.
void configureTrainToLinalgTarget(ConversionTarget &target);

} // namespace zo
} // namespace mlir

#endif // ZO_CONVERSION_TRAINTOLINALG_H
