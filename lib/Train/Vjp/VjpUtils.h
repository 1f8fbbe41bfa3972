//===- VjpUtils.h - shorthands for writing VJP rules ------------*- C++ -*-===//
//
// Graph-op builders the reverse-mode rules share, on top of the null-aware
// arithmetic of the JVP rules (a null value is a zero cotangent).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_TRAIN_VJP_VJPUTILS_H
#define ZO_LIB_TRAIN_VJP_VJPUTILS_H

#include "../Jvp/JvpUtils.h"
#include "zo/Train/Vjp.h"

namespace mlir::zo::vjputil {

using namespace mlir::zo::jvputil;

/// `axis` of `x` counted from the front (ONNX allows negative axes).
inline int64_t normalizedAxis(int64_t axis, Value x) {
  return axis < 0 ? axis + tensorType(x).getRank() : axis;
}

/// `v` summed over the dimensions along which `type` was broadcast to
/// `v`'s shape (numpy rules: leading dimensions, and size-1 dimensions of
/// `type`), then reshaped to `type`. Fails (null) if `type` does not
/// broadcast to `v`'s shape.
Value sumToShape(OpBuilder &b, Location loc, Value v, RankedTensorType type);

/// `v` (a reduction's cotangent, keepdims or not) broadcast back over the
/// reduced `axes` (empty: all) of `input`.
Value expandReduced(OpBuilder &b, Location loc, Value v, Value input,
                    ArrayRef<int64_t> axes);

/// `v` with `type`'s shape (a view; `v` itself if it has it already).
Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType type);

/// The float one-hot encoding of the integer tensor `indices` over
/// `numClasses` classes, with the class dimension inserted at `axis`:
/// 1 where the index equals the class (an index outside [0, numClasses),
/// e.g. an ignored target, gives a zero row).
Value oneHot(OpBuilder &b, Location loc, Value indices, int64_t numClasses,
             int64_t axis, Type floatType);

/// The rule of an elementwise op whose Jacobian with respect to each
/// operand is diagonal (in the broadcast shape): the cotangent of operand i
/// is its JVP rule applied with the result cotangent as operand i's tangent
/// alone (the driver then sums it back to the operand's shape).
LogicalResult elementwiseVjp(OpBuilder &b, Operation *op,
                             ArrayRef<Value> cotangents,
                             SmallVectorImpl<Value> &results);

} // namespace mlir::zo::vjputil

#endif // ZO_LIB_TRAIN_VJP_VJPUTILS_H
