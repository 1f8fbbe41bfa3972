//===- Loss.cpp - cross-entropy and NLL losses -> linalg.generic ----------===//
//
// Both losses share one per-target body: read the target class, skip it when
// it equals ignore_index, weight it, and take -w * log p. softmax cross
// entropy gets log p from the softmax statistics (max, sum of exp) of its
// class row, so the [N, C] log-probabilities are never materialized.
// "mean" divides by the summed weights of the non-ignored targets, as ONNX
// specifies (the count of them when there are no weights). The optional
// log_sum_exp result (the residual a backward pass reads) is max + log(sum)
// of those statistics, one value per target; the loss itself is computed
// as without it, so asking for it changes no bit of the loss.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

template <typename OpTy, bool kSoftmax>
struct LossLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ValueRange operands = adaptor.getOperands();
    Value scores = operands[0], labels = operands[1];
    Value weights = adaptor.getWeights();
    RankedTensorType st = tensorType(scores), lt = tensorType(labels);
    Type elt = st.getElementType();
    if (!isa<FloatType>(elt))
      return unsupported(op, "needs floating-point scores");
    Type acc = accumulatorType(elt);
    std::optional<int64_t> ignoreIndex = op.getIgnoreIndex();
    StringRef reductionKind = op.getReduction();

    // Iteration space: the targets [N, d1, ...].
    int64_t rank = lt.getRank();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<Value> inputs{labels};
    SmallVector<AffineMap> maps{identity};
    SmallVector<Value> results;
    if constexpr (kSoftmax) {
      auto [max, sum] = softmaxStatistics(rewriter, loc, scores, 1);
      inputs.append({max, sum});
      maps.append({identity, identity});
      if (!op.getLogSumExp().empty()) {
        Value lse = parallelGeneric(
            rewriter, loc, cast<RankedTensorType>(max.getType()), {max, sum},
            {identity, identity},
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::AddFOp::create(b, l, a[0],
                                           math::LogOp::create(b, l, a[1]));
            });
        results.push_back(
            reshapeTo(rewriter, loc, lse,
                      cast<RankedTensorType>(op.getLogSumExp()[0].getType())));
      }
    }

    // Returns {-w * log p, w} for the target at the current index.
    auto perTarget = [&](OpBuilder &b, Location l,
                         ValueRange a) -> std::pair<Value, Value> {
      Value label = a[0];
      Value ignored = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
      if (ignoreIndex)
        ignored = arith::CmpIOp::create(
            b, l, arith::CmpIPredicate::eq, label,
            scalarConstant(b, l, label.getType(), (double)*ignoreIndex));
      // An ignored label may be out of range (-100): never read with it.
      Value cls = convertScalar(
          b, l,
          arith::SelectOp::create(b, l, ignored,
                                  scalarConstant(b, l, label.getType(), 0),
                                  label),
          b.getIndexType());
      SmallVector<Value> coords{linalg::IndexOp::create(b, l, 0), cls};
      for (int64_t d = 1; d < rank; ++d)
        coords.push_back(linalg::IndexOp::create(b, l, d));
      Value logp = convertScalar(
          b, l, tensor::ExtractOp::create(b, l, scores, coords), acc);
      if (kSoftmax)
        logp = arith::SubFOp::create(
            b, l, arith::SubFOp::create(b, l, logp, a[1]),
            math::LogOp::create(b, l, a[2]));
      Value zero = scalarConstant(b, l, acc, 0.0);
      Value w = scalarConstant(b, l, acc, 1.0);
      if (weights)
        w = convertScalar(b, l, tensor::ExtractOp::create(b, l, weights, cls),
                          acc);
      w = arith::SelectOp::create(b, l, ignored, zero, w);
      Value loss = arith::NegFOp::create(b, l,
                                         arith::MulFOp::create(b, l, w, logp));
      loss = arith::SelectOp::create(b, l, ignored, zero, loss);
      return {loss, w};
    };

    auto resultType = cast<RankedTensorType>(op.getLoss().getType());
    if (reductionKind == "none") {
      Value result = parallelGeneric(
          rewriter, loc, resultType, inputs, maps,
          [&](OpBuilder &b, Location l, ValueRange a) {
            return convertScalar(b, l, perTarget(b, l, a).first, elt);
          });
      results.insert(results.begin(), result);
      rewriter.replaceOp(op, results);
      return success();
    }

    // sum / mean: one generic reducing every target into two scalars.
    auto scalarType = RankedTensorType::get({}, acc);
    Value zero = scalarConstant(rewriter, loc, acc, 0.0);
    Value lossInit = filledTensor(rewriter, loc, scalarType, zero);
    Value weightInit = filledTensor(rewriter, loc, scalarType, zero);
    AffineMap toScalar = AffineMap::get(rank, 0, {}, ctx);
    maps.append({toScalar, toScalar});
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    auto totals = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, inputs,
        ValueRange{lossInit, weightInit}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          auto [loss, w] = perTarget(b, l, a.drop_back(2));
          Value lossSum = arith::AddFOp::create(b, l, a[a.size() - 2], loss);
          Value weightSum = arith::AddFOp::create(b, l, a.back(), w);
          linalg::YieldOp::create(b, l, ValueRange{lossSum, weightSum});
        });
    bool mean = reductionKind == "mean";
    Value result = parallelGeneric(
        rewriter, loc, resultType, totals.getResults(),
        {AffineMap::get(ctx), AffineMap::get(ctx)},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value r = a[0];
          if (mean)
            r = arith::DivFOp::create(b, l, r, a[1]);
          return convertScalar(b, l, r, elt);
        });
    results.insert(results.begin(), result);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::zo::populateGraphToLinalgLossPatterns(RewritePatternSet &patterns) {
  patterns.add<LossLowering<g::SoftmaxCrossEntropyLossOp, true>,
               LossLowering<g::NegativeLogLikelihoodLossOp, false>>(
      patterns.getContext());
}
