//===- Normalization.cpp - JVP rules of softmax and the norms -------------===//
//
// softmax:     dy = y (dx - sum(y dx))
// log_softmax: dy = dx - sum(softmax(x) dx)
// layer_norm:  xh = (x - mean) r, r = 1 / sqrt(var + eps);
//              dxh = r (c - xh mean(xh c)), c = dx - mean(dx);
//              dy = dxh scale + xh dscale + dbias
// rms_norm:    r = 1 / sqrt(mean(x^2) + eps);
//              dy = scale r (dx - x r^2 mean(x dx)) + x r dscale
// (sums and means over the op's axis / normalized dimensions). The
// statistics are recomputed from x rather than shared with the primal,
// whose lowering keeps them inside one fused loop.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

Value jvp(OpBuilder &b, g::SoftmaxOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value y = op.getOutput();
  Value dot = reduceSum(b, loc, mul(b, loc, y, t[0]), {op.getAxis()},
                        /*keepdims=*/true);
  return mul(b, loc, y, sub(b, loc, t[0], dot));
}

Value jvp(OpBuilder &b, g::LogSoftmaxOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value p = g::ExpOp::create(b, loc, op.getOutput());
  Value dot = reduceSum(b, loc, mul(b, loc, p, t[0]), {op.getAxis()},
                        /*keepdims=*/true);
  return sub(b, loc, t[0], dot);
}

/// 1 / sqrt(m + eps) for the second moment `m`.
Value inverseRoot(OpBuilder &b, Location loc, Value m, double eps) {
  Value root =
      g::SqrtOp::create(b, loc, add(b, loc, m, scalarLike(b, loc, m, eps)));
  return g::ReciprocalOp::create(b, loc, root);
}

Value jvp(OpBuilder &b, g::LayerNormOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput(), tx = t[0], tscale = t[1];
  Value tbias = op.getBias() ? t[2] : Value();
  if (!tx && !tscale)
    return tbias;
  SmallVector<int64_t> axes = trailingAxes(x, op.getAxis());
  Value centered = sub(b, loc, x, reduceMean(b, loc, x, axes, true));
  Value variance =
      reduceMean(b, loc, mul(b, loc, centered, centered), axes, true);
  Value r = inverseRoot(b, loc, variance, op.getEpsilon().convertToDouble());
  Value xhat = mul(b, loc, centered, r);
  Value dxhat;
  if (tx) {
    Value c = sub(b, loc, tx, reduceMean(b, loc, tx, axes, true));
    Value proj = reduceMean(b, loc, mul(b, loc, xhat, c), axes, true);
    dxhat = mul(b, loc, r, sub(b, loc, c, mul(b, loc, xhat, proj)));
  }
  return add(
      b, loc,
      add(b, loc, mul(b, loc, dxhat, op.getScale()), mul(b, loc, xhat, tscale)),
      tbias);
}

Value jvp(OpBuilder &b, g::RmsNormOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value x = op.getInput(), tx = t[0], tscale = t[1];
  SmallVector<int64_t> axes = trailingAxes(x, op.getAxis());
  Value r =
      inverseRoot(b, loc, reduceMean(b, loc, mul(b, loc, x, x), axes, true),
                  op.getEpsilon().convertToDouble());
  Value xr = mul(b, loc, x, r);
  Value viaInput;
  if (tx) {
    Value proj = reduceMean(b, loc, mul(b, loc, x, tx), axes, true);
    Value inner = sub(b, loc, tx, mul(b, loc, xr, mul(b, loc, r, proj)));
    viaInput = mul(b, loc, op.getScale(), mul(b, loc, r, inner));
  }
  return add(b, loc, viaInput, mul(b, loc, xr, tscale));
}

} // namespace

void mlir::zo::populateNormalizationJvpRules(JvpRuleSet &rules) {
  rules.add<g::SoftmaxOp>(jvp);
  rules.add<g::LogSoftmaxOp>(jvp);
  rules.add<g::LayerNormOp>(jvp);
  rules.add<g::RmsNormOp>(jvp);
}
