//===- ZoSign.cpp - ZO-SGD-Sign update rule -------------------------------===//
//
// p <- p (1 - lr wd) - (lr / q) sum_s sign(g_s) z_s: ZO-SGD with each scalar
// projected gradient replaced by its sign (sign(0) = 0). The signs are built
// once per step by the prepare hook; the update is ZO-SGD's on them.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/ZerothOrder.h"

using namespace mlir;
using namespace mlir::zo;

LogicalResult mlir::zo::prepareZoSign(OpBuilder &b, Location loc,
                                      ZoStep &step) {
  Value zero = buildScalar(b, loc, 0.0f);
  Value one = buildScalar(b, loc, 1.0f);
  Value minusOne = buildScalar(b, loc, -1.0f);
  for (Value g : step.grads) {
    // where(g > 0, 1, where(g < 0, -1, 0))
    Value negative = graph::WhereOp::create(
        b, loc, graph::LessOp::create(b, loc, g, zero), minusOne, zero);
    step.stepValues.push_back(graph::WhereOp::create(
        b, loc, graph::GreaterOp::create(b, loc, g, zero), one, negative));
  }
  return success();
}

ZoUpdate mlir::zo::buildZoSignUpdate(OpBuilder &b, Location loc,
                                     const ZoUpdateInputs &in) {
  ZoUpdateInputs sign = in;
  sign.grads = in.stepValues;
  return buildZoSgdUpdate(b, loc, sign);
}
