//===- GraphDialect.h - the zo graph dialect --------------------*- C++ -*-===//
//
// Declares the `graph` dialect and its ops: the tensor-level form of an
// imported ONNX model that every later stage starts from.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_DIALECT_GRAPH_GRAPHDIALECT_H
#define ZO_DIALECT_GRAPH_GRAPHDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "zo/Dialect/Graph/GraphOpsDialect.h.inc"

#define GET_OP_CLASSES
#include "zo/Dialect/Graph/GraphOps.h.inc"

namespace mlir::zo::graph {

/// Numpy/ONNX multidirectional broadcasting of two static shapes. Returns
/// failure when a pair of dimensions is neither equal nor 1.
LogicalResult broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                              SmallVectorImpl<int64_t> &result);

/// True for ops whose result element type is i1 regardless of the operands
/// (Equal, Less, ...).
bool isComparison(Operation *op);

} // namespace mlir::zo::graph

#endif // ZO_DIALECT_GRAPH_GRAPHDIALECT_H
