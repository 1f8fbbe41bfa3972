//===- ImportInternal.h - shared pieces of the ONNX importer ----*- C++ -*-===//
//
// What the model loader, the graph builder and the per-family node
// converters share: tensor decoding, the node context a converter works in,
// and the converter table. Not installed; only lib/Import includes it.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_IMPORT_IMPORTINTERNAL_H
#define ZO_LIB_IMPORT_IMPORTINTERNAL_H

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Import/OnnxImporter.h"
#include "zo/Import/OnnxModel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx_pb.h"

#include <list>

namespace mlir::zo::import {

//===----------------------------------------------------------------------===//
// Tensor decoding (TensorDecoding.cpp)
//===----------------------------------------------------------------------===//

/// Turns TensorProtos into packed bytes. Copies are made only when the proto
/// does not hold raw little-endian bytes; external files are mapped once.
class TensorDecoder {
public:
  explicit TensorDecoder(std::string baseDir) : baseDir(std::move(baseDir)) {}
  /// Decodes `tensor`; `what` names it in error messages.
  llvm::Expected<InitializerData> decode(const onnx::TensorProto &tensor);

private:
  llvm::Expected<ArrayRef<char>> readExternal(const onnx::TensorProto &tensor,
                                              int64_t expectedBytes);

  std::string baseDir;
  std::list<std::vector<char>> owned;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> files;
};

/// The MLIR element type of a supported ONNX dtype, null otherwise.
Type getElementType(MLIRContext *ctx, int32_t dtype);

/// Builds the attribute of a constant: dense elements when small (or bool),
/// a `dense_resource` blob named `blobName` otherwise.
ElementsAttr makeConstantAttr(const InitializerData &data,
                              RankedTensorType type, bool preferDense,
                              StringRef blobName);

//===----------------------------------------------------------------------===//
// Node conversion
//===----------------------------------------------------------------------===//

/// Everything a converter needs for one node: its operands (already mapped to
/// values), its attributes, a builder positioned in @forward and the place to
/// put its results. Errors are emitted at the node's location; the graph
/// builder prefixes them with the node and op.
class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, int64_t opset, OpBuilder &builder,
              Location loc, SmallVector<Value> inputs, TensorDecoder &decoder)
      : node(node), opset(opset), b(builder), loc(loc),
        inputs(std::move(inputs)), decoder(decoder),
        results(node.output_size()) {}

  const onnx::NodeProto &node;
  /// Version of the default domain the model imports.
  const int64_t opset;
  OpBuilder &b;
  const Location loc;

  // -- operands ------------------------------------------------------------
  unsigned getNumInputs() const { return inputs.size(); }
  /// The i-th operand, null when absent (missing or named "").
  Value input(unsigned i) const { return i < inputs.size() ? inputs[i] : Value(); }
  /// The i-th operand; emits an error naming it if absent.
  FailureOr<Value> requiredInput(unsigned i, StringRef what);
  RankedTensorType inputType(unsigned i) const {
    return cast<RankedTensorType>(input(i).getType());
  }

  /// Integer values of a constant operand (after folding); emits an error
  /// naming `what` when it is not a constant.
  FailureOr<SmallVector<int64_t>> constInts(unsigned i, StringRef what);
  FailureOr<SmallVector<double>> constFloats(unsigned i, StringRef what);
  /// Values of a constant operand, or nullopt when it is not constant.
  std::optional<SmallVector<int64_t>> tryConstInts(Value v);

  // -- attributes ----------------------------------------------------------
  const onnx::AttributeProto *getAttr(StringRef name) const;
  bool hasAttr(StringRef name) const { return getAttr(name) != nullptr; }
  int64_t attrInt(StringRef name, int64_t dflt) const;
  float attrFloat(StringRef name, float dflt) const;
  std::string attrString(StringRef name, StringRef dflt) const;
  SmallVector<int64_t> attrInts(StringRef name) const;
  /// A tensor-valued attribute decoded into an attribute of its own type.
  FailureOr<ElementsAttr> attrTensor(StringRef name);

  // -- results -------------------------------------------------------------
  unsigned getNumOutputs() const { return results.size(); }
  /// True when the node names its i-th output (optional outputs may be "").
  bool hasOutput(unsigned i) const {
    return (int)i < node.output_size() && !node.output(i).empty();
  }
  void setResult(unsigned i, Value v) { results[i] = v; }
  ArrayRef<Value> getResults() const { return results; }

  /// Emits an error at the node; always returns failure.
  LogicalResult error(const Twine &message);

  /// Normalizes a possibly negative axis against `rank`, or emits an error.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank, StringRef what);

  /// Creates `OpTy` with `resultTypes` (empty: inferred) and the remaining
  /// builder arguments, verifies it and folds it. Inference and verification
  /// failures are diagnosed at the node instead of aborting.
  template <typename OpTy, typename... Args>
  FailureOr<SmallVector<Value>> build(TypeRange resultTypes, Args &&...args) {
    return buildImpl<OpTy>(/*fold=*/true, resultTypes,
                           std::forward<Args>(args)...);
  }

  /// Like create(), without folding: for ops kept to mirror the model
  /// (Identity, inference Dropout) that later stages remove.
  template <typename OpTy, typename... Args>
  FailureOr<Value> createUnfolded(Args &&...args) {
    FailureOr<SmallVector<Value>> r = buildImpl<OpTy>(
        /*fold=*/false, TypeRange(), std::forward<Args>(args)...);
    if (failed(r))
      return failure();
    return r->front();
  }

  template <typename OpTy, typename... Args>
  FailureOr<SmallVector<Value>> buildImpl(bool fold, TypeRange resultTypes,
                                          Args &&...args) {
    OperationState state(loc, OpTy::getOperationName());
    OpTy::build(b, state, resultTypes, std::forward<Args>(args)...);
    if (resultTypes.empty()) {
      if constexpr (OpTy::template hasTrait<InferTypeOpInterface::Trait>()) {
        SmallVector<Type> inferred;
        if (failed(OpTy::inferReturnTypes(
                b.getContext(), loc, state.operands,
                state.attributes.getDictionary(b.getContext()),
                state.getRawProperties(), state.regions, inferred)))
          return failure();
        state.addTypes(inferred);
      } else {
        return error(Twine("internal: ") + OpTy::getOperationName() +
                     " needs explicit result types");
      }
    }
    return finish(b.create(state), fold);
  }

  /// Single-result shorthand of build() with inferred result type.
  template <typename OpTy, typename... Args>
  FailureOr<Value> create(Args &&...args) {
    FailureOr<SmallVector<Value>> r =
        build<OpTy>(TypeRange(), std::forward<Args>(args)...);
    if (failed(r))
      return failure();
    return r->front();
  }
  /// Single-result shorthand of build() with an explicit result type.
  template <typename OpTy, typename... Args>
  FailureOr<Value> createTyped(Type type, Args &&...args) {
    FailureOr<SmallVector<Value>> r =
        build<OpTy>(TypeRange(type), std::forward<Args>(args)...);
    if (failed(r))
      return failure();
    return r->front();
  }

  /// A graph.constant of `attr` (folded constants reuse it).
  Value constant(ElementsAttr attr);
  /// A scalar or 1-D i64 constant.
  Value i64Constant(ArrayRef<int64_t> values, bool scalar = false);

  TensorDecoder &getDecoder() { return decoder; }

private:
  FailureOr<SmallVector<Value>> finish(Operation *op, bool fold);

  SmallVector<Value> inputs;
  TensorDecoder &decoder;
  SmallVector<Value> results;
};

using ConverterFn = LogicalResult (*)(NodeContext &);

/// ONNX op type (default domain) -> converter.
using ConverterTable = llvm::StringMap<ConverterFn>;

void addElementwiseConverters(ConverterTable &table);
void addLinalgNNConverters(ConverterTable &table);
void addDataMovementConverters(ConverterTable &table);
void addReductionConverters(ConverterTable &table);
void addLossConverters(ConverterTable &table);

/// An llvm::Error carrying `message` (single line).
llvm::Error makeError(const Twine &message);

} // namespace mlir::zo::import

#endif // ZO_LIB_IMPORT_IMPORTINTERNAL_H
