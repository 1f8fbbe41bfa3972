//===- JitModule.h - compile a module, call it on host tensors -*- C++ -*-===//
//
// The CPU runtime's entry point: lower a linalg-level module with the CPU
// pipeline, JIT it at O3 with the runtime's symbols, and call its functions
// with HostTensors bound by name (the manifest contract, not positions).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_JITMODULE_H
#define ZO_RUNTIME_JITMODULE_H

#include "zo/Runtime/HostTensor.h"
#include "zo/Runtime/Signature.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
class ModuleOp;
} // namespace mlir

namespace mlir::zo::rt {

struct JitOptions {
  /// CPU pipeline knobs (see zo/Pipelines/CpuLowering.h).
  bool fuseElementwise = true;
  bool useBlas = true;
  bool approximateMath = true;
  bool elementwiseInPlace = true;
  /// LLVM optimization level of the JIT (IR passes and code generation).
  unsigned optLevel = 3;
  /// If set, the LLVM-dialect module is printed here before JIT compilation.
  llvm::raw_ostream *printLoweredIR = nullptr;
  /// Keep the object code so dumpObjectFile() can write it.
  bool keepObjectCode = false;
  /// Announce the compiled functions to `perf` (LLVM's perf JIT listener:
  /// `perf record -k 1`, then `perf inject --jit`) so profiles name them.
  bool perfListener = false;
};

class JitModule {
public:
  /// Lowers `module` in place (clone it to keep the original) and compiles
  /// it. A module without func.func is taken as already lowered; its
  /// signatures must then be given (e.g. from a manifest via parseManifest).
  static llvm::Expected<std::unique_ptr<JitModule>>
  compile(ModuleOp module, const JitOptions &options = {},
          std::optional<std::vector<FunctionSignature>> signatures = {});
  ~JitModule();

  llvm::ArrayRef<FunctionSignature> getSignatures() const { return sigs; }
  /// The signature of function `name`, or null.
  const FunctionSignature *getSignature(llvm::StringRef name) const;

  /// Calls `name` with `args` in signature order (dtypes and shapes are
  /// checked) and returns freshly allocated results in signature order.
  /// Arguments with role "param" or "state" may be updated in place;
  /// others are not written (the pipeline marks them read-only).
  llvm::Expected<std::vector<HostTensor>>
  call(llvm::StringRef name, llvm::ArrayRef<HostTensor *> args);
  /// The same, writing into `results`: tensors that already have their
  /// result's dtype and shape are reused (their contents overwritten), the
  /// others replaced by new ones; a loop calling a function repeatedly
  /// (zo-run --repeat) then allocates its results once.
  llvm::Error call(llvm::StringRef name, llvm::ArrayRef<HostTensor *> args,
                   std::vector<HostTensor> &results);

  /// bindArguments + call; results are named after the signature.
  llvm::Expected<NamedTensors> callByName(llvm::StringRef name,
                                          NamedTensors &inputs,
                                          NamedTensors *params = nullptr,
                                          NamedTensors *state = nullptr);

  /// Writes the compiled object file (needs JitOptions::keepObjectCode).
  void dumpObjectFile(llvm::StringRef path);

private:
  JitModule() = default;
  std::unique_ptr<ExecutionEngine> engine;
  std::vector<FunctionSignature> sigs;
  /// Packed `_mlir_ciface_` wrappers, parallel to `sigs`; looked up at
  /// compile time so the JIT materializes everything before the first call.
  std::vector<void (*)(void **)> entryPoints;
};

/// Picks each argument of `sig` by name: role "param" from `params`, role
/// "state" from `state` then `params`, anything else from `inputs` first;
/// every role falls back to the other stores. `params` and `state` may be
/// null. The error names the missing argument.
llvm::Expected<std::vector<HostTensor *>>
bindArguments(const FunctionSignature &sig, NamedTensors &inputs,
              NamedTensors *params, NamedTensors *state = nullptr);

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_JITMODULE_H
