//===- Elementwise.cpp - JVP rules of the elementwise graph ops -----------===//
//
// dy = f'(x) dx for the unary ops and the activations, the product and
// quotient rules for the broadcasting binary ops, and a select of the
// tangents for where / max / min. f'(x) is written with the primal result
// where that is cheaper (exp, tanh, sigmoid, sqrt, reciprocal). Tangents of
// broadcast operands keep their own shape; the driver broadcasts a rule's
// result to the result type when needed.
//
// Non-smooth points follow torch: relu'(0) = 0, abs'(0) = 0, and max / min
// split the tangent evenly between equal operands.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

Value jvp(OpBuilder &b, g::NegOp op, ArrayRef<Value> t) {
  return neg(b, op.getLoc(), t[0]);
}

Value jvp(OpBuilder &b, g::AbsOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput(), zero = scalarLike(b, loc, x, 0.0);
  Value isPos = g::GreaterOp::create(b, loc, x, zero);
  Value isNeg = g::LessOp::create(b, loc, x, zero);
  Value negOrZero = g::WhereOp::create(b, loc, isNeg, neg(b, loc, t[0]), zero);
  return g::WhereOp::create(b, loc, isPos, t[0], negOrZero);
}

Value jvp(OpBuilder &b, g::ExpOp op, ArrayRef<Value> t) {
  return mul(b, op.getLoc(), t[0], op.getOutput());
}

Value jvp(OpBuilder &b, g::LogOp op, ArrayRef<Value> t) {
  return div(b, op.getLoc(), t[0], op.getInput());
}

Value jvp(OpBuilder &b, g::SqrtOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  return div(b, loc, t[0], scale(b, loc, op.getOutput(), 2.0));
}

Value jvp(OpBuilder &b, g::ReciprocalOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value y = op.getOutput();
  return neg(b, loc, mul(b, loc, t[0], mul(b, loc, y, y)));
}

Value jvp(OpBuilder &b, g::ErfOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value gauss = g::ExpOp::create(b, loc, neg(b, loc, mul(b, loc, x, x)));
  return mul(b, loc, t[0], scale(b, loc, gauss, 2.0 / std::sqrt(M_PI)));
}

Value jvp(OpBuilder &b, g::TanhOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value y = op.getOutput();
  Value slope = sub(b, loc, scalarLike(b, loc, y, 1.0), mul(b, loc, y, y));
  return mul(b, loc, t[0], slope);
}

Value jvp(OpBuilder &b, g::SigmoidOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value y = op.getOutput();
  Value slope = mul(b, loc, y, sub(b, loc, scalarLike(b, loc, y, 1.0), y));
  return mul(b, loc, t[0], slope);
}

Value jvp(OpBuilder &b, g::ReluOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput(), zero = scalarLike(b, loc, x, 0.0);
  return g::WhereOp::create(b, loc, g::GreaterOp::create(b, loc, x, zero), t[0],
                            zero);
}

Value jvp(OpBuilder &b, g::SinOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  return mul(b, loc, t[0], g::CosOp::create(b, loc, op.getInput()));
}

Value jvp(OpBuilder &b, g::CosOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  return neg(b, loc,
             mul(b, loc, t[0], g::SinOp::create(b, loc, op.getInput())));
}

Value jvp(OpBuilder &, g::IdentityOp, ArrayRef<Value> t) { return t[0]; }

/// Inference-mode dropout is the identity.
Value jvp(OpBuilder &, g::DropoutOp, ArrayRef<Value> t) { return t[0]; }

/// silu(x) = x s, s = sigmoid(x): silu' = s (1 + x (1 - s)).
Value jvp(OpBuilder &b, g::SiluOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value s = g::SigmoidOp::create(b, loc, x);
  Value one = scalarLike(b, loc, x, 1.0);
  Value slope =
      mul(b, loc, s, add(b, loc, one, mul(b, loc, x, sub(b, loc, one, s))));
  return mul(b, loc, t[0], slope);
}

/// erf form: gelu' = Phi(x) + x phi(x). tanh form, u = c (x + k x^3):
/// gelu' = (1 + tanh u) / 2 + x (1 - tanh^2 u) c (1 + 3 k x^2) / 2.
Value jvp(OpBuilder &b, g::GeluOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  auto c = [&](double v) { return scalarLike(b, loc, x, v); };
  Value x2 = mul(b, loc, x, x);
  Value slope;
  if (op.getApproximate() == "tanh") {
    double k = 0.044715, sqrt2OverPi = std::sqrt(2.0 / M_PI);
    Value u =
        scale(b, loc, add(b, loc, x, mul(b, loc, c(k), mul(b, loc, x2, x))),
              sqrt2OverPi);
    Value th = g::TanhOp::create(b, loc, u);
    Value half = scale(b, loc, add(b, loc, c(1.0), th), 0.5);
    Value sech2 = sub(b, loc, c(1.0), mul(b, loc, th, th));
    Value du =
        add(b, loc, c(sqrt2OverPi), scale(b, loc, x2, 3.0 * k * sqrt2OverPi));
    slope = add(b, loc, half,
                scale(b, loc, mul(b, loc, x, mul(b, loc, sech2, du)), 0.5));
  } else {
    Value cdf =
        scale(b, loc,
              add(b, loc, c(1.0),
                  g::ErfOp::create(b, loc, scale(b, loc, x, M_SQRT1_2))),
              0.5);
    Value pdf = scale(b, loc, g::ExpOp::create(b, loc, scale(b, loc, x2, -0.5)),
                      1.0 / std::sqrt(2.0 * M_PI));
    slope = add(b, loc, cdf, mul(b, loc, x, pdf));
  }
  return mul(b, loc, t[0], slope);
}

