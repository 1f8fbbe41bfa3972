//===- Reduction.cpp - JVP rules of reduce_* and cumsum -------------------===//
//
// Sum, mean and cumsum are linear: the same op on the tangent. Max and min
// take the tangent at the extremum, averaged over ties (as torch's amax /
// amin); prod uses d(prod x) = sum(dx prod(x) / x), which needs x != 0.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

/// The reduction's result with its reduced dimensions kept (size 1), so it
/// broadcasts against the input.
template <typename OpTy> Value withKeptDims(OpBuilder &b, OpTy op) {
  Value y = op.getOutput();
  if (op.getKeepdims())
    return y;
  RankedTensorType in = tensorType(op.getInput());
  SmallVector<int64_t> shape(in.getShape());
  if (op.getAxes().empty())
    shape.assign(shape.size(), 1);
  for (int64_t a : op.getAxes())
    shape[a] = 1;
  return g::ReshapeOp::create(
      b, op.getLoc(), RankedTensorType::get(shape, in.getElementType()), y);
}

template <typename OpTy>
Value extremum(OpBuilder &b, OpTy op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value hit = g::EqualOp::create(b, loc, x, withKeptDims(b, op));
  Value mask = g::CastOp::create(b, loc, tensorType(x), hit);
  Value count = reduceSum(b, loc, mask, op.getAxes(), op.getKeepdims());
  Value picked = reduceSum(b, loc, mul(b, loc, t[0], mask), op.getAxes(),
                           op.getKeepdims());
  return div(b, loc, picked, count);
}

Value jvp(OpBuilder &b, g::ReduceMaxOp op, ArrayRef<Value> t) {
  return extremum(b, op, t);
}

Value jvp(OpBuilder &b, g::ReduceMinOp op, ArrayRef<Value> t) {
  return extremum(b, op, t);
}

Value jvp(OpBuilder &b, g::ReduceProdOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value perElement = div(b, loc, withKeptDims(b, op), op.getInput());
  return reduceSum(b, loc, mul(b, loc, t[0], perElement), op.getAxes(),
                   op.getKeepdims());
}

} // namespace

void mlir::zo::populateReductionJvpRules(JvpRuleSet &rules) {
  rules.add<g::ReduceSumOp>(linearJvp);
  rules.add<g::ReduceMeanOp>(linearJvp);
  rules.add<g::ReduceMaxOp>(jvp);
  rules.add<g::ReduceMinOp>(jvp);
  rules.add<g::ReduceProdOp>(jvp);
  rules.add<g::CumSumOp>(linearJvp);
}
