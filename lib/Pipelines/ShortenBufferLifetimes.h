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
/// `zo-reuse-freed-buffers`: an allocation right after the dealloc of a
/// buffer of its type takes that buffer.
std::unique_ptr<Pass> createReuseFreedBuffersPass();

/// An elementwise loop writing a fresh buffer writes the same-typed input
/// buffer that dies right after it instead (the peak can only drop).
std::unique_ptr<Pass> createElementwiseInPlacePass();
} // namespace mlir::zo

#endif // ZO_LIB_PIPELINES_SHORTENBUFFERLIFETIMES_H
