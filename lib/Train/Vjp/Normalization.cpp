//===- Normalization.cpp - VJP rules of softmax and the norms -------------===//
//
// With g the result cotangent (sums and means over the op's axis / the
// normalized dimensions):
// softmax:     dx = y (g - sum(g y))
// log_softmax: dx = g - softmax(x) sum(g)
// layer_norm:  xh = (x - mean) r, r = 1 / sqrt(var + eps), h = g scale;
//              dx = r (h - mean(h) - xh mean(h xh)), dscale = g xh,
//              dbias = g
// rms_norm:    xr = x r, r = 1 / sqrt(mean(x^2) + eps), h = g scale;
//              dx = r (h - xr mean(h xr)), dscale = g xr
// dscale and dbias come out in the input's shape; the driver sums them
// over the dimensions they were broadcast along. The statistics are
// recomputed from x, as in the JVP rules.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

void vjp(OpBuilder &b, g::SoftmaxOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value y = op.getOutput();
  int64_t axis = normalizedAxis(op.getAxis(), y);
  Value dot = reduceSum(b, loc, mul(b, loc, ct, y), {axis}, true);
  results.push_back(mul(b, loc, y, sub(b, loc, ct, dot)));
}

void vjp(OpBuilder &b, g::LogSoftmaxOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value p = g::ExpOp::create(b, loc, op.getOutput());
  int64_t axis = normalizedAxis(op.getAxis(), ct);
  Value total = reduceSum(b, loc, ct, {axis}, true);
  results.push_back(sub(b, loc, ct, mul(b, loc, p, total)));
}

/// 1 / sqrt(m + eps) for the second moment `m`.
Value inverseRoot(OpBuilder &b, Location loc, Value m, double eps) {
  Value root =
      g::SqrtOp::create(b, loc, add(b, loc, m, scalarLike(b, loc, m, eps)));
  return g::ReciprocalOp::create(b, loc, root);
}

void vjp(OpBuilder &b, g::LayerNormOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  SmallVector<int64_t> axes = trailingAxes(x, normalizedAxis(op.getAxis(), x));
  Value centered = sub(b, loc, x, reduceMean(b, loc, x, axes, true));
  Value variance =
      reduceMean(b, loc, mul(b, loc, centered, centered), axes, true);
  Value r = inverseRoot(b, loc, variance, op.getEpsilon().convertToDouble());
  Value xhat = mul(b, loc, centered, r);
  Value h = mul(b, loc, ct, op.getScale());
  Value proj = reduceMean(b, loc, mul(b, loc, h, xhat), axes, true);
  Value inner = sub(b, loc, sub(b, loc, h, reduceMean(b, loc, h, axes, true)),
                    mul(b, loc, xhat, proj));
  results.push_back(mul(b, loc, r, inner));
  results.push_back(mul(b, loc, ct, xhat));
  if (op.getBias())
    results.push_back(ct);
}

void vjp(OpBuilder &b, g::RmsNormOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  SmallVector<int64_t> axes = trailingAxes(x, normalizedAxis(op.getAxis(), x));
  Value r =
      inverseRoot(b, loc, reduceMean(b, loc, mul(b, loc, x, x), axes, true),
                  op.getEpsilon().convertToDouble());
  Value xr = mul(b, loc, x, r);
  Value h = mul(b, loc, ct, op.getScale());
  Value proj = reduceMean(b, loc, mul(b, loc, h, xr), axes, true);
  results.push_back(mul(b, loc, r, sub(b, loc, h, mul(b, loc, xr, proj))));
  results.push_back(mul(b, loc, ct, xr));
}

} // namespace

void mlir::zo::populateNormalizationVjpRules(VjpRuleSet &rules) {
  rules.add<g::SoftmaxOp>(vjp);
  rules.add<g::LogSoftmaxOp>(vjp);
  rules.add<g::LayerNormOp>(vjp);
  rules.add<g::RmsNormOp>(vjp);
}
