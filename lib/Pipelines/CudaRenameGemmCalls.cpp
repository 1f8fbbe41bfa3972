//===- CudaRenameGemmCalls.cpp - the GEMM calls of another runtime --------===//
//
// The CUDA pipeline's loop nests (stop-at=loops) call the CUDA runtime's
// cuBLAS wrappers, zo_cuda_sgemm*, which have the CPU shims' ABI. Renamed to
// the CPU runtime's zo_rt_* (declarations and calls), the same module runs
// on the CPU: that is how the kernels' arithmetic is checked without a GPU.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

struct RenameGemmCallsPass
    : PassWrapper<RenameGemmCallsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(RenameGemmCallsPass)

  RenameGemmCallsPass() = default;
  RenameGemmCallsPass(const RenameGemmCallsPass &other) : PassWrapper(other) {}
  RenameGemmCallsPass(StringRef fromValue, StringRef toValue) {
    from = fromValue.str();
    to = toValue.str();
  }

  StringRef getArgument() const override { return "zo-rename-gemm-calls"; }
  StringRef getDescription() const override {
    return "Rename the GEMM entry points <from>{s,d}gemm[_batched] (calls "
           "and declarations) to <to>...";
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable table(module);
    for (auto fn : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      StringRef name = fn.getName();
      if (!fn.isDeclaration() || !name.starts_with(from))
        continue;
      std::string newName = to + name.drop_front(from.size()).str();
      if (table.lookup(newName)) {
        fn.emitError() << "zo-rename-gemm-calls: '" << newName
                       << "' exists already";
        return signalPassFailure();
      }
      if (failed(table.rename(fn, StringAttr::get(&getContext(), newName))))
        return signalPassFailure();
    }
  }

  Option<std::string> from{*this, "from", llvm::cl::desc("Prefix to replace"),
                           llvm::cl::init("zo_cuda_")};
  Option<std::string> to{*this, "to", llvm::cl::desc("New prefix"),
                         llvm::cl::init("zo_rt_")};
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createRenameGemmCallsPass(StringRef from,
                                                          StringRef to) {
  return std::make_unique<RenameGemmCallsPass>(from, to);
}
