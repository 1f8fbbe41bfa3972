//===- Passes.td - graph-level transformations --------------*- tablegen -*-===//
//
// Passes that specialize an imported graph before any training rewrite:
// composite recognition and the graph-stage contract.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRANSFORMS_PASSES_TD
#define ZO_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecognizeComposites : Pass<"zo-recognize-composites"> {
  let summary = "Fuse decomposed LayerNorm, RMSNorm, GELU and SiLU into single ops";
  let description = [{
    Exporters often spell normalization and activations as chains of
    primitive ops: LayerNorm before opset 17 as
    `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * g + b`, RMSNorm as
    `x * reciprocal(sqrt(mean(x^2) + eps)) * w`, GELU as
    `x * 0.5 * (1 + erf(x / sqrt(2)))` or its tanh approximation, SiLU as
    `x * sigmoid(x)`. This pass recognizes each chain (in any operand order)
    and replaces it by `graph.layer_norm`, `graph.rms_norm`, `graph.gelu` or
    `graph.silu`, so that later stages see one op with one lowering and one
    derivative rule. Chains whose intermediate values have other users are
    left alone.
  }];
  let dependentDialects = ["::mlir::zo::graph::GraphDialect"];
}

def VerifyGraphContract : Pass<"zo-verify-graph-contract", "::mlir::ModuleOp"> {
  let summary = "Check what the graph stage promises to the training and lowering passes";
  let description = [{
    After import and specialization, every tensor is statically shaped,
    only `graph`, `func` and builtin ops remain, shape computations
    (`graph.shape`, `graph.range`, `graph.constant_of_shape`) have been folded
    away, and the entry function carries a `zo.name` and `zo.role` for
    each argument. Fails with a diagnostic at the first violation.
  }];
}

#endif // ZO_TRANSFORMS_PASSES_TD
