//===- TrainDialect.h - the zo training dialect -----------------*- C++ -*-===//
//
// Declares the `train` dialect: ops a training method adds to a forward graph
// (counter-based noise now; optimizer updates later).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_DIALECT_TRAIN_TRAINDIALECT_H
#define ZO_DIALECT_TRAIN_TRAINDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "zo/Dialect/Train/TrainOpsDialect.h.inc"

#define GET_OP_CLASSES
#include "zo/Dialect/Train/TrainOps.h.inc"

#endif // ZO_DIALECT_TRAIN_TRAINDIALECT_H
