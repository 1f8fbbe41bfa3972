//===- DataMovement.cpp - JVP rules of views, copies and selections -------===//
//
// Every data-movement op is linear in its float operands, so its tangent is
// the same op (same attributes, same result types) applied to the tangents;
// index operands (gather's and scatter_add's indices) are reused as they
// are. range is affine in start and delta; shape has no tangent.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

/// The embedding-lookup case: gather the tangent rows with the same indices.
Value jvp(OpBuilder &b, g::GatherOp op, ArrayRef<Value> t) {
  return cloneWithOperands(b, op, {t[0], op.getIndices()})->getResult(0);
}

/// Linear in data and updates: the same scatter of the tangents (a missing
/// one is zero; without an updates tangent the data's passes unchanged).
Value jvp(OpBuilder &b, g::ScatterAddOp op, ArrayRef<Value> t) {
  if (!t[2])
    return t[0];
  Value data = orZeros(b, op.getLoc(), t[0], op.getData());
  return cloneWithOperands(b, op, {data, op.getIndices(), t[2]})->getResult(0);
}

/// Inputs without a tangent contribute zeros to the concatenated tangent.
Value jvp(OpBuilder &b, g::ConcatOp op, ArrayRef<Value> t) {
  SmallVector<Value> pieces;
  for (auto [input, tangent] : llvm::zip_equal(op.getInputs(), t))
    pieces.push_back(orZeros(b, op.getLoc(), tangent, input));
  return cloneWithOperands(b, op, pieces)->getResult(0);
}

LogicalResult jvp(OpBuilder &b, g::SplitOp op, ArrayRef<Value> t,
                  SmallVectorImpl<Value> &results) {
  llvm::append_range(results, cloneWithOperands(b, op, t[0])->getResults());
  return success();
}

/// out[i] = start + i delta, so dout[i] = dstart + i ddelta (limit only
/// fixes the length).
Value jvp(OpBuilder &b, g::RangeOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  RankedTensorType type = tensorType(op.getOutput());
  if (!isa<FloatType>(type.getElementType()))
    return Value();
  SmallVector<Attribute> steps;
  for (int64_t i = 0, n = type.getDimSize(0); i < n; ++i)
    steps.push_back(b.getFloatAttr(type.getElementType(), (double)i));
  Value index =
      g::ConstantOp::create(b, loc, DenseElementsAttr::get(type, steps));
  return add(b, loc, t[0], mul(b, loc, index, t[2]));
}

} // namespace

void mlir::zo::populateDataMovementJvpRules(JvpRuleSet &rules) {
  rules.add<g::TransposeOp>(linearJvp);
  rules.add<g::ReshapeOp>(linearJvp);
  rules.add<g::FlattenOp>(linearJvp);
  rules.add<g::SqueezeOp>(linearJvp);
  rules.add<g::UnsqueezeOp>(linearJvp);
  rules.add<g::ExpandOp>(linearJvp);
  rules.add<g::SliceOp>(linearJvp);
  rules.add<g::TriluOp>(linearJvp);
  rules.add<g::GatherOp>(jvp);
  rules.add<g::ScatterAddOp>(jvp);
  rules.add<g::ConcatOp>(jvp);
  rules.add<g::SplitOp>(jvp);
  rules.add<g::RangeOp>(jvp);
  // The shape of a tensor does not depend on its values.
  rules.addZero<g::ShapeOp>();
}
