//===- CudaStepLibrary.h - package a lowered CUDA step --------*- C++ -*-===//
//
// The last stage of `--target=cuda`: the host-side LLVM-dialect module (its
// device code already embedded as gpu.binary by gpu-module-to-binary) becomes
// LLVM IR, an object for the host, and `step.so` linked against
// libZoCudaRuntime.so. The library carries its manifest and packed entry
// points, so zo/Runtime/CudaModel.h can load it with nothing else.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_CUDASTEPLIBRARY_H
#define ZO_RUNTIME_CUDASTEPLIBRARY_H

#include "zo/Runtime/Signature.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace mlir::zo::cuda {

/// The symbol holding the manifest (JSON, NUL-terminated) in a step library.
inline constexpr const char *kManifestSymbol = "zo_step_manifest";
/// Packed entry point of function `name`: void(void **args), the same ABI
/// as the CPU JIT's `_mlir__mlir_ciface_<name>` (docs/runtime.md).
std::string getPackedEntryName(llvm::StringRef name);

enum class StepOutput { LLVMIR, Object, SharedLibrary };

struct StepLibraryOptions {
  StepOutput output = StepOutput::SharedLibrary;
  /// LLVM optimization level for the host code.
  unsigned optLevel = 2;
  /// libZoCudaRuntime.so to link against (and find at run time through the
  /// library's rpath); default: $ZO_CUDA_RUNTIME_LIBRARY, else the one built
  /// with this compiler.
  std::string runtimeLibrary;
  /// The C++ compiler driver that links; default: $ZO_CXX, else the
  /// compiler this was built with.
  std::string linker;
};

/// Lowers the host side of a module whose kernels are already gpu.binary ops
/// (zo-cuda-lowering's last stage) to the LLVM dialect: gpu.launch_func,
/// gpu.alloc, ... become mgpu* calls (gpu-to-llvm), and the functions named
/// in `signatures` get `_mlir_ciface_` wrappers. On failure `error` holds
/// the diagnostics.
LogicalResult lowerHostToLLVM(ModuleOp module,
                              llvm::ArrayRef<rt::FunctionSignature> signatures,
                              std::string &error);

/// Writes `module` (gpu.binary ops plus host code, lowered first with
/// lowerHostToLLVM if it still has func.func ops) to `outputPath`, with the
/// manifest and a packed entry point per function of `signatures`.
llvm::Error writeStepLibrary(ModuleOp module,
                             llvm::ArrayRef<rt::FunctionSignature> signatures,
                             llvm::StringRef outputPath,
                             const StepLibraryOptions &options = {});

} // namespace mlir::zo::cuda

#endif // ZO_RUNTIME_CUDASTEPLIBRARY_H
