//===- Loss.cpp - VJP rules of the cross-entropy and NLL losses -----------===//
//
// nll: L = reduce_i(-w[y_i] x[i, y_i] k_i), k_i = (y_i != ignore_index).
// Its cotangent w.r.t. x is the one-hot of the targets along the class
// dimension 1 times -c_i w[y_i] k_i, with c_i the cotangent of l_i (ct_i
// for "none", ct for "sum", ct / W for "mean", W = sum_i w[y_i] k_i). The
// per-target weights w[y_i] k_i and the mask k_i are read with the op
// itself: nll of a tensor of -1 with reduction "none" returns them.
// W.r.t. the class weights: dw[c] = sum_i [y_i = c] k_i c_i (-x[i, c] - L')
// with L' = L for "mean" (through W) and 0 otherwise.
// softmax cross entropy is nll(log_softmax(s)) along dimension 1:
// ds = dlogp - softmax(s) sum_c(dlogp). With dlogp = -onehot(y) c_i (c_i as
// above, times w[y_i] k_i), sum_c(dlogp) = -c_i, so ds = c_i (softmax(s) -
// onehot(y)): no reduction. softmax(s) = exp(s - lse) with lse the per-target
// log-sum-exp, a residual the forward op saves (its log_sum_exp result), so
// the whole [N, C] cotangent is one elementwise pass over the scores.
// Labels are integers: no cotangent.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

/// nll's cotangents: the input's is -onehot * scale.
struct NllGrads {
  /// onehot(y) along the class dimension, and c_i w[y_i] k_i with a size-1
  /// class dimension.
  Value onehot, scale;
  Value weights;
};

/// The cotangents of nll(x, target; weights) with `op`'s reduction and
/// ignore_index, given the loss cotangent `ct` and the loss `loss`.
template <typename OpTy>
NllGrads nllVjp(OpBuilder &b, OpTy op, Value x, Value target, Value weights,
                Value ct, Value loss) {
  Location loc = op.getLoc();
  StringRef reduction = op.getReduction();
  RankedTensorType xt = tensorType(x);
  Type elt = xt.getElementType();
  auto nll = [&](Value input, Value w, StringRef red) -> Value {
    return g::NegativeLogLikelihoodLossOp::create(b, loc, input, target, w, red,
                                                  op.getIgnoreIndexAttr());
  };
  Value minusOnes = g::ConstantOp::create(
      b, loc, DenseElementsAttr::get(xt, b.getFloatAttr(elt, -1.0)));
  // c_i: the cotangent of each target's term.
  Value coef = ct;
  if (reduction == "mean")
    coef =
        div(b, loc, ct, nll(minusOnes, weights, "sum")); // W = sum_i w[y_i] k_i
  Value perTarget = nll(minusOnes, weights, "none");     // w[y_i] k_i
  Value hot = oneHot(b, loc, target, xt.getDimSize(1), /*axis=*/1, elt);
  auto withClassDim = [&](Value v) { // [N, d...] -> [N, 1, d...]
    SmallVector<int64_t> shape(tensorType(v).getShape());
    if (shape.empty())
      return v;
    shape.insert(shape.begin() + 1, 1);
    return Value(
        g::ReshapeOp::create(b, loc, RankedTensorType::get(shape, elt), v));
  };
  NllGrads grads;
  grads.onehot = hot;
  grads.scale = withClassDim(mul(b, loc, perTarget, coef));
  if (weights) {
    Value keep = nll(minusOnes, Value(), "none"); // k_i
    Value term = neg(b, loc, x);
    if (reduction == "mean")
      term = sub(b, loc, term, loss);
    Value perClass = mul(b, loc, mul(b, loc, hot, withClassDim(keep)),
                         mul(b, loc, term, withClassDim(coef)));
    // Summed over everything but the classes, moved last so the sum is a
    // leading reduction (parallel dimensions outside, for every target).
    int64_t rank = xt.getRank();
    if (rank > 2) {
      SmallVector<int64_t> perm{0};
      for (int64_t d = 2; d < rank; ++d)
        perm.push_back(d);
      perm.push_back(1);
      perClass = g::TransposeOp::create(b, loc, perClass, perm);
    }
    SmallVector<int64_t> axes;
    for (int64_t d = 0; d < rank - 1; ++d)
      axes.push_back(d);
    grads.weights = reduceSum(b, loc, perClass, axes, /*keepdims=*/false);
  }
  return grads;
}

void vjp(OpBuilder &b, g::NegativeLogLikelihoodLossOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  NllGrads grads = nllVjp(b, op, op.getInput(), op.getTarget(), op.getWeights(),
                          ct, op.getLoss());
  results.push_back(
      neg(b, op.getLoc(), mul(b, op.getLoc(), grads.onehot, grads.scale)));
  results.push_back(Value());
  if (op.getWeights())
    results.push_back(grads.weights);
}

SmallVector<Type, 2> residuals(g::SoftmaxCrossEntropyLossOp op) {
  if (!op.getLogSumExp().empty())
    return {};
  return {g::SoftmaxCrossEntropyLossOp::getLogSumExpType(
      tensorType(op.getScores()))};
}

LogicalResult vjp(OpBuilder &b, g::SoftmaxCrossEntropyLossOp op,
                  ArrayRef<Value> cts, SmallVectorImpl<Value> &results) {
  if (llvm::any_of(cts.drop_front(), [](Value c) { return c; }))
    return op.emitOpError("has no VJP rule for its log_sum_exp result");
  Location loc = op.getLoc();
  Value scores = op.getScores();
  RankedTensorType st = tensorType(scores);
  auto castTo = [&](Value v, Type elt) -> Value {
    RankedTensorType t = tensorType(v);
    if (t.getElementType() == elt)
      return v;
    return g::CastOp::create(b, loc, t.clone(elt), v);
  };
  // log p = s - lse, elementwise with the saved log-sum-exp, else the
  // log-softmax recomputed from the scores. The saved lse of narrower
  // scores is f32: s - lse and exp are taken in f32 and p rounded once
  // (lse rounded to bf16 would be off by up to 0.03 at a 50K vocabulary,
  // i.e. 3% in p).
  Value logp, p;
  if (op.getLogSumExp().size() == 1) {
    Value lse = op.getLogSumExp()[0];
    Type wide = tensorType(lse).getElementType();
    Value wideLogp = sub(b, loc, castTo(scores, wide), lse);
    p = castTo(g::ExpOp::create(b, loc, wideLogp), st.getElementType());
    // Only the class weights' cotangent reads log p itself; without
    // weights nllVjp reads nothing but its type.
    logp = op.getWeights() ? castTo(wideLogp, st.getElementType()) : scores;
  } else {
    logp = g::LogSoftmaxOp::create(b, loc, scores, 1);
    p = g::ExpOp::create(b, loc, logp);
  }
  NllGrads grads = nllVjp(b, op, logp, op.getLabels(), op.getWeights(), cts[0],
                          op.getLoss());
  results.push_back(mul(b, loc, grads.scale, sub(b, loc, p, grads.onehot)));
  results.push_back(Value());
  if (op.getWeights())
    results.push_back(grads.weights);
  return success();
}

} // namespace

void mlir::zo::populateLossVjpRules(VjpRuleSet &rules) {
  rules.add<g::NegativeLogLikelihoodLossOp>(vjp);
  rules.add<g::SoftmaxCrossEntropyLossOp>(vjp);
  rules.addResiduals<g::SoftmaxCrossEntropyLossOp>(residuals);
}
