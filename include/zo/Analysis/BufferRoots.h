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

#include "mlir/IR/Value.h"
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

} // namespace mlir::zo

#endif // ZO_ANALYSIS_BUFFERROOTS_H
