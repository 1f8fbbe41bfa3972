//===- BufferRoots.h - the buffer a memref value views --------*- C++ -*-===//
//
// Passes that reason about which buffers an op touches (the traffic model,
// launch merging) trace each memref value through its views (reshapes,
// subviews, casts: ViewLikeOpInterface) to the value that owns the memory:
// a function argument, an allocation or a global.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_ANALYSIS_BUFFERROOTS_H
#define ZO_ANALYSIS_BUFFERROOTS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Value.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::zo {

/// The buffer `v` is a view of (`v` itself when it is not a view).
inline Value getBufferRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view || view.getViewSource() == v)
      break;
    v = view.getViewSource();
  }
  return v;
}

/// Whether the buffer root `root` is memory no other root aliases: a function
/// argument (distinct buffers by the ABI), what an op allocates (memref.alloc,
/// alloca, gpu.alloc: anything with an Allocate effect on it) or a global.
inline bool isDistinctBuffer(Value root) {
  if (isa<BlockArgument>(root))
    return true;
  Operation *def = root.getDefiningOp();
  return def && (isa<memref::GetGlobalOp>(def) ||
                 hasEffect<MemoryEffects::Allocate>(def, root));
}

} // namespace mlir::zo

#endif // ZO_ANALYSIS_BUFFERROOTS_H
