//===- Loss.cpp - JVP rules of the cross-entropy and NLL losses -----------===//
//
// nll_loss is linear in its input, so d nll(x) = nll(dx) with the same
// targets, weights and reduction; softmax cross entropy is
// nll(log_softmax(s)) along the class dimension 1, so its tangent is
// nll(dlogp) with dlogp = ds - sum_c(softmax(s) ds). The weights enter
// l_i = -w[y_i] x[i, y_i] linearly, except that "mean" divides by
// W = sum_i w[y_i]: dL = (nll_sum(x; dw) - L sum_i dw[y_i]) / W, where both
// class-weight sums are an nll of a tensor of -1 (which reads back w[y_i]).
// Labels are integers: no tangent.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

/// nll(input, targets; weights) with `op`'s reduction and ignore_index.
template <typename OpTy>
Value nll(OpBuilder &b, OpTy op, Value input, Value targets, Value weights,
          StringRef reduction) {
  return g::NegativeLogLikelihoodLossOp::create(b, op.getLoc(), input, targets,
                                                weights, reduction,
                                                op.getIgnoreIndexAttr());
}

/// The tangent of `loss = nll(input, targets; weights)` from a tangent of
/// the class weights alone.
template <typename OpTy>
Value viaWeights(OpBuilder &b, OpTy op, Value input, Value targets,
                 Value weights, Value tweights, Value loss) {
  StringRef reduction = op.getReduction();
  if (reduction != "mean")
    return nll(b, op, input, targets, tweights, reduction);
  Location loc = op.getLoc();
  Value minusOnes = g::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          tensorType(input),
          b.getFloatAttr(tensorType(input).getElementType(), -1.0)));
  Value total = nll(b, op, minusOnes, targets, weights, "sum");
  Value dtotal = nll(b, op, minusOnes, targets, tweights, "sum");
  Value numerator = nll(b, op, input, targets, tweights, "sum");
  return div(b, loc, sub(b, loc, numerator, mul(b, loc, loss, dtotal)), total);
}

Value jvp(OpBuilder &b, g::NegativeLogLikelihoodLossOp op, ArrayRef<Value> t) {
  Value viaInput;
  if (t[0])
    viaInput =
        nll(b, op, t[0], op.getTarget(), op.getWeights(), op.getReduction());
  Value dweights = op.getWeights() ? t[2] : Value();
  if (dweights)
    dweights = viaWeights(b, op, op.getInput(), op.getTarget(), op.getWeights(),
                          dweights, op.getLoss());
  return add(b, op.getLoc(), viaInput, dweights);
}

Value jvp(OpBuilder &b, g::SoftmaxCrossEntropyLossOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value scores = op.getScores();
  Value viaScores;
  if (t[0]) {
    Value p = g::SoftmaxOp::create(b, loc, scores, 1);
    Value dlogp =
        sub(b, loc, t[0], reduceSum(b, loc, mul(b, loc, p, t[0]), {1}, true));
    viaScores =
        nll(b, op, dlogp, op.getLabels(), op.getWeights(), op.getReduction());
  }
  Value dweights = op.getWeights() ? t[2] : Value();
  if (dweights)
    dweights =
        viaWeights(b, op, g::LogSoftmaxOp::create(b, loc, scores, 1),
                   op.getLabels(), op.getWeights(), dweights, op.getLoss());
  return add(b, loc, viaScores, dweights);
}

} // namespace

void mlir::zo::populateLossJvpRules(JvpRuleSet &rules) {
  rules.add<g::NegativeLogLikelihoodLossOp>(jvp);
  rules.add<g::SoftmaxCrossEntropyLossOp>(jvp);
}
