//===- Passes.td - conversions out of the graph dialect ------*- tablegen -*-===//
//
// Passes that lower the zo `graph` dialect to upstream dialects: today the
// lowering to linalg on tensors that every backend starts from.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_CONVERSION_PASSES_TD
#define ZO_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg"> {
  let summary = "Lower graph ops to linalg on tensors (plus tensor, arith and math)";
  let description = [{
    A full dialect conversion: afterwards no `graph` op is left, and the pass
    fails with a diagnostic at the location (ONNX node) of the first op it
    cannot lower. Every shape must be static.

    The output is shaped for the later fusion and BLAS stages:

    * elementwise ops (unary, binary, `where`, `cast`, `gelu`, `silu`,
      `expand`, ...) become one `linalg.generic` with only parallel
      iterators. Numpy broadcasting is expressed in the indexing maps (a
      broadcast size-1 dimension reads index 0, a missing leading dimension
      is dropped), never by materializing a broadcast tensor, so
      `linalg-fuse-elementwise-ops` fuses whole chains;
    * reductions, softmax, normalizations and losses become `linalg.generic`
      ops with reduction iterators that accumulate in f32 when the element
      type is a narrower float; softmax subtracts the row maximum;
    * `graph.matmul` and `graph.gemm` become exactly `linalg.matmul` or
      `linalg.batch_matmul` (batch dimensions are collapsed, or folded into M
      when only the left operand is batched); Gemm's transposes are
      `indexing_maps` on `linalg.matmul`, its `C` is the accumulator;
    * views (reshape, flatten, squeeze, unsqueeze) become
      `tensor.collapse_shape` / `tensor.expand_shape`, transposes
      `linalg.transpose`, slices `tensor.extract_slice`, concatenation a chain
      of `tensor.insert_slice`, gathers a `linalg.generic` that reads the
      table with `tensor.extract`;
    * `math.exp`, `math.erf`, `math.tanh`, ... are kept as math ops so each
      backend chooses its own approximation.

    Example:

    ```mlir
    %0 = graph.add %x, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```

    becomes

    ```mlir
    %e = tensor.empty() : tensor<4x8xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
    ^bb0(%a: f32, %c: f32, %out: f32):
      %s = arith.addf %a, %c : f32
      linalg.yield %s : f32
    } -> tensor<4x8xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ZO_CONVERSION_PASSES_TD
