//===- Utils.h - shared helpers of the graph -> linalg patterns -*- C++ -*-===//
//
// Builders every op family of the lowering uses: empty/filled tensors,
// broadcasting indexing maps, elementwise generics, scalar casts and
// reshapes between static shapes. Private to lib/Conversion/GraphToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_CONVERSION_GRAPHTOLINALG_UTILS_H
#define ZO_LIB_CONVERSION_GRAPHTOLINALG_UTILS_H

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::zo::lowering {

using BodyBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

inline RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// `tensor.empty` of a static type.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);
/// `tensor.empty` + `linalg.fill` with `value` (a scalar of the element type).
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// Numpy broadcasting of an operand of shape `in` onto an iteration space of
/// shape `out` (right-aligned): missing leading dims are dropped, a size-1 dim
/// under a larger one reads index 0.
AffineMap broadcastMap(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                       MLIRContext *ctx);

/// One parallel `linalg.generic` producing `resultType` from `inputs`, each
/// broadcast onto the result shape; `body` maps the scalar inputs to the
/// result scalar.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, BodyBuilder body);

/// One parallel `linalg.generic` over the result's iteration space with an
/// explicit indexing map per input.
Value parallelGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                      ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                      BodyBuilder body);

/// A `linalg.generic` over the iteration space `shape` that reduces the dims
/// with `reduced[d]` set. The result has `shape` without the reduced dims and
/// `init`'s type as element type, starts at `init`, and `body` receives the
/// input scalars followed by the accumulator.
Value reduction(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                ArrayRef<bool> reduced, ValueRange inputs,
                ArrayRef<AffineMap> inputMaps, Value init, BodyBuilder body);

/// The row maximum of `x` over `axis` and sum(exp(x - max)), both in
/// accumulatorType precision with `x`'s shape minus `axis`. Defined with the
/// softmax lowering; the cross-entropy loss reuses it.
std::pair<Value, Value> softmaxStatistics(OpBuilder &b, Location loc, Value x,
                                          int64_t axis);

/// Emits "cannot lower <op>: <why>" at the op (its ONNX node) and fails.
LogicalResult unsupported(Operation *op, const Twine &why);

/// The element type reductions accumulate in: f32 for narrower floats.
Type accumulatorType(Type elementType);

/// Scalar conversion with ONNX Cast semantics (bool is 0/1, x -> bool is
/// x != 0, float -> int truncates toward zero, ints are signed).
Value convertScalar(OpBuilder &b, Location loc, Value v, Type to);

/// Scalar constant of a float or integer type.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// Identity values of reductions.
Value lowestValue(OpBuilder &b, Location loc, Type type);
Value highestValue(OpBuilder &b, Location loc, Type type);

/// Reshape between static shapes with the same number of elements as a
/// collapse, an expand, or a collapse to 1-D followed by an expand.
Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType to);

/// Extracts a rank-0 tensor's value.
Value extractScalar(OpBuilder &b, Location loc, Value rank0);

/// Affine maps / iterator types helpers.
SmallVector<utils::IteratorType> parallelIterators(int64_t n);

/// Map of the whole iteration space of rank `rank` keeping only the dims for
/// which `keep[d]` is true (the output map of a reduction).
AffineMap projectionMap(int64_t rank, ArrayRef<bool> keep, MLIRContext *ctx);

/// Shape without the dims where `drop[d]` is true.
SmallVector<int64_t> dropDims(ArrayRef<int64_t> shape, ArrayRef<bool> drop);

/// Shared checks of every pattern: static shapes on all operands and results.
LogicalResult checkStatic(Operation *op, PatternRewriter &rewriter);

} // namespace mlir::zo::lowering

#endif // ZO_LIB_CONVERSION_GRAPHTOLINALG_UTILS_H
