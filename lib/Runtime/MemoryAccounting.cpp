//===- MemoryAccounting.cpp - bytes allocated by compiled code ------------===//
//
// free() does not say how big a block was, so each pointer's size is kept in
// a map; a mutex is cheap next to the buffers compiled code allocates.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/MemoryAccounting.h"

#include "llvm/ADT/DenseMap.h"

#include <cstdlib>
#include <mutex>

using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;

namespace {
struct Ledger {
  std::mutex mutex;
  llvm::DenseMap<void *, size_t> sizes;
  MemoryStats stats;

  void *record(void *p, size_t size) {
    if (!p)
      return p;
    std::lock_guard<std::mutex> lock(mutex);
    sizes[p] = size;
    stats.currentBytes += size;
    ++stats.numAllocations;
    if (stats.currentBytes > stats.peakBytes)
      stats.peakBytes = stats.currentBytes;
    return p;
  }
  void forget(void *p) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = sizes.find(p);
    if (it == sizes.end())
      return;
    stats.currentBytes -= it->second;
    sizes.erase(it);
  }
};

Ledger &getLedger() {
  static Ledger *ledger = new Ledger; // never destroyed: JIT code may run late
  return *ledger;
}
} // namespace

MemoryStats mlir::zo::rt::getMemoryStats() {
  Ledger &l = getLedger();
  std::lock_guard<std::mutex> lock(l.mutex);
  return l.stats;
}

void mlir::zo::rt::resetPeakMemory() {
  Ledger &l = getLedger();
  std::lock_guard<std::mutex> lock(l.mutex);
  l.stats.peakBytes = l.stats.currentBytes;
  l.stats.numAllocations = 0;
}

extern "C" void *_mlir_memref_to_llvm_alloc(size_t size) {
  return getLedger().record(std::malloc(size ? size : 1), size);
}

extern "C" void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                    size_t size) {
  void *p = nullptr;
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  if (posix_memalign(&p, alignment, size ? size : 1) != 0)
    return nullptr;
  return getLedger().record(p, size);
}

extern "C" void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  getLedger().forget(ptr);
  std::free(ptr);
}
