//===- Reduction.cpp - VJP rules of reduce_* and cumsum -------------------===//
//
// sum and mean send the cotangent back over the reduced dimensions (mean
// divided by the count); max and min send it to the extremum, split evenly
// over ties (torch's amax / amin); prod uses d prod(x) / dx = prod(x) / x
// (x != 0). cumsum's transpose is the cumsum running the other way, with
// the same exclusiveness.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

/// The number of input elements folded into each output element.
template <typename OpTy> int64_t reducedCount(OpTy op) {
  ArrayRef<int64_t> shape = tensorType(op.getInput()).getShape();
  int64_t count = 1;
  if (op.getAxes().empty())
    for (int64_t n : shape)
      count *= n;
  for (int64_t a : op.getAxes())
    count *= shape[a];
  return count;
}

void vjp(OpBuilder &b, g::ReduceSumOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  results.push_back(
      expandReduced(b, op.getLoc(), ct, op.getInput(), op.getAxes()));
}

void vjp(OpBuilder &b, g::ReduceMeanOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value spread = expandReduced(b, loc, ct, op.getInput(), op.getAxes());
  results.push_back(scale(b, loc, spread, 1.0 / (double)reducedCount(op)));
}

template <typename OpTy>
void extremum(OpBuilder &b, OpTy op, Value ct,
              SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value y = expandReduced(b, loc, op.getOutput(), x, op.getAxes());
  Value mask = g::CastOp::create(b, loc, tensorType(x),
                                 g::EqualOp::create(b, loc, x, y));
  Value count = reduceSum(b, loc, mask, op.getAxes(), op.getKeepdims());
  results.push_back(
      mul(b, loc, mask,
          expandReduced(b, loc, div(b, loc, ct, count), x, op.getAxes())));
}

void vjp(OpBuilder &b, g::ReduceMaxOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  extremum(b, op, ct, results);
}

void vjp(OpBuilder &b, g::ReduceMinOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  extremum(b, op, ct, results);
}

void vjp(OpBuilder &b, g::ReduceProdOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value y = expandReduced(b, loc, op.getOutput(), x, op.getAxes());
  Value spread = expandReduced(b, loc, ct, x, op.getAxes());
  results.push_back(mul(b, loc, spread, div(b, loc, y, x)));
}

void vjp(OpBuilder &b, g::CumSumOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  results.push_back(g::CumSumOp::create(b, op.getLoc(), ct, op.getAxis(),
                                        op.getExclusive(), !op.getReverse()));
}

} // namespace

void mlir::zo::populateReductionVjpRules(VjpRuleSet &rules) {
  rules.add<g::ReduceSumOp>(vjp);
  rules.add<g::ReduceMeanOp>(vjp);
  rules.add<g::ReduceMaxOp>(vjp);
  rules.add<g::ReduceMinOp>(vjp);
  rules.add<g::ReduceProdOp>(vjp);
  rules.add<g::CumSumOp>(vjp);
}
