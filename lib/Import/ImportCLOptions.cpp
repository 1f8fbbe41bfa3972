//===- ImportCLOptions.cpp - command-line options of the importer ---------===//

#include "zo/Import/ImportCLOptions.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ManagedStatic.h"

using namespace mlir;
using namespace mlir::zo;

namespace {
struct ImportCLOptions {
  llvm::cl::list<std::string> inputShapes{
      "input-shape",
      llvm::cl::desc("Static shape of an ONNX graph input, e.g. "
                     "--input-shape input_ids=2x8 (repeatable, or "
                     "comma-separated)"),
      llvm::cl::value_desc("name=DxDx..."), llvm::cl::CommaSeparated};
  llvm::cl::list<std::string> dims{
      "dim",
      llvm::cl::desc("Value of a symbolic ONNX dimension, e.g. --dim batch=2 "
                     "(repeatable, or comma-separated)"),
      llvm::cl::value_desc("name=N"), llvm::cl::CommaSeparated};
  llvm::cl::opt<std::string> frozen{
      "frozen-initializers",
      llvm::cl::desc("Float ONNX initializers whose name matches this regex "
                     "become constants instead of trainable parameters"),
      llvm::cl::value_desc("regex"), llvm::cl::init("")};
};
} // namespace

static llvm::ManagedStatic<ImportCLOptions> clOptions;

void mlir::zo::registerImportCLOptions() { *clOptions; }

FailureOr<std::pair<std::string, SmallVector<int64_t>>>
mlir::zo::parseInputShapeSpec(StringRef spec, std::string &error) {
  auto [name, shape] = spec.split('=');
  if (name.empty() || !spec.contains('=')) {
    error = ("bad --input-shape '" + spec + "': expected name=DxDx...").str();
    return failure();
  }
  SmallVector<int64_t> dims;
  shape = shape.trim();
  if (!shape.empty() && shape != "scalar") {
    SmallVector<StringRef> parts;
    shape.split(parts, 'x');
    for (StringRef p : parts) {
      int64_t d;
      if (p.getAsInteger(10, d) || d < 0) {
        error = ("bad --input-shape '" + spec + "': '" + p +
                 "' is not a dimension")
                    .str();
        return failure();
      }
      dims.push_back(d);
    }
  }
  return std::make_pair(name.str(), dims);
}

LogicalResult mlir::zo::getImportOptionsFromCL(ImportOptions &opts,
                                               std::string &error) {
  if (!clOptions.isConstructed())
    return success();
  for (const std::string &spec : clOptions->inputShapes) {
    auto parsed = parseInputShapeSpec(spec, error);
    if (failed(parsed))
      return failure();
    opts.inputShapes[parsed->first] = parsed->second;
  }
  for (const std::string &spec : clOptions->dims) {
    auto [name, value] = StringRef(spec).split('=');
    int64_t v;
    if (name.empty() || value.getAsInteger(10, v) || v < 0) {
      error = "bad --dim '" + spec + "': expected name=N";
      return failure();
    }
    opts.dimParams[name] = v;
  }
  opts.frozenRegex = clOptions->frozen;
  return success();
}
