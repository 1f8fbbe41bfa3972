//===- GraphBuilder.cpp - ONNX graph -> func.func @forward ----------------===//
//
// Builds the module the rest of zo-opt starts from: graph inputs and
// trainable (float, not frozen) initializers become arguments of @forward,
// every other initializer a graph.constant, each node one or a few graph ops
// built through its family's converter, the graph outputs the results.
//
//===----------------------------------------------------------------------===//

#include "ImportInternal.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;

namespace mlir::zo::import {
TensorDecoder &getModelDecoder(OnnxModel &m);
} // namespace mlir::zo::import

/// Oldest default-domain opset whose operator semantics the converters know.
static constexpr int64_t kMinOpset = 11;

static const ConverterTable &getConverterTable() {
  static const ConverterTable table = [] {
    ConverterTable t;
    addElementwiseConverters(t);
    addLinalgNNConverters(t);
    addDataMovementConverters(t);
    addReductionConverters(t);
    addLossConverters(t);
    return t;
  }();
  return table;
}

namespace {
/// One import. Errors are emitted as MLIR diagnostics, captured by the caller
/// and re-emitted as a single line prefixed with the failing node.
class GraphImporter {
public:
  GraphImporter(OnnxModel &model, MLIRContext &ctx, const ImportOptions &opts)
      : model(model), ctx(ctx), opts(opts), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, model.getPath(), 0, 0)) {}

  LogicalResult run(OwningOpRef<ModuleOp> &result);

  /// "node 'n' (Op): " while a node is converted, empty otherwise.
  std::string errorPrefix;
  Location errorLoc() const { return currentLoc ? *currentLoc : fileLoc; }

private:
  LogicalResult fail(const Twine &message) {
    emitError(errorLoc()) << message;
    return failure();
  }
  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &input);
  LogicalResult importNode(const onnx::NodeProto &node, unsigned index);

  OnnxModel &model;
  MLIRContext &ctx;
  const ImportOptions &opts;
  OpBuilder b;
  Location fileLoc;
  std::optional<Location> currentLoc;
  llvm::StringMap<Value> values;
  int64_t opset = 0;
};
} // namespace

FailureOr<RankedTensorType>
GraphImporter::inputType(const onnx::ValueInfoProto &input) {
  StringRef name = input.name();
  const onnx::TypeProto &tp = input.type();
  if (!tp.has_tensor_type()) {
    (void)fail("graph input '" + name + "' is not a tensor");
    return failure();
  }
  int32_t dtype = tp.tensor_type().elem_type();
  Type elt = getElementType(&ctx, dtype);
  if (!elt) {
    (void)fail("graph input '" + name + "' has unsupported element type '" +
               getOnnxDTypeName(dtype) + "'");
    return failure();
  }
  bool hasShape = tp.tensor_type().has_shape();
  const onnx::TensorShapeProto &shape = tp.tensor_type().shape();

  auto given = opts.inputShapes.find(name);
  if (given != opts.inputShapes.end()) {
    ArrayRef<int64_t> dims = given->second;
    if (hasShape && shape.dim_size() != (int)dims.size()) {
      (void)fail("--input-shape for '" + name + "' has rank " +
                 Twine(dims.size()) + ", the model declares rank " +
                 Twine(shape.dim_size()));
      return failure();
    }
    for (int i = 0; hasShape && i < shape.dim_size(); ++i)
      if (shape.dim(i).has_dim_value() &&
          shape.dim(i).dim_value() != dims[i]) {
        (void)fail("--input-shape for '" + name + "' gives dimension " +
                   Twine(i) + " = " + Twine(dims[i]) +
                   ", the model fixes it to " +
                   Twine(shape.dim(i).dim_value()));
        return failure();
      }
    return RankedTensorType::get(dims, elt);
  }
  if (!hasShape) {
    (void)fail("graph input '" + name + "' has no shape; pass --input-shape " +
               name + "=...");
    return failure();
  }
  SmallVector<int64_t> dims;
  for (int i = 0; i < shape.dim_size(); ++i) {
    const onnx::TensorShapeProto::Dimension &d = shape.dim(i);
    if (d.has_dim_value() && d.dim_value() >= 0) {
      dims.push_back(d.dim_value());
      continue;
    }
    if (d.has_dim_param()) {
      auto it = opts.dimParams.find(d.dim_param());
      if (it != opts.dimParams.end()) {
        dims.push_back(it->second);
        continue;
      }
      (void)fail("graph input '" + name + "': dimension " + Twine(i) + " ('" +
                 d.dim_param() + "') is dynamic and has no value; pass --dim " +
                 d.dim_param() + "=<size> or --input-shape " + name +
                 "=...");
      return failure();
    }
    (void)fail("graph input '" + name + "': dimension " + Twine(i) +
               " is unknown; pass --input-shape " + name + "=...");
    return failure();
  }
  return RankedTensorType::get(dims, elt);
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        unsigned index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  Location loc = NameLoc::get(StringAttr::get(&ctx, name), fileLoc);
  currentLoc = loc;

  StringRef domain = node.domain();
  bool isDefault = domain.empty() || domain == "ai.onnx";
  const ConverterTable &table = getConverterTable();
  auto it = isDefault ? table.find(node.op_type()) : table.end();
  if (it == table.end()) {
    int64_t version = model.getOpset(domain);
    return fail("unsupported op '" + node.op_type() + "' (domain '" + domain +
                "', opset " + Twine(version) + ") at node '" + name + "'");
  }
  errorPrefix = "node '" + name + "' (" + node.op_type() + "): ";

  SmallVector<Value> inputs;
  for (const std::string &in : node.input()) {
    if (in.empty()) {
      inputs.push_back(Value());
      continue;
    }
    auto v = values.find(in);
    if (v == values.end())
      return fail("input '" + in + "' is not defined before this node (the "
                  "graph must be topologically sorted)");
    inputs.push_back(v->second);
  }

  NodeContext nc(node, opset, b, loc, std::move(inputs),
                 getModelDecoder(model));
  if (failed(it->second(nc)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    Value v = nc.getResults()[i];
    if (!v)
      return fail("output " + Twine(i) + " ('" + node.output(i) +
                  "') is not supported");
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.hasStaticShape())
      return fail("output '" + node.output(i) +
                  "' has no static shape after import");
    values[node.output(i)] = v;
  }
  errorPrefix.clear();
  return success();
}

