//===- JvpUtils.h - shorthands for writing JVP rules ------------*- C++ -*-===//
//
// Graph-op builders the rules share. The arithmetic helpers treat a null
// value as a zero tangent and fold it away, so a rule reads like its formula
// and builds no work for zero tangents.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_TRAIN_JVP_JVPUTILS_H
#define ZO_LIB_TRAIN_JVP_JVPUTILS_H

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/Jvp.h"

namespace mlir::zo::jvputil {

namespace g = mlir::zo::graph;

inline RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Float tensors carry tangents; integer, index and boolean ones never do.
inline bool isFloatTensor(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && isa<FloatType>(shaped.getElementType());
}

/// A 0-d constant `value` of `like`'s element type (broadcasts in binary
/// ops).
Value scalarLike(OpBuilder &b, Location loc, Value like, double value);

/// A zero of `like`'s full type (a splat constant).
Value zerosLike(OpBuilder &b, Location loc, Value like);

/// `v` broadcast to `type` (`v` itself if it has that type already).
Value expandTo(OpBuilder &b, Location loc, Value v, Type type);

/// Null-aware arithmetic: a null operand is a zero tangent. add(x, null) = x,
/// sub(null, y) = -y, mul(null, y) = div(null, y) = null, and so on.
Value add(OpBuilder &b, Location loc, Value x, Value y);
Value sub(OpBuilder &b, Location loc, Value x, Value y);
Value mul(OpBuilder &b, Location loc, Value x, Value y);
Value div(OpBuilder &b, Location loc, Value x, Value y);
Value neg(OpBuilder &b, Location loc, Value x);

/// `x * c` for a constant `c` of `x`'s element type (null stays null).
Value scale(OpBuilder &b, Location loc, Value x, double c);

/// Sum over `axes` with `keepdims`.
Value reduceSum(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                bool keepdims);
/// Mean over `axes` with `keepdims`.
Value reduceMean(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                 bool keepdims);

/// The axes `from..rank-1` of `x`.
SmallVector<int64_t> trailingAxes(Value x, int64_t from);

/// A clone of `op` with its operands replaced by `operands` (same types):
/// the tangent of an op that is linear in its float operands.
Operation *cloneWithOperands(OpBuilder &b, Operation *op, ValueRange operands);

/// The rule of an op that is linear in its one float operand (views,
/// copies, sums): the same op, same attributes, applied to the tangent.
template <typename OpTy>
Value linearJvp(OpBuilder &b, OpTy op, ArrayRef<Value> t) {
  return cloneWithOperands(b, op, t[0])->getResult(0);
}

/// `tangent` if non-null, else a zero of `primal`'s type.
Value orZeros(OpBuilder &b, Location loc, Value tangent, Value primal);

} // namespace mlir::zo::jvputil

#endif // ZO_LIB_TRAIN_JVP_JVPUTILS_H
