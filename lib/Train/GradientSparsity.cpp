//===- GradientSparsity.cpp - sparse perturbation for ZO steps ------------===//
//
// Applied after the step is built, to its noise ops rather than inside each
// update rule: a rule only ever sees `train.add_noise` / `train.normal`, so
// every rule, present or future, perturbs and updates through the same mask
// without knowing about it, and no mask can be forgotten in one of the
// forward clones.
//
//===----------------------------------------------------------------------===//

#include "zo/Train/GradientSparsity.h"

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Dialect/Train/TrainDialect.h"

#include "mlir/IR/Builders.h"

#include <cstdio>
#include <map>

using namespace mlir;
using namespace mlir::zo;

/// 0.1, not 1.000000e-01 or 0.10.
static std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", v);
  return text;
}

FailureOr<ZoSparsity> mlir::zo::parseZoSparsity(Location loc, double sparsity,
                                                StringRef scope, int64_t every,
                                                uint64_t seed) {
  ZoSparsity s;
  if (!(sparsity >= 0.0 && sparsity < 1.0))
    return emitError(loc) << "zo-zeroth-order: sparsity must be in [0, 1) "
                             "(the fraction of noise elements zeroed), got "
                          << shortNumber(sparsity);
  if (scope != "layer" && scope != "global")
    return emitError(loc) << "zo-zeroth-order: unknown sparsity-scope '"
                          << scope << "' (known: layer, global)";
  if (every < 1)
    return emitError(loc) << "zo-zeroth-order: mask-every must be >= 1, got "
                          << every;
  s.sparsity = sparsity;
  s.global = scope == "global";
  s.every = every;
  s.seed = seed;
  return s;
}

namespace {
/// Adds the mask operand and attributes to one noise op.
template <typename OpTy>
void setMask(OpTy op, Value epoch, const ZoSparsity &options,
             std::optional<std::pair<int64_t, int64_t>> domainAndOffset) {
  Builder b(op.getContext());
  op->insertOperands(op->getNumOperands(), ValueRange{epoch});
  op.setMaskSparsityAttr(b.getF64FloatAttr(options.sparsity));
  op.setMaskSeedAttr(b.getI64IntegerAttr(static_cast<int64_t>(options.seed)));
  if (domainAndOffset) {
    op.setMaskDomainAttr(b.getI64IntegerAttr(domainAndOffset->first));
    op.setMaskOffsetAttr(b.getI64IntegerAttr(domainAndOffset->second));
  }
}
} // namespace

LogicalResult mlir::zo::applyZoSparsity(func::FuncOp step, Value stepCount,
                                        const ZoSparsity &options) {
  if (options.sparsity == 0.0)
    return success();
  SmallVector<Operation *> noiseOps;
  // Elements of each noised parameter, by param_id (ordered: global offsets
  // follow param order).
  std::map<int64_t, int64_t> sizes;
  step.walk([&](Operation *op) {
    if (!isa<train::AddNoiseOp, train::NormalOp>(op))
      return;
    noiseOps.push_back(op);
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t id = static_cast<int64_t>(
        isa<train::AddNoiseOp>(op) ? cast<train::AddNoiseOp>(op).getParamId()
                                   : cast<train::NormalOp>(op).getParamId());
    sizes[id] = type.getNumElements();
  });
  if (noiseOps.empty())
    return success();

  std::map<int64_t, int64_t> offsets;
  int64_t domain = 0;
  for (auto [id, size] : sizes) {
    offsets[id] = domain;
    domain += size;
  }
  if (options.global && domain > (int64_t(1) << 53))
    return step.emitError() << "zo-zeroth-order: a global mask covers at "
                               "most 2^53 elements, the trained parameters "
                               "have "
                            << domain;

  // epoch = (t - 1) / k, once, at the top of the step.
  OpBuilder b(step.getContext());
  b.setInsertionPointToStart(&step.getBody().front());
  Location loc = step.getLoc();
  auto i64Scalar = RankedTensorType::get({}, b.getI64Type());
  auto scalar = [&](int64_t v) -> Value {
    return graph::ConstantOp::create(b, loc, i64Scalar,
                                     DenseElementsAttr::get(i64Scalar, v));
  };
  Value epoch = graph::SubOp::create(b, loc, stepCount, scalar(1));
  if (options.every != 1)
    epoch = graph::DivOp::create(b, loc, epoch, scalar(options.every));

  for (Operation *op : noiseOps) {
    auto apply = [&](auto noise) {
      std::optional<std::pair<int64_t, int64_t>> slice;
      if (options.global)
        slice = {domain, offsets[static_cast<int64_t>(noise.getParamId())]};
      setMask(noise, epoch, options, slice);
    };
    if (auto addNoise = dyn_cast<train::AddNoiseOp>(op))
      apply(addNoise);
    else
      apply(cast<train::NormalOp>(op));
  }
  return success();
}