LogicalResult GraphImporter::run(OwningOpRef<ModuleOp> &result) {
  ctx.loadDialect<func::FuncDialect, graph::GraphDialect>();
  const onnx::GraphProto &g = model.getProto().graph();
  opset = model.getOpset("");
  if (opset < 0)
    return fail("the model does not import the default ONNX domain");
  if (opset < kMinOpset)
    return fail("default-domain opset " + Twine(opset) +
                " is older than the oldest supported (" + Twine(kMinOpset) +
                ")");

  std::optional<llvm::Regex> frozen;
  if (!opts.frozenRegex.empty()) {
    frozen.emplace(opts.frozenRegex);
    std::string err;
    if (!frozen->isValid(err))
      return fail("invalid frozen-initializer regex '" + opts.frozenRegex +
                  "': " + err);
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr("zo.source",
                     b.getStringAttr(llvm::sys::path::filename(model.getPath())));
  (*module)->setAttr("zo.opset", b.getI64IntegerAttr(opset));

  // Arguments: graph inputs, then trainable initializers.
  llvm::StringSet<> initNames;
  for (const onnx::TensorProto &t : g.initializer())
    initNames.insert(t.name());
  SmallVector<Type> argTypes;
  SmallVector<std::pair<std::string, StringRef>> argInfo; // name, role
  for (const onnx::ValueInfoProto &in : g.input()) {
    if (initNames.contains(in.name()))
      continue; // IR < 4 lists initializers among the inputs.
    FailureOr<RankedTensorType> type = inputType(in);
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    argInfo.push_back({in.name(), "input"});
  }
  TensorDecoder &decoder = getModelDecoder(model);
  struct ConstInit {
    const onnx::TensorProto *proto;
    InitializerData data;
  };
  SmallVector<ConstInit> constInits;
  for (const onnx::TensorProto &t : g.initializer()) {
    currentLoc = NameLoc::get(b.getStringAttr(t.name()), fileLoc);
    llvm::Expected<InitializerData> data = decoder.decode(t);
    if (!data)
      return fail("initializer: " + llvm::toString(data.takeError()));
    int32_t dtype = (int32_t)data->dtype;
    // A 0-d float initializer is an exporter's constant (an epsilon, a
    // scale), never a weight: it stays a constant so that folding and
    // composite recognition see its value.
    bool isScalar = data->dims.empty();
    if (isOnnxFloatDType(dtype) && !isScalar &&
        !(frozen && frozen->match(t.name()))) {
      argTypes.push_back(RankedTensorType::get(
          data->dims, getElementType(&ctx, dtype)));
      argInfo.push_back({t.name(), "param"});
    } else {
      constInits.push_back({&t, std::move(*data)});
    }
  }
  currentLoc.reset();

  auto func = func::FuncOp::create(b, fileLoc, "forward",
                                   b.getFunctionType(argTypes, {}));
  module->push_back(func);
  SmallVector<Location> argLocs;
  for (auto &[name, role] : argInfo)
    argLocs.push_back(NameLoc::get(b.getStringAttr(name), fileLoc));
  Block *entry = b.createBlock(&func.getBody(), {}, argTypes, argLocs);
  for (auto [i, info] : llvm::enumerate(argInfo)) {
    func.setArgAttr(i, "zo.name", b.getStringAttr(info.first));
    func.setArgAttr(i, "zo.role", b.getStringAttr(info.second));
    values[info.first] = entry->getArgument(i);
  }
  b.setInsertionPointToEnd(entry);

  for (ConstInit &ci : constInits) {
    Location loc = NameLoc::get(b.getStringAttr(ci.proto->name()), fileLoc);
    Type elt = getElementType(&ctx, (int32_t)ci.data.dtype);
    auto type = RankedTensorType::get(ci.data.dims, elt);
    bool dense = (!isa<FloatType>(elt) && ci.data.getNumElements() <= 1024) ||
                 ci.data.getNumElements() == 1;
    ElementsAttr attr =
        makeConstantAttr(ci.data, type, dense, ci.proto->name());
    values[ci.proto->name()] = graph::ConstantOp::create(b, loc, attr);
  }

  for (auto [index, node] : llvm::enumerate(g.node()))
    if (failed(importNode(node, index)))
      return failure();
  currentLoc.reset();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &out : g.output()) {
    auto v = values.find(out.name());
    if (v == values.end())
      return fail("graph output '" + out.name() + "' is never computed");
    results.push_back(v->second);
  }
  func::ReturnOp::create(b, fileLoc, results);
  // Configuration constants (Reshape shapes, Slice bounds, ...) were folded
  // into attributes; drop what nothing uses any more.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*entry)))
    if (isOpTriviallyDead(&op))
      op.erase();
  func.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(g.output()))
    func.setResultAttr(i, "zo.name", b.getStringAttr(out.name()));

  result = std::move(module);
  return success();
}

