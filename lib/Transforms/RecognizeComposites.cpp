//===- RecognizeComposites.cpp - fuse decomposed norms and activations ----===//
//
// Exporters spell LayerNorm (before opset 17), RMSNorm, GELU and SiLU as
// chains of primitive ops. Recognizing them gives later stages one op with one
// lowering, one fused kernel and one derivative rule instead of a dozen.
//
// Matching is structural and order-insensitive: products are flattened into
// their factors (through single-use Mul/Div-by-constant nodes) and constant
// factors are multiplied together before they are compared.
//
//===----------------------------------------------------------------------===//

#include "zo/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::zo {
#define GEN_PASS_DEF_RECOGNIZECOMPOSITES
#include "zo/Transforms/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::graph;

/// The value of a splat floating-point constant, if `v` is one.
static std::optional<double> splatValue(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

static bool isNear(double actual, double expected, double relTol = 1e-4) {
  return std::fabs(actual - expected) <= relTol * std::fabs(expected);
}

static bool isSplat(Value v, double expected) {
  std::optional<double> s = splatValue(v);
  return s && isNear(*s, expected);
}

namespace {
/// A product flattened into its non-constant factors and one constant.
struct Product {
  SmallVector<Value> factors;
  double scale = 1.0;
};
} // namespace

/// Flattens `v` into factors. Intermediate Mul/Div nodes are looked through
/// only when this product is their single user, so that no value another op
/// still needs disappears.
static void collectFactors(Value v, Product &p, bool isRoot = true) {
  if (std::optional<double> c = splatValue(v)) {
    p.scale *= *c;
    return;
  }
  Operation *def = v.getDefiningOp();
  if (def && (isRoot || v.hasOneUse())) {
    if (auto mul = dyn_cast<MulOp>(def)) {
      collectFactors(mul.getLhs(), p, false);
      collectFactors(mul.getRhs(), p, false);
      return;
    }
    if (auto div = dyn_cast<DivOp>(def)) {
      if (std::optional<double> c = splatValue(div.getRhs())) {
        collectFactors(div.getLhs(), p, false);
        p.scale /= *c;
        return;
      }
    }
  }
  p.factors.push_back(v);
}

/// Matches `lhs + rhs` with one side a splat constant; returns the other side
/// and the constant.
static bool matchAddConstant(Value v, Value &other, double &constant) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return false;
  for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())}) {
    if (std::optional<double> c = splatValue(b)) {
      other = a;
      constant = *c;
      return true;
    }
  }
  return false;
}

/// True when `v` is `x` times the constant `scale` (e.g. x / sqrt(2)).
static bool isScaledCopy(Value v, Value x, double scale) {
  Product p;
  collectFactors(v, p, /*isRoot=*/false);
  if (p.factors.size() != 1 || p.factors[0] != x)
    return false;
  return isNear(p.scale, scale);
}

/// True when `v` is x^3 written as Pow(x, 3) or x * x * x.
static bool isCube(Product &p, Value x) {
  if (p.factors.size() == 3)
    return llvm::all_of(p.factors, [&](Value f) { return f == x; });
  if (p.factors.size() != 1)
    return false;
  auto pow = p.factors[0].getDefiningOp<PowOp>();
  return pow && pow.getLhs() == x && isSplat(pow.getRhs(), 3.0);
}

/// Matches the trailing-axes mean `mean(x, axes=[a..rank-1], keepdims)`.
static bool matchTrailingMean(Value v, Value &x, int64_t &axis) {
  auto mean = v.getDefiningOp<ReduceMeanOp>();
  if (!mean || !mean.getKeepdims())
    return false;
  int64_t rank = mean.getInput().getType().getRank();
  ArrayRef<int64_t> axes = mean.getAxes();
  if (axes.empty() || axes.back() != rank - 1)
    return false;
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return false;
  x = mean.getInput();
  axis = axes.front();
  return true;
}

/// Matches the square `d^2` as Pow(d, 2) or d * d.
static bool matchSquare(Value v, Value &d) {
  if (auto pow = v.getDefiningOp<PowOp>()) {
    if (!isSplat(pow.getRhs(), 2.0))
      return false;
    d = pow.getLhs();
    return true;
  }
  if (auto mul = v.getDefiningOp<MulOp>()) {
    if (mul.getLhs() != mul.getRhs())
      return false;
    d = mul.getLhs();
    return true;
  }
  return false;
}

/// Matches `sqrt(mean(d^2) + eps)` over trailing axes; returns d, the first
/// normalized axis and epsilon.
static bool matchRootMeanSquare(Value v, Value &d, int64_t &axis,
                                double &eps) {
  auto sqrt = v.getDefiningOp<SqrtOp>();
  if (!sqrt)
    return false;
  Value meanSq, squared;
  if (!matchAddConstant(sqrt.getInput(), meanSq, eps))
    return false;
  return matchTrailingMean(meanSq, squared, axis) && matchSquare(squared, d);
}

