//===- Elementwise.cpp - elementwise graph ops -> linalg.generic ----------===//
//
// Unary and binary arithmetic, comparisons, where, cast and the composite
// activations (gelu, silu, pow). Each op becomes one all-parallel generic
// whose indexing maps carry the numpy broadcasting, so chains of them fuse
// with upstream `linalg-fuse-elementwise-ops`.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

Value cst(OpBuilder &b, Location loc, Type t, double v) {
  return scalarConstant(b, loc, t, v);
}

/// 1 / (1 + exp(-x)); saturates correctly at both ends.
Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  Value d = arith::AddFOp::create(b, loc, cst(b, loc, t, 1.0), e);
  return arith::DivFOp::create(b, loc, cst(b, loc, t, 1.0), d);
}

// One scalar builder per op. `a` holds the operand scalars, `elt` is the
// result element type; ints are signless and treated as signed.
#define SCALAR(OP)                                                             \
  [[maybe_unused]] Value scalar(g::OP, OpBuilder &b, Location loc,             \
                                ValueRange a, Type elt)

SCALAR(NegOp) {
  if (isa<FloatType>(elt))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc, cst(b, loc, elt, 0), a[0]);
}
SCALAR(AbsOp) {
  if (isa<FloatType>(elt))
    return math::AbsFOp::create(b, loc, a[0]);
  return math::AbsIOp::create(b, loc, a[0]);
}
SCALAR(ExpOp) { return math::ExpOp::create(b, loc, a[0]); }
SCALAR(LogOp) { return math::LogOp::create(b, loc, a[0]); }
SCALAR(SqrtOp) { return math::SqrtOp::create(b, loc, a[0]); }
SCALAR(ErfOp) { return math::ErfOp::create(b, loc, a[0]); }
SCALAR(TanhOp) { return math::TanhOp::create(b, loc, a[0]); }
SCALAR(SinOp) { return math::SinOp::create(b, loc, a[0]); }
SCALAR(CosOp) { return math::CosOp::create(b, loc, a[0]); }
SCALAR(SigmoidOp) { return sigmoid(b, loc, a[0]); }
SCALAR(ReciprocalOp) {
  return arith::DivFOp::create(b, loc, cst(b, loc, elt, 1.0), a[0]);
}
SCALAR(ReluOp) {
  if (isa<FloatType>(elt))
    return arith::MaximumFOp::create(b, loc, a[0], cst(b, loc, elt, 0.0));
  return arith::MaxSIOp::create(b, loc, a[0], cst(b, loc, elt, 0));
}
SCALAR(NotOp) {
  return arith::XOrIOp::create(b, loc, a[0], cst(b, loc, elt, 1));
}
SCALAR(SiluOp) { return arith::MulFOp::create(b, loc, a[0], sigmoid(b, loc, a[0])); }
SCALAR(CastOp) { return convertScalar(b, loc, a[0], elt); }
SCALAR(WhereOp) { return arith::SelectOp::create(b, loc, a[0], a[1], a[2]); }

#define FLOAT_INT_BINARY(OP, FOP, IOP)                                         \
  SCALAR(OP) {                                                                 \
    if (isa<FloatType>(a[0].getType()))                                        \
      return arith::FOP::create(b, loc, a[0], a[1]);                           \
    return arith::IOP::create(b, loc, a[0], a[1]);                             \
  }
FLOAT_INT_BINARY(AddOp, AddFOp, AddIOp)
FLOAT_INT_BINARY(SubOp, SubFOp, SubIOp)
FLOAT_INT_BINARY(MulOp, MulFOp, MulIOp)
FLOAT_INT_BINARY(DivOp, DivFOp, DivSIOp)
FLOAT_INT_BINARY(MaxOp, MaximumFOp, MaxSIOp)
FLOAT_INT_BINARY(MinOp, MinimumFOp, MinSIOp)
#undef FLOAT_INT_BINARY
SCALAR(AndOp) { return arith::AndIOp::create(b, loc, a[0], a[1]); }
SCALAR(OrOp) { return arith::OrIOp::create(b, loc, a[0], a[1]); }

#define COMPARE(OP, FPRED, IPRED)                                              \
  SCALAR(OP) {                                                                 \
    if (isa<FloatType>(a[0].getType()))                                        \
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::FPRED, a[0],  \
                                   a[1]);                                      \
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::IPRED, a[0],    \
                                 a[1]);                                        \
  }
COMPARE(EqualOp, OEQ, eq)
COMPARE(LessOp, OLT, slt)
COMPARE(LessOrEqualOp, OLE, sle)
COMPARE(GreaterOp, OGT, sgt)
COMPARE(GreaterOrEqualOp, OGE, sge)
#undef COMPARE
#undef SCALAR

/// Ops defined only on floating-point tensors.
template <typename OpTy>
constexpr bool kFloatOnly =
    llvm::is_one_of<OpTy, g::ExpOp, g::LogOp, g::SqrtOp, g::ErfOp, g::TanhOp,
                    g::SinOp, g::CosOp, g::SigmoidOp, g::ReciprocalOp,
                    g::SiluOp>::value;

