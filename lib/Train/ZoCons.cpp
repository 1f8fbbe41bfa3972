//===- ZoCons.cpp - ZO-SGD-Cons (conservative) update rule ----------------===//
//
// With d = (1/q) sum_s g_s z_s (d = g z for q = 1), three more forwards:
// l0 = L(p), l1 = L(p - lr d), l2 = L(p + lr d); then p <- p + c lr d with
//   c = l1 > l0 ? (l0 < l2 ? 0 : +1) : (l1 < l2 ? -1 : +1)
// (ZO-Bench's order of comparisons, so a NaN loss takes +1 as it does
// there). c is a scalar chosen in the step; the update is one train.add_noise
// per query, alpha_s = c (lr / q) g_s: no parameter copy, no state. The
// reported loss is l0. No weight decay: the candidates are p, p -/+ lr d.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/ZerothOrder.h"

using namespace mlir;
using namespace mlir::zo;

LogicalResult mlir::zo::prepareZoCons(OpBuilder &b, Location loc,
                                      ZoStep &step) {
  if (step.weightDecay != 0.0)
    return emitError(loc) << "zo-zeroth-order: method zo-cons takes no "
                             "weight decay (its candidates are p and "
                             "p -/+ lr g z), got weight-decay="
                          << step.weightDecay;
  Value l0 = step.unperturbed ? step.unperturbed : step.evalLoss({});
  Value scale = step.lr;
  if (step.grads.size() > 1)
    scale = graph::DivOp::create(
        b, loc, scale,
        buildScalar(b, loc, static_cast<float>(step.grads.size())));
  SmallVector<Value> plus, minus;
  for (Value g : step.grads) {
    plus.push_back(graph::MulOp::create(b, loc, scale, g));
    minus.push_back(
        graph::NegOp::create(b, loc, plus.back().getType(), plus.back()));
  }
  Value l1 = step.evalLoss(minus);
  Value l2 = step.evalLoss(plus);

  Value zero = buildScalar(b, loc, 0.0f);
  Value one = buildScalar(b, loc, 1.0f);
  Value minusOne = buildScalar(b, loc, -1.0f);
  Value worse = graph::WhereOp::create(
      b, loc, graph::LessOp::create(b, loc, l0, l2), zero, one);
  Value better = graph::WhereOp::create(
      b, loc, graph::LessOp::create(b, loc, l1, l2), minusOne, one);
  Value c = graph::WhereOp::create(
      b, loc, graph::GreaterOp::create(b, loc, l1, l0), worse, better);
  for (Value a : plus)
    step.stepValues.push_back(graph::MulOp::create(b, loc, c, a));
  step.loss = l0;
  return success();
}

ZoUpdate mlir::zo::buildZoConsUpdate(OpBuilder &b, Location loc,
                                     const ZoUpdateInputs &in) {
  Value p = in.param;
  for (auto [stream, alpha] : llvm::enumerate(in.stepValues))
    p = buildAddNoise(b, loc, p, in.seed, alpha, in.paramId, stream);
  return p;
}
