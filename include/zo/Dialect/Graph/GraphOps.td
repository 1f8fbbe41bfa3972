//===- GraphOps.td - the zo graph dialect ------------------*- tablegen -*-===//
//
// High-level tensor ops, one per ONNX operator family, on statically shaped
// ranked tensors. The importer produces this dialect; the training passes and
// the lowering to linalg consume it.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_DIALECT_GRAPH_GRAPHOPS_TD
#define ZO_DIALECT_GRAPH_GRAPHOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::mlir::zo::graph";
  let summary = "Tensor-level graph ops imported from ONNX transformer models";
  let description = [{
    The `graph` dialect holds a model's forward computation as high-level
    tensor ops (matmul, layer_norm, softmax, gelu, gather, ...). Operands and
    results are ranked tensors; after import every shape is static. Shape
    arithmetic that ONNX expresses with tensors (Shape, Gather, Concat,
    Unsqueeze on shape vectors, Range, ConstantOfShape) folds to constants, and
    operator configuration that ONNX passes as constant inputs (Reshape's
    shape, Slice's starts, ReduceMean's axes, ...) is carried as attributes.

    Each op keeps the ONNX node's name in its location, so diagnostics from
    any later stage point back at the node of the original model.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let usePropertiesForAttributes = 1;
}

class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Constants and shape computation
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor (ONNX Constant, integer initializers, folded shape arithmetic)";
  let description = [{
    Produces a constant tensor. Small values are held as dense elements;
    frozen weights are held as `dense_resource` blobs so the IR stays readable.

    ```mlir
    %0 = graph.constant dense<[2, 8, 4, 8]> : tensor<4xi64>
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Graph_ShapeOp : Graph_Op<"shape", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Shape: the (static) shape of a tensor as a 1-D i64 tensor";
  let description = [{
    `start` and `end` select a slice of the dimensions as in ONNX Shape-15.
    Always folds to a constant because shapes are static.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs 1DTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Graph_ConstantOfShapeOp : Graph_Op<"constant_of_shape", [Pure]> {
  let summary = "ONNX ConstantOfShape: a tensor of the result shape filled with one value";
  let description = [{
    The shape operand must be a constant when the op is built (it always is
    after import); the op folds to a splat constant.
  }];
  let arguments = (ins 1DTensorOf<[I64]>:$shape, TypedAttrInterface:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$shape attr-dict `:` type($shape) `->` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Graph_RangeOp : Graph_Op<"range", [Pure]> {
  let summary = "ONNX Range: start, start + delta, ... up to (excluding) limit";
  let description = [{
    The result length depends on the operand values, so it is given by the
    result type; the op folds when start, limit and delta are constants.
  }];
  let arguments = (ins AnyRankedTensor:$start, AnyRankedTensor:$limit,
                       AnyRankedTensor:$delta);
  let results = (outs 1DTensorOf<[AnyType]>:$output);
  let assemblyFormat = "$start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

class Graph_UnaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
                                              Elementwise])> {
  let summary = "ONNX " # onnxName # ", elementwise";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_NegOp : Graph_UnaryOp<"neg", "Neg"> { let hasFolder = 1; }
def Graph_AbsOp : Graph_UnaryOp<"abs", "Abs">;
def Graph_ExpOp : Graph_UnaryOp<"exp", "Exp">;
def Graph_LogOp : Graph_UnaryOp<"log", "Log">;
def Graph_SqrtOp : Graph_UnaryOp<"sqrt", "Sqrt"> { let hasFolder = 1; }
def Graph_ReciprocalOp : Graph_UnaryOp<"reciprocal", "Reciprocal">;
def Graph_ErfOp : Graph_UnaryOp<"erf", "Erf">;
def Graph_TanhOp : Graph_UnaryOp<"tanh", "Tanh">;
def Graph_SigmoidOp : Graph_UnaryOp<"sigmoid", "Sigmoid">;
def Graph_ReluOp : Graph_UnaryOp<"relu", "Relu">;
def Graph_SinOp : Graph_UnaryOp<"sin", "Sin">;
def Graph_CosOp : Graph_UnaryOp<"cos", "Cos">;
def Graph_NotOp : Graph_UnaryOp<"not", "Not"> { let hasFolder = 1; }
def Graph_IdentityOp : Graph_UnaryOp<"identity", "Identity"> {
  let hasFolder = 1;
}
def Graph_SiluOp : Graph_UnaryOp<"silu", "x * Sigmoid(x) (recognized composite)">;

def Graph_GeluOp : Graph_Op<"gelu", [Pure, SameOperandsAndResultType, Elementwise]> {
  let summary = "ONNX Gelu-20 (also recognized from its erf and tanh decompositions)";
  let description = [{
    `approximate = "none"`: x * 0.5 * (1 + erf(x / sqrt(2))).
    `approximate = "tanh"`: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_DropoutOp : Graph_Op<"dropout", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX Dropout in inference mode: the identity";
  let description = [{
    Kept as an op so the imported graph mirrors the model; the specialization
    patterns replace it by its input.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.5">:$ratio);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_CastOp : Graph_Op<"cast", [Pure, SameOperandsAndResultShape, Elementwise]> {
  let summary = "ONNX Cast: element type conversion";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

// Binary ops broadcast their operands numpy-style.
class Graph_BinaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let summary = "ONNX " # onnxName # ", elementwise with numpy broadcasting";
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_AddOp : Graph_BinaryOp<"add", "Add", [Commutative]>;
def Graph_SubOp : Graph_BinaryOp<"sub", "Sub">;
def Graph_MulOp : Graph_BinaryOp<"mul", "Mul", [Commutative]>;
def Graph_DivOp : Graph_BinaryOp<"div", "Div">;
def Graph_PowOp : Graph_BinaryOp<"pow", "Pow">;
def Graph_MaxOp : Graph_BinaryOp<"max", "Max (two operands)", [Commutative]>;
def Graph_MinOp : Graph_BinaryOp<"min", "Min (two operands)", [Commutative]>;
def Graph_AndOp : Graph_BinaryOp<"and", "And", [Commutative]>;
def Graph_OrOp : Graph_BinaryOp<"or", "Or", [Commutative]>;
def Graph_EqualOp : Graph_BinaryOp<"equal", "Equal (result i1)", [Commutative]>;
def Graph_LessOp : Graph_BinaryOp<"less", "Less (result i1)">;
def Graph_LessOrEqualOp : Graph_BinaryOp<"less_equal", "LessOrEqual (result i1)">;
def Graph_GreaterOp : Graph_BinaryOp<"greater", "Greater (result i1)">;
def Graph_GreaterOrEqualOp : Graph_BinaryOp<"greater_equal", "GreaterOrEqual (result i1)">;

def Graph_WhereOp : Graph_Op<"where", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Where: select between two tensors, with broadcasting";
  let arguments = (ins AnyRankedTensor:$condition, AnyRankedTensor:$lhs,
                       AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX MatMul: numpy matmul (batch broadcasting, 1-D promotion)";
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Graph_GemmOp : Graph_Op<"gemm", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins 2DTensorOf<[AnyFloat]>:$a, 2DTensorOf<[AnyFloat]>:$b,
                       Optional<AnyRankedTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$transA,
                       DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs 2DTensorOf<[AnyFloat]>:$output);
  let assemblyFormat = "$a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Normalization and activation over an axis
//===----------------------------------------------------------------------===//

def Graph_SoftmaxOp : Graph_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX Softmax-13 along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_LogSoftmaxOp : Graph_Op<"log_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX LogSoftmax-13 along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_LayerNormOp : Graph_Op<"layer_norm", [Pure,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "ONNX LayerNormalization-17 (also recognized from its decomposition)";
  let description = [{
    Normalizes over the dimensions `axis..rank-1`:
    `(x - mean) / sqrt(var + epsilon) * scale + bias`.

    `stats` is empty or ONNX's optional outputs Mean and InvStdDev: the
    per-row mean and `1 / sqrt(var + epsilon)`, in the input's shape with
    the normalized dimensions 1, and in the precision the statistics are
    computed in (f32 for narrower floats). The reverse-mode driver asks for
    them (the backward pass then reads them instead of recomputing them
    from the input; docs/autodiff.md); the importer does not.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       Optional<AnyRankedTensor>:$bias,
                       I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs AnyRankedTensor:$output,
                      Variadic<AnyRankedTensor>:$stats);
  let assemblyFormat = "$input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let builders = [
    // Without statistics (the single-result form the importer and the
    // composite recognition build).
    OpBuilder<(ins "Type":$output, "Value":$input, "Value":$scale,
                   "Value":$bias, "IntegerAttr":$axis,
                   "FloatAttr":$epsilon), [{
      build($_builder, $_state, output, TypeRange(), input, scale, bias,
            axis, epsilon);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The type of the normalized result.
    ::mlir::RankedTensorType getType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
    /// The types `stats` must have for `input` normalized from `axis` on.
    static ::llvm::SmallVector<::mlir::Type, 2>
    getStatsTypes(::mlir::RankedTensorType input, int64_t axis);
  }];
}

def Graph_RmsNormOp : Graph_Op<"rms_norm", [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "RMSNorm (recognized composite; ONNX RMSNormalization-23)";
  let description = [{
    `x / sqrt(mean(x^2 over axis..rank-1) + epsilon) * scale`.

    `stats` is empty or one result, the per-row inverse root mean square
    `1 / sqrt(mean(x^2) + epsilon)`, in the input's shape with the
    normalized dimensions 1, and in the precision it is computed in (f32
    for narrower floats). The reverse-mode driver asks for it (the backward
    pass then reads it instead of recomputing `mean(x^2)`;
    docs/autodiff.md); the importer does not.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs AnyRankedTensor:$output,
                      Variadic<AnyRankedTensor>:$stats);
  let assemblyFormat = "$input `,` $scale attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let builders = [
    // Without statistics (the single-result form the importer and the
    // composite recognition build).
    OpBuilder<(ins "Type":$output, "Value":$input, "Value":$scale,
                   "IntegerAttr":$axis, "FloatAttr":$epsilon), [{
      build($_builder, $_state, output, TypeRange(), input, scale, axis,
            epsilon);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The type of the normalized result.
    ::mlir::RankedTensorType getType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
    /// The types `stats` must have for `input` normalized from `axis` on.
    static ::llvm::SmallVector<::mlir::Type, 2>
    getStatsTypes(::mlir::RankedTensorType input, int64_t axis);
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Graph_ReduceOp<string mnemonic, string onnxName>
    : Graph_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX " # onnxName # " over the listed axes";
  let description = [{
    `axes` are non-negative and sorted (the importer normalizes them; an
    empty list reduces every dimension). `keepdims` keeps reduced dimensions
    as size 1.
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Graph_ReduceSumOp : Graph_ReduceOp<"reduce_sum", "ReduceSum">;
def Graph_ReduceMeanOp : Graph_ReduceOp<"reduce_mean", "ReduceMean">;
def Graph_ReduceMaxOp : Graph_ReduceOp<"reduce_max", "ReduceMax">;
def Graph_ReduceMinOp : Graph_ReduceOp<"reduce_min", "ReduceMin">;
def Graph_ReduceProdOp : Graph_ReduceOp<"reduce_prod", "ReduceProd">;

def Graph_CumSumOp : Graph_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX CumSum along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Graph_TransposeOp : Graph_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Transpose";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Graph_ReshapeOp : Graph_Op<"reshape", [Pure]> {
  let summary = "ONNX Reshape (the target shape is the static result type)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graph_FlattenOp : Graph_Op<"flatten", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Flatten: collapse to 2-D at `axis`";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
  // Folds constants (shape vectors) so shape arithmetic stays constant.
  let hasFolder = 1;
}

def Graph_SqueezeOp : Graph_Op<"squeeze", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Squeeze: drop the listed size-1 dimensions";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
  // Folds constants (shape vectors) so shape arithmetic stays constant.
  let hasFolder = 1;
}

def Graph_UnsqueezeOp : Graph_Op<"unsqueeze", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Unsqueeze: insert size-1 dimensions at the listed output axes";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
  // Folds constants (shape vectors) so shape arithmetic stays constant.
  let hasFolder = 1;
}

def Graph_ExpandOp : Graph_Op<"expand", [Pure]> {
  let summary = "ONNX Expand: broadcast to the static result shape";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Gather along `axis` (embedding lookup, index selection)";
  let description = [{
    Negative indices count from the end of the axis, as in ONNX.
  }];
  let arguments = (ins AnyRankedTensor:$data, TensorOf<[I32, I64]>:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_ScatterAddOp : Graph_Op<"scatter_add", [Pure,
    AllTypesMatch<["data", "output"]>]> {
  let summary = "gather's transpose: add slices of `updates` into `data` at `indices` along `axis`";
  let description = [{
    `output = data`, then for every index position `i` (all of `indices`'
    dimensions, in row-major order):
    `output[a.., wrap(indices[i]), b..] += updates[a.., i.., b..]`, the same
    as `np.add.at(output, (a.., indices, b..), updates)` and as
    `torch.index_add`. `updates` has gather's result shape for `data`,
    `indices` and `axis`: `data.shape[:axis] + indices.shape +
    data.shape[axis+1:]`. A repeated index sums all its slices.

    Indices: as in `graph.gather`, a negative index counts from the end of
    the axis (`-1` is the last row). An index still outside `[0, n)` after
    that wrapping selects no row: its slice is skipped (where gather's read
    would be undefined, a write must not touch memory outside `output`).
    The verifier rejects such an index when `indices` is a constant, as the
    importer does for Gather.

    Order: every target adds a row's contributions in the order of the
    index positions, so results are deterministic and the same on the CPU
    and the GPU. The reverse-mode rule of `graph.gather` uses this op with
    zero `data` (the embedding table's gradient).

    ```mlir
    %g = graph.scatter_add %zeros, %ids, %dy {axis = 0 : i64}
        : (tensor<50257x768xf32>, tensor<1x128xi64>, tensor<1x128x768xf32>) -> tensor<50257x768xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$data,
                       RankedTensorOf<[I32, I64]>:$indices,
                       RankedTensorOf<[AnyFloat]>:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs RankedTensorOf<[AnyFloat]>:$output);
  let assemblyFormat = "$data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_ConcatOp : Graph_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Concat along `axis`";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_SliceOp : Graph_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Slice with one normalized (start, end, step) per dimension";
  let description = [{
    `starts`, `ends` and `steps` have one entry per dimension and are already
    clamped as ONNX specifies, so the result extent of dimension d is
    `max(0, ceil((ends[d] - starts[d]) / steps[d]))`. A negative step walks
    backwards; its `end` may be -1 (before the first element).
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Graph_SplitOp : Graph_Op<"split", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Split along `axis` into pieces of the given sizes";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($outputs)";
}

def Graph_TriluOp : Graph_Op<"trilu", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX Trilu: keep the upper (or lower) triangle of the last two dims";
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$upper,
                       DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def Graph_SoftmaxCrossEntropyLossOp : Graph_Op<"softmax_cross_entropy_loss",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "ONNX SoftmaxCrossEntropyLoss over class dimension 1";
  let description = [{
    `scores` is [N, C] or [N, C, d1, ...], `labels` is [N] or [N, d1, ...].
    `reduction` is "mean" (weighted by the non-ignored targets), "sum" or
    "none". Targets equal to `ignore_index` contribute nothing.

    `log_sum_exp` is empty or one result: `log(sum_c exp(scores[n, c, ...]))`
    per target, in the scores' shape with the class dimension 1 and in the
    precision it is computed in (f32 for narrower floats), computed as
    `max + log(sum(exp(scores - max)))`. It is not ONNX's optional
    `log_prob` output (the importer builds that as a `log_softmax`): the
    reverse-mode driver asks for it, and the backward pass then gets the
    softmax as `exp(scores - log_sum_exp)`, one elementwise pass, instead of
    reducing the `[N, C]` scores again (docs/autodiff.md).
  }];
  let arguments = (ins AnyRankedTensor:$scores, TensorOf<[I32, I64]>:$labels,
                       Optional<AnyRankedTensor>:$weights,
                       DefaultValuedStrAttr<StrAttr, "mean">:$reduction,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs AnyRankedTensor:$loss,
                      Variadic<AnyRankedTensor>:$log_sum_exp);
  let assemblyFormat = "$scores `,` $labels (`,` $weights^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The type `log_sum_exp` must have for `scores`.
    static ::mlir::RankedTensorType
    getLogSumExpType(::mlir::RankedTensorType scores);
  }];
}

def Graph_NegativeLogLikelihoodLossOp : Graph_Op<"nll_loss",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX NegativeLogLikelihoodLoss over class dimension 1";
  let description = [{
    Same conventions as `softmax_cross_entropy_loss`, but `input` already
    holds log-probabilities.
  }];
  let arguments = (ins AnyRankedTensor:$input, TensorOf<[I32, I64]>:$target,
                       Optional<AnyRankedTensor>:$weights,
                       DefaultValuedStrAttr<StrAttr, "mean">:$reduction,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs AnyRankedTensor:$loss);
  let assemblyFormat = "$input `,` $target (`,` $weights^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // ZO_DIALECT_GRAPH_GRAPHOPS_TD
