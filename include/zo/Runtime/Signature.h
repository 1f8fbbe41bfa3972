//===- Signature.h - named arguments and results of a function -*- C++ -*-===//
//
// The binding contract between compiler and runtimes: each argument's name,
// role, dtype and shape, read from the importer's `zo.name` / `zo.role`
// attributes before lowering erases them, and written out as the manifest.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_SIGNATURE_H
#define ZO_RUNTIME_SIGNATURE_H

#include "zo/Runtime/HostTensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace mlir::zo::rt {

struct TensorSpec {
  /// `zo.name`, else "arg<i>" / "result<i>".
  std::string name;
  /// `zo.role` ("input", "param", ...); empty when absent and for results.
  std::string role;
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  /// A scalar (f32, i64, ...) rather than a tensor: passed by value.
  bool isScalar = false;

  /// "f32[2x3]" for messages.
  std::string describe() const;
};

struct FunctionSignature {
  std::string name;
  std::vector<TensorSpec> args;
  std::vector<TensorSpec> results;
};

/// Reads the signature of a tensor-level function (static shapes; results
/// must be tensors).
llvm::Expected<FunctionSignature> getSignature(func::FuncOp fn);
/// Signatures of every public function with a body, in module order.
llvm::Expected<std::vector<FunctionSignature>> getSignatures(ModuleOp module);

/// The manifest: {"functions": [{"name", "args": [{"name", "role", "dtype",
/// "shape", "scalar"}], "results": [...]}]}.
llvm::json::Value toJSON(llvm::ArrayRef<FunctionSignature> signatures);
llvm::Expected<std::vector<FunctionSignature>>
parseManifest(const llvm::json::Value &manifest);

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_SIGNATURE_H
