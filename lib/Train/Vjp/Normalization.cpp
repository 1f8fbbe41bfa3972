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
// over the dimensions they were broadcast along. The norms' statistics are
// residuals: the driver clones the forward op with its `stats` results
// (layer_norm: per-row mean and r; rms_norm: r; the forward computes them
// anyway), and the rule reads them instead of reducing x again (twice for
// layer_norm, once for rms_norm). softmax's and log_softmax's rules read
// the op's output y.
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

SmallVector<Type, 2> residuals(g::LayerNormOp op) {
  if (!op.getStats().empty())
    return {};
  return g::LayerNormOp::getStatsTypes(op.getInput().getType(), op.getAxis());
}

/// `v` in `like`'s element type (saved statistics of a bf16 norm are f32).
Value castLike(OpBuilder &b, Location loc, Value v, Value like) {
  Type elt = tensorType(like).getElementType();
  RankedTensorType type = tensorType(v);
  if (type.getElementType() == elt)
    return v;
  return g::CastOp::create(b, loc, type.clone(elt), v);
}

LogicalResult vjp(OpBuilder &b, g::LayerNormOp op, ArrayRef<Value> cts,
                  SmallVectorImpl<Value> &results) {
  if (llvm::any_of(cts.drop_front(), [](Value c) { return c; }))
    return op.emitOpError(
        "has no VJP rule for its mean / inv_std_dev results");
  Value ct = cts[0];
  Location loc = op.getLoc();
  Value x = op.getInput();
  SmallVector<int64_t> axes = trailingAxes(x, normalizedAxis(op.getAxis(), x));
  Value xhat, r;
  if (op.getStats().size() == 2) {
    // Saved by the forward: (x - mean) r is one elementwise pass.
    r = castLike(b, loc, op.getStats()[1], x);
    xhat = mul(b, loc, sub(b, loc, x, castLike(b, loc, op.getStats()[0], x)),
               r);
  } else {
    Value centered = sub(b, loc, x, reduceMean(b, loc, x, axes, true));
    Value variance =
        reduceMean(b, loc, mul(b, loc, centered, centered), axes, true);
    r = inverseRoot(b, loc, variance, op.getEpsilon().convertToDouble());
    xhat = mul(b, loc, centered, r);
  }
  Value h = mul(b, loc, ct, op.getScale());
  Value proj = reduceMean(b, loc, mul(b, loc, h, xhat), axes, true);
  Value inner = sub(b, loc, sub(b, loc, h, reduceMean(b, loc, h, axes, true)),
                    mul(b, loc, xhat, proj));
  results.push_back(mul(b, loc, r, inner));
  results.push_back(mul(b, loc, ct, xhat));
  if (op.getBias())
    results.push_back(ct);
  return success();
}

SmallVector<Type, 2> residuals(g::RmsNormOp op) {
  if (!op.getStats().empty())
    return {};
  return g::RmsNormOp::getStatsTypes(op.getInput().getType(), op.getAxis());
}

LogicalResult vjp(OpBuilder &b, g::RmsNormOp op, ArrayRef<Value> cts,
                  SmallVectorImpl<Value> &results) {
  if (llvm::any_of(cts.drop_front(), [](Value c) { return c; }))
    return op.emitOpError("has no VJP rule for its inv_rms result");
  Value ct = cts[0];
  Location loc = op.getLoc();
  Value x = op.getInput();
  SmallVector<int64_t> axes = trailingAxes(x, normalizedAxis(op.getAxis(), x));
  // Saved by the forward, or recomputed: mean(x^2) is a reduction over x.
  Value r = op.getStats().size() == 1
                ? castLike(b, loc, op.getStats()[0], x)
                : inverseRoot(b, loc,
                              reduceMean(b, loc, mul(b, loc, x, x), axes, true),
                              op.getEpsilon().convertToDouble());
  Value xr = mul(b, loc, x, r);
  Value h = mul(b, loc, ct, op.getScale());
  Value proj = reduceMean(b, loc, mul(b, loc, h, xr), axes, true);
  results.push_back(mul(b, loc, r, sub(b, loc, h, mul(b, loc, xr, proj))));
  results.push_back(mul(b, loc, ct, xr));
  return success();
}

} // namespace

void mlir::zo::populateNormalizationVjpRules(VjpRuleSet &rules) {
  rules.add<g::SoftmaxOp>(vjp);
  rules.add<g::LogSoftmaxOp>(vjp);
  rules.add<g::LayerNormOp>(vjp);
  rules.addResiduals<g::LayerNormOp>(residuals);
  rules.add<g::RmsNormOp>(vjp);
  rules.addResiduals<g::RmsNormOp>(residuals);
}
