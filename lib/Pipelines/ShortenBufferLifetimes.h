//===- ShortenBufferLifetimes.h - free each buffer after its last use -----===//

#ifndef ZO_LIB_PIPELINES_SHORTENBUFFERLIFETIMES_H
#define ZO_LIB_PIPELINES_SHORTENBUFFERLIFETIMES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::zo {
/// `zo-split-empty-tensors`: each use of a tensor.empty gets its own.
std::unique_ptr<Pass> createSplitEmptyTensorsPass();
/// `zo-dealloc-at-last-use`: memref.dealloc right after the last use.
std::unique_ptr<Pass> createDeallocAtLastUsePass();
} // namespace mlir::zo

#endif // ZO_LIB_PIPELINES_SHORTENBUFFERLIFETIMES_H
