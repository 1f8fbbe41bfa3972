//===- Dataset.h - training and evaluation examples for a model -*- C++ -*-===//
//
// Loads examples for a model's inputs from .npz (one array per input) or
// .jsonl (one JSON object per example) into one array per input, and cuts
// batches out of it. The format is documented in docs/zo-train.md.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_DATASET_H
#define ZO_RUNTIME_DATASET_H

#include "zo/Runtime/HostTensor.h"
#include "zo/Runtime/Signature.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace mlir::zo::rt {

/// Examples for a model: one array per model input (role "input"), in
/// signature order, examples along dimension 0.
struct Dataset {
  NamedTensors arrays;
  int64_t size = 0;

  /// Copies examples `rows` of every array into one batch.
  NamedTensors makeBatch(llvm::ArrayRef<int64_t> rows) const;
};

/// How .jsonl examples are fitted to the model's static shapes (.npz arrays
/// must match exactly).
struct DatasetOptions {
  /// Value written past the end of a list shorter than the model's dimension,
  /// by input name; inputs not named here are padded with 0.
  llvm::StringMap<double> padValues;
  /// Cut lists longer than the model's dimension instead of failing.
  bool truncate = false;
};

/// Reads the examples of `path` for the inputs of `sig` (whose dimension 0
/// is the batch). A file ending in ".jsonl" is JSON Lines, anything else an
/// .npz. Fails, with one line naming the file (and for .jsonl the line and
/// key), when an input is missing or does not fit, or when the file holds
/// fewer examples than one batch.
llvm::Expected<Dataset> loadDataset(llvm::StringRef path,
                                    const FunctionSignature &sig,
                                    const DatasetOptions &options = {});

/// The examples of a JSON Lines buffer; `path` only names it in errors.
llvm::Expected<Dataset> parseJsonLines(llvm::StringRef text,
                                       llvm::StringRef path,
                                       llvm::ArrayRef<TensorSpec> inputs,
                                       const DatasetOptions &options = {});

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_DATASET_H
