//===- EmitCInterface.cpp - mark functions for the C interface ------------===//
//
// The runtime calls compiled functions through `_mlir_ciface_<name>`, whose
// arguments are pointers to memref descriptors: a stable ABI for any rank.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {
struct EmitCInterfacePass
    : PassWrapper<EmitCInterfacePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(EmitCInterfacePass)

  StringRef getArgument() const override { return "zo-emit-c-interface"; }
  StringRef getDescription() const override {
    return "Add llvm.emit_c_interface to every defined func.func";
  }
  void runOnOperation() override {
    UnitAttr unit = UnitAttr::get(&getContext());
    // Declarations keep their convention: they name symbols defined elsewhere.
    getOperation().walk([&](func::FuncOp fn) {
      if (!fn.isDeclaration())
        fn->setAttr("llvm.emit_c_interface", unit);
    });
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createEmitCInterfacePass() {
  return std::make_unique<EmitCInterfacePass>();
}