/// Matches `num / denom` spelled as Div(num, denom), Mul(num, 1/denom) or
/// Mul(num, Div(1, denom)), in either operand order.
static bool matchQuotient(Operation *op, Value &num, Value &denom) {
  if (auto div = dyn_cast<DivOp>(op)) {
    num = div.getLhs();
    denom = div.getRhs();
    return true;
  }
  auto mul = dyn_cast<MulOp>(op);
  if (!mul)
    return false;
  for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())}) {
    if (auto recip = b.getDefiningOp<ReciprocalOp>()) {
      num = a;
      denom = recip.getInput();
      return true;
    }
    if (auto div = b.getDefiningOp<DivOp>(); div && isSplat(div.getLhs(), 1.0)) {
      num = a;
      denom = div.getRhs();
      return true;
    }
  }
  return false;
}

static Value createOnes(PatternRewriter &rewriter, Location loc,
                        RankedTensorType xType, int64_t axis) {
  auto type = RankedTensorType::get(xType.getShape().drop_front(axis),
                                    xType.getElementType());
  auto attr = DenseElementsAttr::get(
      type, rewriter.getFloatAttr(xType.getElementType(), 1.0));
  return ConstantOp::create(rewriter, loc, attr);
}

namespace {

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)  ->  layer_norm(x, 1).
struct FuseLayerNorm : RewritePattern {
  FuseLayerNorm(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    Value centered, denom;
    if (!isa<DivOp, MulOp>(op) || !matchQuotient(op, centered, denom))
      return failure();
    Value d, x, meanInput;
    int64_t axis, meanAxis;
    double eps;
    if (!matchRootMeanSquare(denom, d, axis, eps) || d != centered)
      return failure();
    auto sub = centered.getDefiningOp<SubOp>();
    if (!sub || !matchTrailingMean(sub.getRhs(), meanInput, meanAxis) ||
        meanInput != sub.getLhs() || meanAxis != axis)
      return failure();
    x = sub.getLhs();
    auto xType = cast<RankedTensorType>(x.getType());
    if (op->getResult(0).getType() != xType || !isa<FloatType>(xType.getElementType()))
      return failure();
    Value ones = createOnes(rewriter, op->getLoc(), xType, axis);
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        op, xType, x, ones, /*bias=*/Value(), rewriter.getI64IntegerAttr(axis),
        rewriter.getF32FloatAttr(eps));
    return success();
  }
};

/// x / sqrt(mean(x^2) + eps)  ->  rms_norm(x, 1).
struct FuseRmsNorm : RewritePattern {
  FuseRmsNorm(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    Value x, denom, d;
    int64_t axis;
    double eps;
    if (!isa<DivOp, MulOp>(op) || !matchQuotient(op, x, denom) ||
        !matchRootMeanSquare(denom, d, axis, eps) || d != x)
      return failure();
    auto xType = cast<RankedTensorType>(x.getType());
    if (op->getResult(0).getType() != xType || !isa<FloatType>(xType.getElementType()))
      return failure();
    Value ones = createOnes(rewriter, op->getLoc(), xType, axis);
    rewriter.replaceOpWithNewOp<RmsNormOp>(op, xType, x, ones,
                                           rewriter.getI64IntegerAttr(axis),
                                           rewriter.getF32FloatAttr(eps));
    return success();
  }
};

/// True when `scale` is a splat 1.0 constant (the placeholder the fusion
/// patterns above create).
static bool isUnitScale(Value scale) { return isSplat(scale, 1.0); }

/// Whether `param` broadcasts onto the normalized dims of `norm` without
/// changing its type.
static bool fitsNormalizedDims(Value param, RankedTensorType normType,
                               int64_t axis) {
  auto pType = cast<RankedTensorType>(param.getType());
  ArrayRef<int64_t> normShape = normType.getShape().drop_front(axis);
  SmallVector<int64_t> out;
  return pType.getElementType() == normType.getElementType() &&
         pType.getRank() <= (int64_t)normShape.size() &&
         succeeded(broadcastShapes(normShape, pType.getShape(), out)) &&
         ArrayRef<int64_t>(out) == normShape;
}

/// Reshapes a scale/bias to exactly the normalized dims so the fused op has a
/// canonical parameter shape.
static Value toNormShape(PatternRewriter &rewriter, Location loc, Value param,
                         RankedTensorType normType, int64_t axis) {
  auto target = RankedTensorType::get(normType.getShape().drop_front(axis),
                                      normType.getElementType());
  auto pType = cast<RankedTensorType>(param.getType());
  if (pType == target)
    return param;
  if (pType.getNumElements() == target.getNumElements())
    return rewriter.createOrFold<ReshapeOp>(loc, target, param);
  return rewriter.createOrFold<ExpandOp>(loc, target, param);
}

