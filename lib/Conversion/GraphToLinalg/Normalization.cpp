//===- Normalization.cpp - softmax and norms -> linalg.generic ------------===//
//
// softmax, log_softmax, layer_norm and rms_norm as short sequences of
// reductions and one parallel generic. Statistics accumulate in f32 when the
// element type is narrower; softmax subtracts the maximum first and layer
// norm computes the variance around the mean (two passes), so neither
// overflows nor cancels catastrophically.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

/// The iteration-space bookkeeping shared by the patterns of this file.
struct AxisSpace {
  RankedTensorType type;
  Type acc;
  SmallVector<bool> reduced, keep;
  AffineMap identity, stats;
  int64_t count = 1;

  AxisSpace(RankedTensorType type, int64_t firstAxis, int64_t lastAxis)
      : type(type), acc(accumulatorType(type.getElementType())) {
    MLIRContext *ctx = type.getContext();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      bool r = d >= firstAxis && d <= lastAxis;
      reduced.push_back(r);
      keep.push_back(!r);
      if (r)
        count *= type.getDimSize(d);
    }
    identity = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
    stats = projectionMap(type.getRank(), keep, ctx);
  }

  Value toAcc(OpBuilder &b, Location loc, Value v) const {
    return convertScalar(b, loc, v, acc);
  }
  Value fromAcc(OpBuilder &b, Location loc, Value v) const {
    return convertScalar(b, loc, v, type.getElementType());
  }
};

/// max over the axis, then sum(exp(x - max)).
std::pair<Value, Value> softmaxStats(OpBuilder &b, Location loc, Value x,
                                     const AxisSpace &s) {
  ArrayRef<int64_t> shape = s.type.getShape();
  Value max = reduction(
      b, loc, shape, s.reduced, x, {s.identity}, lowestValue(b, loc, s.acc),
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::MaximumFOp::create(nb, l, s.toAcc(nb, l, a[0]), a[1]);
      });
  Value sum = reduction(
      b, loc, shape, s.reduced, {x, max}, {s.identity, s.stats},
      scalarConstant(b, loc, s.acc, 0.0),
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value shifted =
            arith::SubFOp::create(nb, l, s.toAcc(nb, l, a[0]), a[1]);
        Value e = math::ExpOp::create(nb, l, shifted);
        return arith::AddFOp::create(nb, l, a[2], e);
      });
  return {max, sum};
}

