//===- ForwardGrad.cpp - Forward-Grad: projected gradients by JVP ---------===//
//
// d_s = dL/dp . z_s for every noise stream s, exact up to float rounding,
// from one forward-mode pass over @forward's body that carries all q
// tangents at once: the primal is computed once, and trained parameter i
// has tangent z_s = train.normal(seed, param_id = i, stream = s), created
// right before the parameter's first use so that it fuses into that
// consumer. The skeleton then applies ZO-SGD's update with g_s = d_s,
// regenerating the same z_s; no noise is ever stored.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Train/TrainDialect.h"
#include "zo/Train/Jvp.h"
#include "zo/Train/ZerothOrder.h"

using namespace mlir;
using namespace mlir::zo;

FailureOr<ZoJvpGradients>
mlir::zo::buildJvpGradients(OpBuilder &b, Location loc, Block &body,
                            ArrayRef<Value> args, ArrayRef<int64_t> paramIds,
                            Value seed, int64_t queries) {
  IRMapping map;
  for (BlockArgument arg : body.getArguments())
    map.map(arg, args[arg.getArgNumber()]);
  JvpOptions options;
  options.numDirections = queries;
  auto noise = [&](OpBuilder &nb, Location at, BlockArgument arg,
                   int64_t stream) -> Value {
    int64_t id = paramIds[arg.getArgNumber()];
    if (id < 0)
      return Value();
    // Noise is f32; a bf16 parameter's tangent is its rounding (the forward
    // computes in bf16), the update regenerates the f32 noise.
    auto type = cast<RankedTensorType>(arg.getType());
    Value z = train::NormalOp::create(nb, at, type.clone(nb.getF32Type()),
                                      seed, id, stream);
    return buildCastTo(nb, at, z, type);
  };
  options.argTangent = noise;
  FailureOr<JvpValues> values = buildJvp(b, body, map, options);
  if (failed(values))
    return failure();

  ZoJvpGradients out;
  out.loss = values->primals.front();
  for (int64_t s = 0; s < queries; ++s) {
    // A loss that no trained parameter reaches has a zero derivative.
    Value d = values->tangents[s].front();
    out.grads.push_back(d ? d : buildScalar(b, loc, 0.0f));
  }
  return out;
}
