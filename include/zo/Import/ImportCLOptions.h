//===- ImportCLOptions.h - command-line options of the importer -*- C++ -*-===//
//
// --input-shape, --dim and --frozen-initializers for every tool that reads
// ONNX (zo-opt, zo-train); registered before the command line is parsed.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_IMPORT_IMPORTCLOPTIONS_H
#define ZO_IMPORT_IMPORTCLOPTIONS_H

#include "zo/Import/OnnxImporter.h"

#include <string>

namespace mlir::zo {

/// Registers the importer's llvm::cl options (idempotent).
void registerImportCLOptions();

/// Reads the parsed options into `opts`; returns failure with a one-line
/// message in `error` when a value is malformed.
LogicalResult getImportOptionsFromCL(ImportOptions &opts, std::string &error);

} // namespace mlir::zo

#endif // ZO_IMPORT_IMPORTCLOPTIONS_H
