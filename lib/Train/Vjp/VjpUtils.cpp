//===- VjpUtils.cpp - shorthands for writing VJP rules --------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

Value vjputil::reshapeTo(OpBuilder &b, Location loc, Value v,
                         RankedTensorType type) {
  RankedTensorType have = tensorType(v);
  if (have.getShape() == type.getShape())
    return v;
  return g::ReshapeOp::create(
      b, loc, RankedTensorType::get(type.getShape(), have.getElementType()), v);
}

Value vjputil::sumToShape(OpBuilder &b, Location loc, Value v,
                          RankedTensorType type) {
  ArrayRef<int64_t> have = tensorType(v).getShape(), want = type.getShape();
  int64_t lead = (int64_t)have.size() - (int64_t)want.size();
  if (lead < 0)
    return Value();
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < (int64_t)have.size(); ++d) {
    if (d < lead) {
      axes.push_back(d);
      continue;
    }
    int64_t w = want[d - lead];
    if (w == have[d])
      continue;
    if (w != 1)
      return Value();
    axes.push_back(d);
  }
  if (axes.empty())
    return reshapeTo(b, loc, v, type);
  // Reduced dimensions between kept ones (e.g. GQA's broadcast head
  // groups) are moved last first: every target's loop nests keep the
  // parallel dimensions outside the reduction (the transpose fuses into
  // the sum as its indexing map).
  int64_t rank = have.size(), count = axes.size();
  bool prefix = axes.back() == count - 1;
  bool suffix = axes.front() == rank - count;
  if (!prefix && !suffix) {
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(axes, d))
        perm.push_back(d);
    llvm::append_range(perm, axes);
    v = g::TransposeOp::create(b, loc, v, perm);
    axes = trailingAxes(v, rank - count);
  }
  v = reduceSum(b, loc, v, axes, /*keepdims=*/false);
  return reshapeTo(b, loc, v, type);
}

Value vjputil::expandReduced(OpBuilder &b, Location loc, Value v, Value input,
                             ArrayRef<int64_t> axes) {
  RankedTensorType in = tensorType(input);
  SmallVector<int64_t> kept(in.getShape());
  if (axes.empty())
    kept.assign(kept.size(), 1);
  for (int64_t a : axes)
    kept[a] = 1;
  Type elt = tensorType(v).getElementType();
  v = reshapeTo(b, loc, v, RankedTensorType::get(kept, elt));
  return expandTo(b, loc, v, RankedTensorType::get(in.getShape(), elt));
}

Value vjputil::oneHot(OpBuilder &b, Location loc, Value indices,
                      int64_t numClasses, int64_t axis, Type floatType) {
  RankedTensorType it = tensorType(indices);
  Type intType = it.getElementType();
  // indices with a size-1 class dimension, against the classes laid along
  // that dimension: the comparison broadcasts to the one-hot shape.
  SmallVector<int64_t> idxShape(it.getShape());
  idxShape.insert(idxShape.begin() + axis, 1);
  Value idx = g::ReshapeOp::create(
      b, loc, RankedTensorType::get(idxShape, intType), indices);
  SmallVector<int64_t> clsShape(idxShape.size(), 1);
  clsShape[axis] = numClasses;
  SmallVector<APInt> classes;
  unsigned width = intType.getIntOrFloatBitWidth();
  for (int64_t c = 0; c < numClasses; ++c)
    classes.push_back(APInt(width, c, /*isSigned=*/true));
  auto clsType = RankedTensorType::get(clsShape, intType);
  Value cls =
      g::ConstantOp::create(b, loc, DenseElementsAttr::get(clsType, classes));
  Value hit = g::EqualOp::create(b, loc, idx, cls);
  SmallVector<int64_t> shape(it.getShape());
  shape.insert(shape.begin() + axis, numClasses);
  return g::CastOp::create(b, loc, RankedTensorType::get(shape, floatType),
                           hit);
}

LogicalResult vjputil::elementwiseVjp(OpBuilder &b, Operation *op,
                                      ArrayRef<Value> cotangents,
                                      SmallVectorImpl<Value> &results) {
  const JvpRuleFn *jvp = getGraphJvpRules().lookup(op);
  if (!jvp)
    return op->emitError() << "no JVP rule for elementwise '" << op->getName()
                           << "'";
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    if (!isFloatTensor(operand.getType())) {
      results.push_back(Value());
      continue;
    }
    SmallVector<Value> tangents(op->getNumOperands(), Value());
    tangents[i] = cotangents[0];
    SmallVector<Value> out;
    if (failed((*jvp)(b, op, tangents, out)))
      return failure();
    results.push_back(out[0]);
  }
  return success();
}