/// Float-to-float casts carry the tangent over; anything else has none.
Value jvp(OpBuilder &b, g::CastOp op, ArrayRef<Value> t) {
  Type elt = tensorType(op.getOutput()).getElementType();
  if (!t[0] || !isa<FloatType>(elt))
    return Value();
  auto type = RankedTensorType::get(tensorType(t[0]).getShape(), elt);
  return g::CastOp::create(b, op.getLoc(), type, t[0]);
}

//===----------------------------------------------------------------------===//
// Binary (numpy broadcasting)
//===----------------------------------------------------------------------===//

Value jvp(OpBuilder &b, g::AddOp op, ArrayRef<Value> t) {
  return add(b, op.getLoc(), t[0], t[1]);
}

Value jvp(OpBuilder &b, g::SubOp op, ArrayRef<Value> t) {
  return sub(b, op.getLoc(), t[0], t[1]);
}

Value jvp(OpBuilder &b, g::MulOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  return add(b, loc, mul(b, loc, t[0], op.getRhs()),
             mul(b, loc, op.getLhs(), t[1]));
}

/// d(a / b) = (da - db y) / b.
Value jvp(OpBuilder &b, g::DivOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  return div(b, loc, sub(b, loc, t[0], mul(b, loc, t[1], op.getOutput())),
             op.getRhs());
}

/// d(a^p) = p a^(p-1) da + y log(a) dp. The first term keeps a constant
/// exponent constant (p - 1 folds), so x^2 stays a multiply after lowering.
Value jvp(OpBuilder &b, g::PowOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value a = op.getLhs(), p = op.getRhs();
  Value dBase;
  if (t[0]) {
    Value pm1 = b.createOrFold<g::SubOp>(loc, p, scalarLike(b, loc, p, 1.0));
    Value slope = mul(b, loc, p, g::PowOp::create(b, loc, a, pm1));
    dBase = mul(b, loc, t[0], slope);
  }
  Value dExp;
  if (t[1])
    dExp = mul(b, loc, t[1],
               mul(b, loc, op.getOutput(), g::LogOp::create(b, loc, a)));
  return add(b, loc, dBase, dExp);
}

/// The tangent of the operand that wins; half of each on ties.
template <typename OpTy>
Value selectTangent(OpBuilder &b, OpTy op, ArrayRef<Value> t, bool isMax) {
  Location loc = op.getLoc();
  Value lhs = op.getLhs(), rhs = op.getRhs();
  Value zero = scalarLike(b, loc, lhs, 0.0);
  Value tl = t[0] ? t[0] : zero, tr = t[1] ? t[1] : zero;
  Value lhsWins = isMax ? Value(g::GreaterOp::create(b, loc, lhs, rhs))
                        : Value(g::LessOp::create(b, loc, lhs, rhs));
  Value rhsWins = isMax ? Value(g::LessOp::create(b, loc, lhs, rhs))
                        : Value(g::GreaterOp::create(b, loc, lhs, rhs));
  Value tie = scale(b, loc, add(b, loc, t[0], t[1]), 0.5);
  return g::WhereOp::create(b, loc, lhsWins, tl,
                            g::WhereOp::create(b, loc, rhsWins, tr, tie));
}

Value jvp(OpBuilder &b, g::MaxOp op, ArrayRef<Value> t) {
  return selectTangent(b, op, t, /*isMax=*/true);
}

Value jvp(OpBuilder &b, g::MinOp op, ArrayRef<Value> t) {
  return selectTangent(b, op, t, /*isMax=*/false);
}

/// The condition is a stop-gradient mask.
Value jvp(OpBuilder &b, g::WhereOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value zero = scalarLike(b, loc, op.getLhs(), 0.0);
  return g::WhereOp::create(b, loc, op.getCondition(), t[1] ? t[1] : zero,
                            t[2] ? t[2] : zero);
}

} // namespace

void mlir::zo::populateElementwiseJvpRules(JvpRuleSet &rules) {
  rules.add<g::NegOp>(jvp);
  rules.add<g::AbsOp>(jvp);
  rules.add<g::ExpOp>(jvp);
  rules.add<g::LogOp>(jvp);
  rules.add<g::SqrtOp>(jvp);
  rules.add<g::ReciprocalOp>(jvp);
  rules.add<g::ErfOp>(jvp);
  rules.add<g::TanhOp>(jvp);
  rules.add<g::SigmoidOp>(jvp);
  rules.add<g::ReluOp>(jvp);
  rules.add<g::SinOp>(jvp);
  rules.add<g::CosOp>(jvp);
  rules.add<g::IdentityOp>(jvp);
  rules.add<g::DropoutOp>(jvp);
  rules.add<g::SiluOp>(jvp);
  rules.add<g::GeluOp>(jvp);
  rules.add<g::CastOp>(jvp);
  rules.add<g::AddOp>(jvp);
  rules.add<g::SubOp>(jvp);
  rules.add<g::MulOp>(jvp);
  rules.add<g::DivOp>(jvp);
  rules.add<g::PowOp>(jvp);
  rules.add<g::MaxOp>(jvp);
  rules.add<g::MinOp>(jvp);
  rules.add<g::WhereOp>(jvp);
  // Piecewise constant: a boolean result has no tangent.
  rules.addZero<g::EqualOp, g::LessOp, g::LessOrEqualOp, g::GreaterOp,
                g::GreaterOrEqualOp>();
}