template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Type operandElt = tensorType(adaptor.getOperands().back()).getElementType();
    if (kFloatOnly<OpTy> && !isa<FloatType>(operandElt))
      return unsupported(op, "needs a floating-point element type");
    if (isa<ComplexType>(operandElt))
      return unsupported(op, "complex element types are not supported");
    Value result = elementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return scalar(op, b, loc, args, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GeluLowering : OpConversionPattern<g::GeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(g::GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool tanhForm = op.getApproximate() == "tanh";
    auto type = cast<RankedTensorType>(op.getType());
    Value result = elementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          Type t = x.getType();
          Value inner;
          if (tanhForm) {
            // sqrt(2/pi) * (x + 0.044715 x^3)
            Value x3 = arith::MulFOp::create(
                b, loc, x, arith::MulFOp::create(b, loc, x, x));
            Value poly = arith::AddFOp::create(
                b, loc, x,
                arith::MulFOp::create(b, loc, cst(b, loc, t, 0.044715), x3));
            inner = math::TanhOp::create(
                b, loc,
                arith::MulFOp::create(
                    b, loc, cst(b, loc, t, std::sqrt(2.0 / M_PI)), poly));
          } else {
            inner = math::ErfOp::create(
                b, loc,
                arith::MulFOp::create(b, loc, x, cst(b, loc, t, M_SQRT1_2)));
          }
          Value onePlus =
              arith::AddFOp::create(b, loc, cst(b, loc, t, 1.0), inner);
          Value half = arith::MulFOp::create(b, loc, cst(b, loc, t, 0.5), x);
          return arith::MulFOp::create(b, loc, half, onePlus);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// x^y. Constant exponents that transformers use (x^2 in variances, x^3 in
/// tanh-GELU, x^0.5) become multiplies or a sqrt: cheaper, exact for negative
/// bases, and trivially differentiable downstream.
struct PowLowering : OpConversionPattern<g::PowOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(g::PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type elt = type.getElementType();
    Location loc = op.getLoc();
    std::optional<double> exponent;
    DenseElementsAttr attr;
    if (isa<FloatType>(elt) && matchPattern(adaptor.getRhs(), m_Constant(&attr)) &&
        attr.isSplat())
      exponent = attr.getSplatValue<APFloat>().convertToDouble();

    if (exponent && (*exponent == 1.0 || *exponent == 2.0 ||
                     *exponent == 3.0 || *exponent == 0.5 ||
                     *exponent == -1.0 || *exponent == 0.0)) {
      double e = *exponent;
      Value result = elementwise(
          rewriter, loc, type, adaptor.getLhs(),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value x = args[0];
            if (e == 0.0)
              return cst(b, l, elt, 1.0);
            if (e == 1.0)
              return x;
            if (e == 0.5)
              return math::SqrtOp::create(b, l, x);
            if (e == -1.0)
              return arith::DivFOp::create(b, l, cst(b, l, elt, 1.0), x);
            Value sq = arith::MulFOp::create(b, l, x, x);
            return e == 2.0 ? sq : arith::MulFOp::create(b, l, sq, x);
          });
      rewriter.replaceOp(op, result);
      return success();
    }
    Value result = elementwise(
        rewriter, loc, type, adaptor.getOperands(),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          if (isa<FloatType>(elt))
            return math::PowFOp::create(b, l, args[0], args[1]);
          return math::IPowIOp::create(b, l, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::zo::populateGraphToLinalgElementwisePatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      ElementwiseLowering<g::NegOp>, ElementwiseLowering<g::AbsOp>,
      ElementwiseLowering<g::ExpOp>, ElementwiseLowering<g::LogOp>,
      ElementwiseLowering<g::SqrtOp>, ElementwiseLowering<g::ReciprocalOp>,
      ElementwiseLowering<g::ErfOp>, ElementwiseLowering<g::TanhOp>,
      ElementwiseLowering<g::SigmoidOp>, ElementwiseLowering<g::ReluOp>,
      ElementwiseLowering<g::SinOp>, ElementwiseLowering<g::CosOp>,
      ElementwiseLowering<g::NotOp>, ElementwiseLowering<g::SiluOp>,
      ElementwiseLowering<g::CastOp>, ElementwiseLowering<g::WhereOp>,
      ElementwiseLowering<g::AddOp>, ElementwiseLowering<g::SubOp>,
      ElementwiseLowering<g::MulOp>, ElementwiseLowering<g::DivOp>,
      ElementwiseLowering<g::MaxOp>, ElementwiseLowering<g::MinOp>,
      ElementwiseLowering<g::AndOp>, ElementwiseLowering<g::OrOp>,
      ElementwiseLowering<g::EqualOp>, ElementwiseLowering<g::LessOp>,
      ElementwiseLowering<g::LessOrEqualOp>, ElementwiseLowering<g::GreaterOp>,
      ElementwiseLowering<g::GreaterOrEqualOp>, GeluLowering, PowLowering>(ctx);
}