/// Runs one import with diagnostics captured, then emits the first error as
/// one line prefixed with the node it happened at.
static FailureOr<OwningOpRef<ModuleOp>>
importModel(OnnxModel &model, MLIRContext &ctx, const ImportOptions &opts) {
  std::string message;
  std::optional<Location> loc;
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error && message.empty())
        message = diag.str();
      return success();
    });
    GraphImporter importer(model, ctx, opts);
    if (failed(importer.run(module))) {
      if (message.empty())
        message = "import failed";
      message = importer.errorPrefix + message;
      loc = importer.errorLoc();
    }
  }
  if (loc) {
    for (char &c : message)
      if (c == '\n')
        c = ' ';
    emitError(*loc) << message;
    return failure();
  }
  return module;
}

/// Strips the "<file>: error: " the model loader puts before its messages.
static void emitLoadError(MLIRContext &ctx, StringRef path, llvm::Error err) {
  std::string msg = llvm::toString(std::move(err));
  StringRef text(msg);
  std::string prefix = (path + ": error: ").str();
  if (text.starts_with(prefix))
    text = text.drop_front(prefix.size());
  emitError(FileLineColLoc::get(&ctx, path, 0, 0)) << text;
}

FailureOr<OwningOpRef<ModuleOp>>
mlir::zo::importOnnxFile(StringRef path, MLIRContext &ctx,
                         const ImportOptions &opts) {
  if (!isOnnxFile(path)) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "not an ONNX model file (expected .onnx or .onnxtext)";
    return failure();
  }
  llvm::Expected<std::unique_ptr<OnnxModel>> model = OnnxModel::load(path);
  if (!model) {
    emitLoadError(ctx, path, model.takeError());
    return failure();
  }
  return importModel(**model, ctx, opts);
}

FailureOr<OwningOpRef<ModuleOp>>
mlir::zo::importOnnxText(StringRef text, StringRef bufferName,
                         MLIRContext &ctx, const ImportOptions &opts) {
  llvm::Expected<std::unique_ptr<OnnxModel>> model =
      OnnxModel::parseText(text, bufferName);
  if (!model) {
    emitLoadError(ctx, bufferName, model.takeError());
    return failure();
  }
  return importModel(**model, ctx, opts);
}

bool mlir::zo::isOnnxFile(StringRef path) {
  return path.ends_with(".onnx") || path.ends_with(".onnxtext");
}

std::string mlir::zo::formatImportDiagnostic(Diagnostic &diag,
                                             StringRef inputFile) {
  std::string file = inputFile.str();
  if (auto fileLoc = diag.getLocation()->findInstanceOf<FileLineColLoc>())
    file = fileLoc.getFilename().str();
  std::string message = diag.str();
  llvm::replace(message, '\n', ' ');
  StringRef severity = diag.getSeverity() == DiagnosticSeverity::Error
                           ? "error"
                           : diag.getSeverity() == DiagnosticSeverity::Warning
                                 ? "warning"
                                 : "note";
  return file + ": " + severity.str() + ": " + message;
}
