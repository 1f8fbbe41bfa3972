//===- MarkReadOnlyArgs.cpp - batch inputs are never written --------------===//
//
// One-shot bufferization may write into a function's argument buffers. The
// step ABI donates only parameters and optimizer state; every other tensor
// argument is marked `bufferization.writable = false`, so the bufferizer
// copies before writing instead of clobbering the caller's data.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {
struct MarkReadOnlyArgsPass
    : PassWrapper<MarkReadOnlyArgsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(MarkReadOnlyArgsPass)

  StringRef getArgument() const override { return "zo-mark-read-only-args"; }
  StringRef getDescription() const override {
    return "Mark tensor arguments whose zo.role is not param/state as "
           "bufferization.writable = false";
  }
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    StringAttr writable = StringAttr::get(
        ctx, bufferization::BufferizationDialect::kWritableAttrName);
    getOperation().walk([&](func::FuncOp fn) {
      if (fn.isDeclaration())
        return;
      for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i) {
        if (!isa<TensorType>(fn.getArgument(i).getType()) ||
            fn.getArgAttr(i, writable))
          continue;
        auto role = fn.getArgAttrOfType<StringAttr>(i, "zo.role");
        bool donated =
            role && (role.getValue() == "param" || role.getValue() == "state");
        fn.setArgAttr(i, writable, BoolAttr::get(ctx, donated));
      }
    });
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createMarkReadOnlyArgsPass() {
  return std::make_unique<MarkReadOnlyArgsPass>();
}
