//===- Passes.h - conversions out of the graph dialect ----------*- C++ -*-===//
//
// Declares the conversion passes of zo (graph -> linalg on tensors) and their
// registration; the pattern sets they apply are in GraphToLinalg.h.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_PASSES_H
#define ZO_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::zo {

#define GEN_PASS_DECL
#include "zo/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "zo/Conversion/Passes.h.inc"

} // namespace mlir::zo

#endif // ZO_CONVERSION_PASSES_H
