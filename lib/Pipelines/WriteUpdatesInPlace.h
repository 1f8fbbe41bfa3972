//===- WriteUpdatesInPlace.h - updates computed in the donated buffers ----===//

#ifndef ZO_LIB_PIPELINES_WRITEUPDATESINPLACE_H
#define ZO_LIB_PIPELINES_WRITEUPDATESINPLACE_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::zo {
/// `zo-write-updates-in-place`: on bufferized IR, a loop that fills a
/// scratch buffer which is then only copied into a function argument writes
/// into that argument instead (see WriteUpdatesInPlace.cpp).
std::unique_ptr<Pass> createWriteUpdatesInPlacePass();
} // namespace mlir::zo

#endif // ZO_LIB_PIPELINES_WRITEUPDATESINPLACE_H
