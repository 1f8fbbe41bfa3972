//===- MemoryAccounting.cpp - bytes allocated by compiled code ------------===//
//
// free() does not say how big a block was, so each pointer's size is kept in
// a map; a mutex is cheap next to the buffers compiled code allocates.
//
// Large freed blocks are kept for reuse by the next allocation of the same
// size (the next layer's buffer of that shape, or the next call): malloc
// maps each multi-megabyte block fresh from the kernel and unmaps it on
// free, so every call would pay a page fault (and a page clear) per 4 KiB
// touched: 543K faults, about 1 s, per GPT-2-small forward at 1024 tokens.
// The cache holds at most as many bytes as the largest live working set
// seen, so the process's memory stays within twice the peak that
// getMemoryStats() reports (cached blocks are not live: they do not count).
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/MemoryAccounting.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;

namespace {
/// Blocks at least this large are reused rather than freed.
constexpr size_t kMinCachedBytes = size_t(1) << 20;

struct Ledger {
  std::mutex mutex;
  struct Block {
    size_t size;
    /// Came from malloc: reusable by size.
    bool fromMalloc;
    /// Allocation order, for MemoryStats::liveAtPeak.
    uint64_t serial;
  };
  /// Live blocks.
  llvm::DenseMap<void *, Block> sizes;
  uint64_t nextSerial = 0;
  MemoryStats stats;
  /// Largest currentBytes ever (never reset): the cache's capacity.
  int64_t highWater = 0;
  /// Freed malloc blocks by exact size, and their total.
  std::map<size_t, std::vector<void *>> cache;
  int64_t cachedBytes = 0;

  void *record(void *p, size_t size, bool fromMalloc) {
    if (!p)
      return p;
    std::lock_guard<std::mutex> lock(mutex);
    sizes[p] = {size, fromMalloc, nextSerial++};
    stats.currentBytes += size;
    ++stats.numAllocations;
    if (stats.currentBytes > stats.peakBytes) {
      stats.peakBytes = stats.currentBytes;
      snapshotLiveBlocks();
    }
    if (stats.currentBytes > highWater)
      highWater = stats.currentBytes;
    return p;
  }

  /// Records the live blocks' sizes as stats.liveAtPeak (a new peak is
  /// rare once the first call has run, and a few dozen blocks are live).
  void snapshotLiveBlocks() {
    std::vector<std::pair<uint64_t, int64_t>> live;
    live.reserve(sizes.size());
    for (const auto &entry : sizes)
      live.emplace_back(entry.second.serial,
                        static_cast<int64_t>(entry.second.size));
    llvm::sort(live);
    stats.liveAtPeak.clear();
    for (auto [serial, size] : live)
      stats.liveAtPeak.push_back(size);
  }

  /// A cached block of exactly `size` bytes, or null.
  void *reuse(size_t size) {
    if (size < kMinCachedBytes)
      return nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(size);
    if (it == cache.end())
      return nullptr;
    void *p = it->second.back();
    it->second.pop_back();
    if (it->second.empty())
      cache.erase(it);
    cachedBytes -= static_cast<int64_t>(size);
    return p;
  }

  /// Stops counting `p`; returns true if it was cached (the caller must
  /// not free it).
  bool forget(void *p) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = sizes.find(p);
    if (it == sizes.end())
      return false;
    size_t size = it->second.size;
    bool fromMalloc = it->second.fromMalloc;
    stats.currentBytes -= size;
    sizes.erase(it);
    if (!fromMalloc || size < kMinCachedBytes ||
        cachedBytes + static_cast<int64_t>(size) > highWater)
      return false;
    cache[size].push_back(p);
    cachedBytes += static_cast<int64_t>(size);
    return true;
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
  l.snapshotLiveBlocks();
}

extern "C" void *_mlir_memref_to_llvm_alloc(size_t size) {
  Ledger &l = getLedger();
  void *p = l.reuse(size);
  return l.record(p ? p : std::malloc(size ? size : 1), size,
                  /*fromMalloc=*/true);
}

extern "C" void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                    size_t size) {
  void *p = nullptr;
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  if (posix_memalign(&p, alignment, size ? size : 1) != 0)
    return nullptr;
  return getLedger().record(p, size, /*fromMalloc=*/false);
}

extern "C" void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  if (!getLedger().forget(ptr))
    std::free(ptr);
}
