//===- ZoMmt.cpp - ZO-SGD-MMT (momentum) update rule ----------------------===//
//
// b <- mu b + u, p <- p (1 - lr wd) - lr b, with u = (1/q) sum_s g_s z_s
// (u = g z for q = 1). One state tensor per parameter ("momentum:<name>"),
// zero at the start and updated in place like the parameter; the noise is
// regenerated inside the momentum sweep, never stored.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/ZerothOrder.h"

using namespace mlir;
using namespace mlir::zo;

ZoUpdate mlir::zo::buildZoMmtUpdate(OpBuilder &b, Location loc,
                                    const ZoUpdateInputs &in) {
  Value momentum = graph::MulOp::create(
      b, loc, in.state[0],
      buildScalar(b, loc, static_cast<float>(in.hyper->momentum)));
  Value next = buildProjectedDirection(b, loc, in, momentum);
  Value p = graph::SubOp::create(b, loc, buildDecay(b, loc, in),
                                 graph::MulOp::create(b, loc, in.lr, next));
  return {p, {next}};
}
