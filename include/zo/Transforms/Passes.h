//===- Passes.h - graph-level transformations -------------------*- C++ -*-===//
//
// Composite recognition and the graph-stage contract verifier, as passes and
// as reusable pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRANSFORMS_PASSES_H
#define ZO_TRANSFORMS_PASSES_H

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace zo {

#define GEN_PASS_DECL
#include "zo/Transforms/Passes.h.inc"

/// Patterns fusing decomposed LayerNorm, RMSNorm, GELU and SiLU chains.
void populateRecognizeCompositePatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "zo/Transforms/Passes.h.inc"

} // namespace zo
} // namespace mlir

#endif // ZO_TRANSFORMS_PASSES_H
