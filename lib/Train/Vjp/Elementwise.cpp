//===- Elementwise.cpp - VJP rules of the elementwise graph ops -----------===//
//
// An elementwise op's Jacobian with respect to each operand is diagonal in
// the broadcast shape, so its transpose is itself: the cotangent of operand
// i is the op's JVP rule (lib/Train/Jvp/Elementwise.cpp) applied with the
// result cotangent as the tangent of operand i alone. One formula per op
// thus serves both modes, and the non-smooth points agree (relu'(0) = 0,
// abs'(0) = 0, max / min split evenly on ties, as torch). The driver sums a
// broadcast operand's cotangent back to its shape. Only cast, which changes
// the element type, has a rule of its own.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

template <typename OpTy>
LogicalResult vjp(OpBuilder &b, OpTy op, ArrayRef<Value> ct,
                  SmallVectorImpl<Value> &results) {
  return elementwiseVjp(b, op, ct, results);
}

/// A float-to-float cast carries the cotangent back in the input's type;
/// from or to an integer there is none.
void castVjp(OpBuilder &b, g::CastOp op, Value ct,
             SmallVectorImpl<Value> &results) {
  RankedTensorType in = tensorType(op.getInput());
  if (!isFloatTensor(in) || !isFloatTensor(op.getOutput().getType())) {
    results.push_back(Value());
    return;
  }
  results.push_back(g::CastOp::create(b, op.getLoc(), in, ct));
}

} // namespace

void mlir::zo::populateElementwiseVjpRules(VjpRuleSet &rules) {
  rules.add<g::NegOp>(vjp);
  rules.add<g::AbsOp>(vjp);
  rules.add<g::ExpOp>(vjp);
  rules.add<g::LogOp>(vjp);
  rules.add<g::SqrtOp>(vjp);
  rules.add<g::ReciprocalOp>(vjp);
  rules.add<g::ErfOp>(vjp);
  rules.add<g::TanhOp>(vjp);
  rules.add<g::SigmoidOp>(vjp);
  rules.add<g::ReluOp>(vjp);
  rules.add<g::SinOp>(vjp);
  rules.add<g::CosOp>(vjp);
  rules.add<g::IdentityOp>(vjp);
  rules.add<g::DropoutOp>(vjp);
  rules.add<g::SiluOp>(vjp);
  rules.add<g::GeluOp>(vjp);
  rules.add<g::CastOp>(castVjp);
  rules.add<g::AddOp>(vjp);
  rules.add<g::SubOp>(vjp);
  rules.add<g::MulOp>(vjp);
  rules.add<g::DivOp>(vjp);
  rules.add<g::PowOp>(vjp);
  rules.add<g::MaxOp>(vjp);
  rules.add<g::MinOp>(vjp);
  rules.add<g::WhereOp>(vjp);
  // Piecewise constant: a boolean result passes no cotangent back.
  rules.addZero<g::EqualOp, g::LessOp, g::LessOrEqualOp, g::GreaterOp,
                g::GreaterOrEqualOp>();
}
