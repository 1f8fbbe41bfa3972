//===- GraphCanonicalize.cpp - graph dialect: canonicalization ------------===//
//
// Flatten, Squeeze and Unsqueeze are only views of a reshape once shapes are
// static; canonicalization turns them into graph.reshape so that later stages
// handle one op.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::zo::graph;

namespace {
template <typename OpT>
struct ToReshape : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, type, op.getInput());
    return success();
  }
};
} // namespace

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ToReshape<FlattenOp>>(context);
}
void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ToReshape<SqueezeOp>>(context);
}
void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ToReshape<UnsqueezeOp>>(context);
}