template <typename OpTy, bool kLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return unsupported(op, "needs a floating-point element type");
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    AxisSpace s(type, axis, axis);
    Value x = adaptor.getInput();
    auto [max, sum] = softmaxStats(rewriter, loc, x, s);
    Value result = parallelGeneric(
        rewriter, loc, type, {x, max, sum}, {s.identity, s.stats, s.stats},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value shifted = arith::SubFOp::create(b, l, s.toAcc(b, l, a[0]), a[1]);
          Value r;
          if (kLog)
            r = arith::SubFOp::create(b, l, shifted,
                                      math::LogOp::create(b, l, a[2]));
          else
            r = arith::DivFOp::create(b, l, math::ExpOp::create(b, l, shifted),
                                      a[2]);
          return s.fromAcc(b, l, r);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Shared by layer_norm (centered, with bias) and rms_norm.
template <typename OpTy, bool kCentered>
struct NormLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return unsupported(op, "needs a floating-point element type");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    AxisSpace s(type, op.getAxis(), type.getRank() - 1);
    ArrayRef<int64_t> shape = type.getShape();
    Value x = adaptor.getInput();
    Value zero = scalarConstant(rewriter, loc, s.acc, 0.0);
    Value count = scalarConstant(rewriter, loc, s.acc, (double)s.count);
    Value eps = scalarConstant(rewriter, loc, s.acc,
                               op.getEpsilon().convertToDouble());

    // Layer norm: sum(x), then sum((x - mean)^2). RMS norm: sum(x^2).
    Value mean;
    SmallVector<Value> inputs{x};
    SmallVector<AffineMap> maps{s.identity};
    if (kCentered) {
      Value sum = reduction(
          rewriter, loc, shape, s.reduced, x, {s.identity}, zero,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::AddFOp::create(b, l, a[1], s.toAcc(b, l, a[0]));
          });
      mean = parallelGeneric(
          rewriter, loc, cast<RankedTensorType>(sum.getType()), sum,
          {AffineMap::getMultiDimIdentityMap(
              cast<RankedTensorType>(sum.getType()).getRank(), ctx)},
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::DivFOp::create(b, l, a[0], count);
          });
      inputs.push_back(mean);
      maps.push_back(s.stats);
    }
    Value squares = reduction(
        rewriter, loc, shape, s.reduced, inputs, maps, zero,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = s.toAcc(b, l, a[0]);
          if (kCentered)
            v = arith::SubFOp::create(b, l, v, a[1]);
          Value sq = arith::MulFOp::create(b, l, v, v);
          return arith::AddFOp::create(b, l, a.back(), sq);
        });
    // The optional statistics results (what a backward pass reads): layer
    // norm's mean and inv_std_dev, rms norm's inv_rms. r = 1 / sqrt(var +
    // eps) (var = mean(x^2) for rms norm) once per row, which the
    // normalizing loop then reads instead of the sum of squares.
    SmallVector<Value> stats;
    if (!op.getStats().empty()) {
      auto rowType = cast<RankedTensorType>(squares.getType());
      AffineMap rowMap =
          AffineMap::getMultiDimIdentityMap(rowType.getRank(), ctx);
      Value rstd = parallelGeneric(
          rewriter, loc, rowType, squares, {rowMap},
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value var = arith::DivFOp::create(b, l, a[0], count);
            return math::RsqrtOp::create(b, l,
                                         arith::AddFOp::create(b, l, var, eps));
          });
      if (kCentered)
        stats.push_back(mean);
      stats.push_back(rstd);
    }
    inputs.push_back(stats.empty() ? squares : stats.back());
    maps.push_back(s.stats);

    SmallVector<Value> params{adaptor.getScale()};
    if constexpr (kCentered)
      if (adaptor.getBias())
        params.push_back(adaptor.getBias());
    for (Value p : params) {
      inputs.push_back(p);
      maps.push_back(broadcastMap(tensorType(p).getShape(), shape, ctx));
    }
    Value result = parallelGeneric(
        rewriter, loc, type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          unsigned i = 0;
          Value v = s.toAcc(b, l, a[i++]);
          if (kCentered)
            v = arith::SubFOp::create(b, l, v, a[i++]);
          Value rstd = a[i++];
          if (stats.empty()) {
            Value var = arith::DivFOp::create(b, l, rstd, count);
            rstd = math::RsqrtOp::create(
                b, l, arith::AddFOp::create(b, l, var, eps));
          }
          Value r = arith::MulFOp::create(b, l, v, rstd);
          r = arith::MulFOp::create(b, l, r, s.toAcc(b, l, a[i++]));
          if (i < a.size())
            r = arith::AddFOp::create(b, l, r, s.toAcc(b, l, a[i++]));
          return s.fromAcc(b, l, r);
        });
    SmallVector<Value> results{result};
    for (auto [v, to] : llvm::zip_equal(stats, llvm::drop_begin(op->getResultTypes())))
      results.push_back(reshapeTo(rewriter, loc, v, cast<RankedTensorType>(to)));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

std::pair<Value, Value> lowering::softmaxStatistics(OpBuilder &b, Location loc,
                                                    Value x, int64_t axis) {
  return softmaxStats(b, loc, x, AxisSpace(tensorType(x), axis, axis));
}

void mlir::zo::populateGraphToLinalgNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<g::SoftmaxOp, false>,
               SoftmaxLowering<g::LogSoftmaxOp, true>,
               NormLowering<g::LayerNormOp, true>,
               NormLowering<g::RmsNormOp, false>>(patterns.getContext());
}
