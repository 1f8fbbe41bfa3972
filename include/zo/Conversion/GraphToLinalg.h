//===- GraphToLinalg.h - graph -> linalg conversion patterns ----*- C++ -*-===//
//
// The patterns that lower graph ops to linalg on tensors, one set per op
// family, so other pipelines can reuse them without the pass.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_GRAPHTOLINALG_H
#define ZO_CONVERSION_GRAPHTOLINALG_H

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
namespace zo {

/// Unary, binary (numpy broadcasting), cast, where, comparisons, gelu, silu,
/// pow.
void populateGraphToLinalgElementwisePatterns(RewritePatternSet &patterns);

/// matmul (batch broadcasting, 1-D promotion) and gemm.
void populateGraphToLinalgMatmulPatterns(RewritePatternSet &patterns);

/// softmax, log_softmax, layer_norm, rms_norm.
void populateGraphToLinalgNormalizationPatterns(RewritePatternSet &patterns);

/// reduce_{sum,mean,max,min,prod}, cumsum.
void populateGraphToLinalgReductionPatterns(RewritePatternSet &patterns);

/// Constants, shape ops, views, transpose, expand, gather, concat, slice,
/// split, trilu, identity, dropout.
void populateGraphToLinalgDataMovementPatterns(RewritePatternSet &patterns);

/// softmax_cross_entropy_loss, nll_loss.
void populateGraphToLinalgLossPatterns(RewritePatternSet &patterns);

/// Every family above.
void populateGraphToLinalgConversionPatterns(RewritePatternSet &patterns);

/// Marks graph illegal and the dialects the patterns produce legal.
void configureGraphToLinalgTarget(ConversionTarget &target);

} // namespace zo
} // namespace mlir

#endif // ZO_CONVERSION_GRAPHTOLINALG_H
