//===- Reduction.cpp - reduce_* and cumsum -> linalg.generic --------------===//
//
// A reduction is one generic with reduction iterators into the rank-reduced
// shape (sums and products accumulate in f32 for narrower floats), followed
// by an elementwise finish (mean's division, narrowing) and an expand_shape
// for keepdims. cumsum is a generic with an extra reduction dimension that
// masks by position, so it stays a single fusible linalg op.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

enum class Kind { Sum, Mean, Max, Min, Prod };

template <typename OpTy, Kind kKind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    RankedTensorType in = tensorType(x);
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elt = in.getElementType();
    bool isFloat = isa<FloatType>(elt);
    if (!isFloat && !isa<IntegerType>(elt))
      return unsupported(op, "unsupported element type");

    SmallVector<bool> reduced(in.getRank(), op.getAxes().empty());
    int64_t count = 1;
    for (int64_t a : op.getAxes())
      reduced[a] = true;
    for (int64_t d = 0; d < in.getRank(); ++d)
      if (reduced[d])
        count *= in.getDimSize(d);

    bool additive = kKind == Kind::Sum || kKind == Kind::Mean ||
                    kKind == Kind::Prod;
    Type acc = additive ? accumulatorType(elt) : elt;
    Value init;
    switch (kKind) {
    case Kind::Sum:
    case Kind::Mean:
      init = scalarConstant(rewriter, loc, acc, 0.0);
      break;
    case Kind::Prod:
      init = scalarConstant(rewriter, loc, acc, 1.0);
      break;
    case Kind::Max:
      init = lowestValue(rewriter, loc, acc);
      break;
    case Kind::Min:
      init = highestValue(rewriter, loc, acc);
      break;
    }
    Value r = reduction(
        rewriter, loc, in.getShape(), reduced, x,
        {AffineMap::getMultiDimIdentityMap(in.getRank(), rewriter.getContext())}, init,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = convertScalar(b, l, a[0], acc);
          switch (kKind) {
          case Kind::Sum:
          case Kind::Mean:
            return isFloat ? arith::AddFOp::create(b, l, a[1], v).getResult()
                           : arith::AddIOp::create(b, l, a[1], v).getResult();
          case Kind::Prod:
            return isFloat ? arith::MulFOp::create(b, l, a[1], v).getResult()
                           : arith::MulIOp::create(b, l, a[1], v).getResult();
          case Kind::Max:
            return isFloat
                       ? arith::MaximumFOp::create(b, l, a[1], v).getResult()
                       : arith::MaxSIOp::create(b, l, a[1], v).getResult();
          case Kind::Min:
            return isFloat
                       ? arith::MinimumFOp::create(b, l, a[1], v).getResult()
                       : arith::MinSIOp::create(b, l, a[1], v).getResult();
          }
          llvm_unreachable("unknown reduction");
        });

    if (kKind == Kind::Mean || acc != elt) {
      auto reducedType = cast<RankedTensorType>(r.getType());
      r = elementwise(
          rewriter, loc, RankedTensorType::get(reducedType.getShape(), elt), r,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value v = a[0];
            if (kKind == Kind::Mean) {
              Value n = scalarConstant(b, l, acc, (double)count);
              v = isFloat ? arith::DivFOp::create(b, l, v, n).getResult()
                          : arith::DivSIOp::create(b, l, v, n).getResult();
            }
            return convertScalar(b, l, v, elt);
          });
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, resultType));
    return success();
  }
};

/// out[.., i, ..] = sum of x[.., j, ..] over j <= i (j < i when exclusive,
/// mirrored when reverse), with j an extra reduction dimension. Quadratic in
/// the axis length, which for sequence positions is small; it keeps cumsum a
/// plain linalg op instead of a sequential loop.
struct CumSumLowering : OpConversionPattern<g::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(g::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elt = type.getElementType();
    bool isFloat = isa<FloatType>(elt);
    if (!isFloat && !isa<IntegerType>(elt))
      return unsupported(op, "unsupported element type");
    Type acc = accumulatorType(elt);
    int64_t rank = type.getRank(), axis = op.getAxis();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();

    SmallVector<AffineExpr> inExprs;
    for (int64_t d = 0; d < rank; ++d)
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    AffineMap inMap = AffineMap::get(rank + 1, 0, inExprs, ctx);
    SmallVector<bool> reduced(rank, false);
    reduced.push_back(true);
    SmallVector<int64_t> space(type.getShape());
    space.push_back(type.getDimSize(axis));

    Value r = reduction(
        rewriter, loc, space, reduced, adaptor.getInput(), {inMap},
        scalarConstant(rewriter, loc, acc, 0.0),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          arith::CmpIPredicate pred =
              reverse ? (exclusive ? arith::CmpIPredicate::ugt
                                   : arith::CmpIPredicate::uge)
                      : (exclusive ? arith::CmpIPredicate::ult
                                   : arith::CmpIPredicate::ule);
          Value take = arith::CmpIOp::create(b, l, pred, j, i);
          Value v = convertScalar(b, l, a[0], acc);
          Value sum = isFloat ? arith::AddFOp::create(b, l, a[1], v).getResult()
                              : arith::AddIOp::create(b, l, a[1], v).getResult();
          return arith::SelectOp::create(b, l, take, sum, a[1]);
        });
    if (acc != elt)
      r = elementwise(rewriter, loc, type, r,
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        return convertScalar(b, l, a[0], elt);
                      });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void mlir::zo::populateGraphToLinalgReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<g::ReduceSumOp, Kind::Sum>,
               ReduceLowering<g::ReduceMeanOp, Kind::Mean>,
               ReduceLowering<g::ReduceMaxOp, Kind::Max>,
               ReduceLowering<g::ReduceMinOp, Kind::Min>,
               ReduceLowering<g::ReduceProdOp, Kind::Prod>, CumSumLowering>(
      patterns.getContext());
}