/// norm(x, 1) * g  ->  norm(x, g), for layer_norm (without bias) and rms_norm.
struct AbsorbScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [normVal, g] : {std::pair(mul.getLhs(), mul.getRhs()),
                              std::pair(mul.getRhs(), mul.getLhs())}) {
      Operation *norm = normVal.getDefiningOp();
      if (!norm || !normVal.hasOneUse() || mul.getType() != normVal.getType())
        continue;
      auto normType = cast<RankedTensorType>(normVal.getType());
      if (auto ln = dyn_cast<LayerNormOp>(norm)) {
        if (ln.getBias() || !isUnitScale(ln.getScale()) ||
            !fitsNormalizedDims(g, normType, ln.getAxis()))
          continue;
        Value scale = toNormShape(rewriter, mul.getLoc(), g, normType, ln.getAxis());
        rewriter.replaceOpWithNewOp<LayerNormOp>(
            mul, normType, ln.getInput(), scale, Value(), ln.getAxisAttr(),
            ln.getEpsilonAttr());
        return success();
      }
      if (auto rms = dyn_cast<RmsNormOp>(norm)) {
        if (!isUnitScale(rms.getScale()) ||
            !fitsNormalizedDims(g, normType, rms.getAxis()))
          continue;
        Value scale = toNormShape(rewriter, mul.getLoc(), g, normType, rms.getAxis());
        rewriter.replaceOpWithNewOp<RmsNormOp>(mul, normType, rms.getInput(),
                                               scale, rms.getAxisAttr(),
                                               rms.getEpsilonAttr());
        return success();
      }
    }
    return failure();
  }
};

/// layer_norm(x, g) + b  ->  layer_norm(x, g, b).
struct AbsorbBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [normVal, b] : {std::pair(add.getLhs(), add.getRhs()),
                              std::pair(add.getRhs(), add.getLhs())}) {
      auto ln = normVal.getDefiningOp<LayerNormOp>();
      if (!ln || ln.getBias() || !normVal.hasOneUse() ||
          add.getType() != normVal.getType() ||
          !fitsNormalizedDims(b, ln.getType(), ln.getAxis()))
        continue;
      Value bias = toNormShape(rewriter, add.getLoc(), b, ln.getType(), ln.getAxis());
      rewriter.replaceOpWithNewOp<LayerNormOp>(add, ln.getType(), ln.getInput(),
                                               ln.getScale(), bias,
                                               ln.getAxisAttr(),
                                               ln.getEpsilonAttr());
      return success();
    }
    return failure();
  }
};

/// x * 0.5 * (1 + erf(x / sqrt(2)))  ->  gelu(x)
/// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))  ->  gelu(x, tanh)
struct FuseGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    Product p;
    collectFactors(mul.getResult(), p);
    if (p.factors.size() != 2 || !isNear(p.scale, 0.5))
      return failure();
    for (auto [x, onePlus] : {std::pair(p.factors[0], p.factors[1]),
                              std::pair(p.factors[1], p.factors[0])}) {
      if (x.getType() != mul.getType() || !onePlus.hasOneUse())
        continue;
      Value inner;
      double one;
      if (!matchAddConstant(onePlus, inner, one) || !isNear(one, 1.0))
        continue;
      if (auto erf = inner.getDefiningOp<ErfOp>()) {
        if (!isScaledCopy(erf.getInput(), x, 1.0 / std::sqrt(2.0)))
          continue;
        rewriter.replaceOpWithNewOp<GeluOp>(mul, mul.getType(), x, "none");
        return success();
      }
      if (auto tanh = inner.getDefiningOp<TanhOp>()) {
        if (!isTanhGeluArgument(tanh.getInput(), x))
          continue;
        rewriter.replaceOpWithNewOp<GeluOp>(mul, mul.getType(), x, "tanh");
        return success();
      }
    }
    return failure();
  }

  /// sqrt(2/pi) * (x + 0.044715 * x^3)
  static bool isTanhGeluArgument(Value arg, Value x) {
    Product outer;
    collectFactors(arg, outer, /*isRoot=*/false);
    if (outer.factors.size() != 1 ||
        !isNear(outer.scale, std::sqrt(2.0 / M_PI)))
      return false;
    auto add = outer.factors[0].getDefiningOp<AddOp>();
    if (!add)
      return false;
    for (auto [lin, cubic] : {std::pair(add.getLhs(), add.getRhs()),
                              std::pair(add.getRhs(), add.getLhs())}) {
      if (lin != x)
        continue;
      Product c;
      collectFactors(cubic, c, /*isRoot=*/false);
      if (isNear(c.scale, 0.044715) && isCube(c, x))
        return true;
    }
    return false;
  }
};

/// x * sigmoid(x)  ->  silu(x)
struct FuseSilu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [x, s] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      auto sigmoid = s.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != mul.getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(mul, mul.getType(), x);
      return success();
    }
    return failure();
  }
};

struct RecognizeCompositesPass
    : zo::impl::RecognizeCompositesBase<RecognizeCompositesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRecognizeCompositePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::zo::populateRecognizeCompositePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<FuseLayerNorm, FuseRmsNorm, AbsorbScale, AbsorbBias, FuseGelu,
               FuseSilu>(ctx);
}
