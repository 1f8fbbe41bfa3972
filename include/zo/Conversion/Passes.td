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
      table with `tensor.extract`, `graph.scatter_add` an `scf.forall` over
      the table's columns, each adding the index positions' values into
      its column in order in an `scf.for`;
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
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertTrainToLinalg : Pass<"convert-train-to-linalg"> {
  let summary = "Lower train noise ops to linalg on tensors (Philox4x32-10 as arith ops)";
  let description = [{
    Rewrites `train.normal` and `train.add_noise` into one all-parallel
    `linalg.generic` each. The noise is computed inside the generic's body
    from `linalg.index`: Philox4x32-10 (key = the seed's two 32-bit halves,
    counter = (block lo, block hi, param_id, stream); element e is word
    (e / 16) mod 4 of block 16 (e / 64) + e mod 16)
    as `arith.mului_extended` / `arith.xori` rounds, then Box-Muller with
    `math.log`, `math.sqrt` and sin/cos polynomials (`math.fma`). Nothing is
    stored: the generic fuses into whatever consumes the noise, and
    `python/zo/philox.py` is the bit-exact reference. Seed and alpha are
    `tensor.extract`ed before the generic (a load inside the loop nest could
    alias its stores and keep LLVM from hoisting the Philox call).

    When the innermost dimension (or the product of the fewest trailing
    dimensions) is a multiple of 64 the generic iterates over
    `[..., d / 64, 16, 4]` and reads and writes its tensors as
    `[..., d / 64, 4, 16]` (an `expand_shape` of the input, a
    `collapse_shape` of the result, indexing maps that swap the last two
    dimensions): the Philox call and the block's four normals then depend
    only on the outer indices, so LLVM hoists them out of the 4-lane loop,
    unrolls it, and vectorizes the 16-block loop with one contiguous store
    per word. The lane's `arith.index_castui` carries `zo.noise_lane`, by
    which `zo-fuse-elementwise` moves the lane loop back innermost after
    fusing a consumer. Otherwise each element recomputes its block's Philox
    call (correct, about four times slower).

    The uniform is `u = ((w >> 8) + 0.5) 2^-24`. In f32 that value rounds
    for `u >= 1/2`; the rounding error is added back to `log(u)` so `r` stays
    accurate when `u` is close to 1, and `t = 2 pi u` is reduced to the
    nearest quadrant in integer arithmetic, so sin/cos are polynomials on
    (-pi/4, pi/4) without range reduction; normals match the float64
    reference to a few f32 ulps.

    A mask operand (gradient-sparse ZO) adds, per element, 24 rounds of a
    keyed swap-or-not permutation of the mask's domain (branch-free i32
    arithmetic; the round keys are Philox calls before the generic) and a
    select of 0 for the dropped elements: exactly `floor(s n)` of them,
    nothing stored (`SparseMask.cpp`, `python/zo/sparse_mask.py`). A masked
    op iterates over the tensor's own shape, never the blocked one: LLVM
    does not unroll the 4-lane loop around a body that large, and would
    leave it scalar.

    Example:

    ```mlir
    %z = train.normal %seed {param_id = 3 : i64} : tensor<i64> -> tensor<8x16xf32>
    ```

    becomes a generic over `2x16x4` (the two dims merge: 16 is not a
    multiple of 64, 8 x 16 is) writing `2x4x16`, collapsed back:

    ```mlir
    %s = tensor.extract %seed[] : tensor<i64>
    %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2, d1)>],
                         iterator_types = ["parallel", "parallel", "parallel"]}
        outs(%e : tensor<2x4x16xf32>) {
    ^bb0(%out: f32):
      %run = linalg.index 0 : index
      %i = linalg.index 1 : index
      %lane = linalg.index 2 : index
      ...   // block = run * 16 + i; ten Philox rounds; four normals; select %lane
      linalg.yield %z : f32
    } -> tensor<2x4x16xf32>
    %c = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x4x16xf32> into tensor<128xf32>
    %z = tensor.expand_shape %c [[0, 1]] output_shape [8, 16] : tensor<128xf32> into tensor<8x16xf32>
    ```
  }];
  let options = [
    Option<"testEmitWords", "test-emit-words", "bool", /*default=*/"false",
           "Test only: train.normal yields each element's raw Philox word "
           "(bitcast to f32) instead of a normal, to compare words exactly">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ZO_CONVERSION_PASSES_TD
