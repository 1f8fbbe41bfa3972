//===- MemoryAccounting.h - bytes allocated by compiled code ----*- C++ -*-===//
//
// Compiled code allocates only through `_mlir_memref_to_llvm_alloc/free`
// (finalize-memref-to-llvm with use-generic-functions); the runtime defines
// them here and counts current and peak bytes, so memory is measured.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_MEMORYACCOUNTING_H
#define ZO_RUNTIME_MEMORYACCOUNTING_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mlir::zo::rt {

struct MemoryStats {
  /// Bytes currently allocated by compiled code (not yet freed).
  int64_t currentBytes = 0;
  /// High-water mark of currentBytes since the last resetPeakMemory().
  int64_t peakBytes = 0;
  /// Allocations made since the last resetPeakMemory().
  int64_t numAllocations = 0;
  /// The sizes of the blocks live when peakBytes was reached, oldest
  /// allocation first: what to shrink to lower the peak.
  std::vector<int64_t> liveAtPeak;
};

MemoryStats getMemoryStats();
/// Sets the peak to the current level and zeroes the allocation count.
void resetPeakMemory();

} // namespace mlir::zo::rt

extern "C" {
// The hooks compiled code calls; exported for the JIT (see RuntimeSymbols.h).
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *ptr);
}

#endif // ZO_RUNTIME_MEMORYACCOUNTING_H
