//===- ZoAdam.cpp - ZO-Adam update rule -----------------------------------===//
//
// With u = (1/q) sum_s g_s z_s and t the 1-based step count:
//   m <- b1 m + (1 - b1) u,  v <- b2 v + (1 - b2) u^2,
//   p <- p (1 - lr wd) - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + e).
// Two state tensors per parameter ("adam_m:<name>", "adam_v:<name>"), zero
// at the start, updated in place. The bias corrections 1 - b^t are scalars
// built once per step by the prepare hook.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/ZerothOrder.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::zo;

LogicalResult mlir::zo::prepareZoAdam(OpBuilder &b, Location loc,
                                      ZoStep &step) {
  auto f32Scalar = RankedTensorType::get({}, b.getF32Type());
  Value t = graph::CastOp::create(b, loc, f32Scalar, step.step);
  Value one = buildScalar(b, loc, 1.0f);
  for (double beta : {step.hyper->beta1, step.hyper->beta2}) {
    Value power = graph::PowOp::create(
        b, loc, buildScalar(b, loc, static_cast<float>(beta)), t);
    step.stepValues.push_back(graph::SubOp::create(b, loc, one, power));
  }
  return success();
}

/// `a x + c y` for scalars a, c.
static Value blend(OpBuilder &b, Location loc, double a, Value x, double c,
                   Value y) {
  return graph::AddOp::create(
      b, loc,
      graph::MulOp::create(b, loc, x, buildScalar(b, loc, static_cast<float>(a))),
      graph::MulOp::create(b, loc, y,
                           buildScalar(b, loc, static_cast<float>(c))));
}

ZoUpdate mlir::zo::buildZoAdamUpdate(OpBuilder &b, Location loc,
                                     const ZoUpdateInputs &in) {
  const ZoHyperparameters &h = *in.hyper;
  auto type = cast<RankedTensorType>(in.param.getType());
  Value zeros = graph::ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, b.getFloatAttr(
                                                     type.getElementType(), 0.0)));
  Value u = buildProjectedDirection(b, loc, in, zeros);
  Value m = blend(b, loc, h.beta1, in.state[0], 1.0 - h.beta1, u);
  Value v = blend(b, loc, h.beta2, in.state[1], 1.0 - h.beta2,
                  graph::MulOp::create(b, loc, u, u));
  Value mHat = graph::DivOp::create(b, loc, m, in.stepValues[0]);
  Value vHat = graph::DivOp::create(b, loc, v, in.stepValues[1]);
  Value denom = graph::AddOp::create(
      b, loc, graph::SqrtOp::create(b, loc, vHat.getType(), vHat),
      buildScalar(b, loc, static_cast<float>(h.adamEpsilon)));
  Value delta = graph::MulOp::create(
      b, loc, in.lr, graph::DivOp::create(b, loc, mHat, denom));
  Value p = graph::SubOp::create(b, loc, buildDecay(b, loc, in), delta);
  return {p, {m, v}};
}
