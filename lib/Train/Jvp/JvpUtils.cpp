//===- JvpUtils.cpp - shorthands for writing JVP rules --------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

Value jvputil::scalarLike(OpBuilder &b, Location loc, Value like,
                          double value) {
  Type elt = tensorType(like).getElementType();
  auto type = RankedTensorType::get({}, elt);
  return g::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(elt, value)));
}

Value jvputil::zerosLike(OpBuilder &b, Location loc, Value like) {
  RankedTensorType type = tensorType(like);
  return g::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), 0.0)));
}

Value jvputil::expandTo(OpBuilder &b, Location loc, Value v, Type type) {
  if (!v || v.getType() == type)
    return v;
  return g::ExpandOp::create(b, loc, type, v);
}

Value jvputil::add(OpBuilder &b, Location loc, Value x, Value y) {
  if (!x || !y)
    return x ? x : y;
  return g::AddOp::create(b, loc, x, y);
}

Value jvputil::sub(OpBuilder &b, Location loc, Value x, Value y) {
  if (!y)
    return x;
  if (!x)
    return neg(b, loc, y);
  return g::SubOp::create(b, loc, x, y);
}

Value jvputil::mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (!x || !y)
    return Value();
  return g::MulOp::create(b, loc, x, y);
}

Value jvputil::div(OpBuilder &b, Location loc, Value x, Value y) {
  if (!x)
    return Value();
  return g::DivOp::create(b, loc, x, y);
}

Value jvputil::neg(OpBuilder &b, Location loc, Value x) {
  if (!x)
    return Value();
  return g::NegOp::create(b, loc, x);
}

Value jvputil::scale(OpBuilder &b, Location loc, Value x, double c) {
  if (!x)
    return Value();
  return g::MulOp::create(b, loc, x, scalarLike(b, loc, x, c));
}

Value jvputil::reduceSum(OpBuilder &b, Location loc, Value x,
                         ArrayRef<int64_t> axes, bool keepdims) {
  return g::ReduceSumOp::create(b, loc, x, axes, keepdims);
}

Value jvputil::reduceMean(OpBuilder &b, Location loc, Value x,
                          ArrayRef<int64_t> axes, bool keepdims) {
  return g::ReduceMeanOp::create(b, loc, x, axes, keepdims);
}

SmallVector<int64_t> jvputil::trailingAxes(Value x, int64_t from) {
  SmallVector<int64_t> axes;
  for (int64_t d = from, e = tensorType(x).getRank(); d < e; ++d)
    axes.push_back(d);
  return axes;
}

Operation *jvputil::cloneWithOperands(OpBuilder &b, Operation *op,
                                      ValueRange operands) {
  Operation *copy = b.clone(*op);
  copy->setOperands(operands);
  return copy;
}

Value jvputil::orZeros(OpBuilder &b, Location loc, Value tangent,
                       Value primal) {
  return tangent ? tangent : zerosLike(b, loc, primal);
}
