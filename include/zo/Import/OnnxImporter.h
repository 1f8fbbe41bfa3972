//===- OnnxImporter.h - ONNX model -> graph dialect -------------*- C++ -*-===//
//
// Imports an ONNX model (binary .onnx or textual .onnxtext) into a module
// holding `func.func @forward` in the graph dialect, with static shapes.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_IMPORT_ONNXIMPORTER_H
#define ZO_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir {
class Diagnostic;
class MLIRContext;
} // namespace mlir

namespace mlir::zo {

/// How dynamic dimensions are specialized and which weights are frozen.
struct ImportOptions {
  /// Full static shape of a graph input (`--input-shape name=2x16`); wins over
  /// the shape stored in the model.
  llvm::StringMap<SmallVector<int64_t>> inputShapes;
  /// Value of a symbolic dimension (`--dim batch=2`), by its dim_param name.
  llvm::StringMap<int64_t> dimParams;
  /// Float initializers whose name matches this regex become constants
  /// instead of `param` arguments. Empty: nothing is frozen.
  std::string frozenRegex;
};

/// Imports a model file, dispatching on the extension (.onnx, .onnxtext).
/// On failure exactly one error diagnostic has been emitted, located at the
/// file (and the node, when one is at fault).
FailureOr<OwningOpRef<ModuleOp>> importOnnxFile(StringRef path,
                                                MLIRContext &ctx,
                                                const ImportOptions &opts);

/// Imports a model given as ONNX text; `bufferName` names it in locations and
/// diagnostics.
FailureOr<OwningOpRef<ModuleOp>> importOnnxText(StringRef text,
                                                StringRef bufferName,
                                                MLIRContext &ctx,
                                                const ImportOptions &opts);

/// One line for an import diagnostic: `<file>: error: <message>` (newlines
/// folded), the file taken from the diagnostic's location when it has one.
std::string formatImportDiagnostic(Diagnostic &diag, StringRef inputFile);

/// True for the file extensions the importer reads (.onnx, .onnxtext).
bool isOnnxFile(StringRef path);

/// Parses `name=2x16` into (name, {2, 16}); a scalar is `name=` or
/// `name=scalar`.
FailureOr<std::pair<std::string, SmallVector<int64_t>>>
parseInputShapeSpec(StringRef spec, std::string &error);

} // namespace mlir::zo

#endif // ZO_IMPORT_ONNXIMPORTER_H
