//===- OnnxModel.h - a loaded ONNX model and its initializers ---*- C++ -*-===//
//
// Loads an ONNX model once and hands out initializer bytes by name; the
// runtime binds parameter buffers with it, the importer builds IR from it.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_IMPORT_ONNXMODEL_H
#define ZO_IMPORT_ONNXMODEL_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::zo {

/// ONNX TensorProto element types the importer and runtime understand (the
/// values are ONNX's TensorProto.DataType codes).
enum class OnnxDType : int32_t {
  Float = 1,
  Int32 = 6,
  Int64 = 7,
  Bool = 9,
  Float16 = 10,
  Double = 11,
  BFloat16 = 16,
};

/// The ONNX name of a TensorProto.DataType code ("float", "int8", ...).
StringRef getOnnxDTypeName(int32_t dtype);
/// Size in bytes of one element of a supported dtype, 0 if unsupported.
int64_t getOnnxDTypeSize(int32_t dtype);
/// True for float32/float16/bfloat16/float64.
bool isOnnxFloatDType(int32_t dtype);

/// One initializer's data, little-endian, densely packed, row-major; bool is
/// one byte per element. `bytes` stays valid while the OnnxModel lives.
struct InitializerData {
  std::string name;
  SmallVector<int64_t> dims;
  OnnxDType dtype;
  ArrayRef<char> bytes;

  int64_t getNumElements() const;
};

/// A parsed model plus the directory its external data lives in.
class OnnxModel {
public:
  /// Loads a binary `.onnx` (protobuf) or textual `.onnxtext` model. Errors
  /// are single-line messages that name the file.
  static llvm::Expected<std::unique_ptr<OnnxModel>> load(StringRef path);
  /// Parses ONNX text; `bufferName` names it in messages.
  static llvm::Expected<std::unique_ptr<OnnxModel>>
  parseText(StringRef text, StringRef bufferName);

  ~OnnxModel();
  OnnxModel(const OnnxModel &) = delete;
  OnnxModel &operator=(const OnnxModel &) = delete;

  /// The path (or buffer name) the model came from.
  StringRef getPath() const { return path; }
  const onnx::ModelProto &getProto() const { return *proto; }
  /// Version of the default ("" / "ai.onnx") domain, 0 if not imported.
  int64_t getDefaultOpset() const;
  /// Version of `domain`, or -1 if the model does not import it.
  int64_t getOpset(StringRef domain) const;

  /// Names of all graph initializers, in model order.
  std::vector<std::string> getInitializerNames() const;
  /// Decodes an initializer (raw_data, typed fields or external data).
  llvm::Expected<InitializerData> getInitializer(StringRef name);

private:
  OnnxModel();
  friend struct OnnxModelAccess;

  std::string path;
  std::unique_ptr<onnx::ModelProto> proto;

public:
  /// Decoded-data caches; opaque outside lib/Import.
  struct Storage;

private:
  std::unique_ptr<Storage> storage;
};

} // namespace mlir::zo

#endif // ZO_IMPORT_ONNXMODEL_H
