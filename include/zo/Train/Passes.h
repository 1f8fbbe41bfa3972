//===- Passes.h - training-step rewrites ------------------------*- C++ -*-===//
//
// The passes that build `@train_step` from a graph-stage `@forward`, one per
// method family (zeroth-order now; autodiff-based families later).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_PASSES_H
#define ZO_TRAIN_PASSES_H

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Dialect/Train/TrainDialect.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::zo {

#define GEN_PASS_DECL
#include "zo/Train/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "zo/Train/Passes.h.inc"

} // namespace mlir::zo

#endif // ZO_TRAIN_PASSES_H
