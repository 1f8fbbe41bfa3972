//===- VerifyGraphContract.cpp - what the graph stage promises ------------===//
//
// The training rewrites and the lowering assume a fully specialized graph.
// Checking that once, at the end of the graph stage, turns a confusing
// failure three passes later into a diagnostic at the op that broke it.
//
//===----------------------------------------------------------------------===//

#include "zo/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::zo {
#define GEN_PASS_DEF_VERIFYGRAPHCONTRACT
#include "zo/Transforms/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;

namespace {
struct VerifyGraphContractPass
    : zo::impl::VerifyGraphContractBase<VerifyGraphContractPass> {
  void runOnOperation() override {
    bool ok = true;
    auto fail = [&](Operation *op, const Twine &why) {
      op->emitError("graph contract: ") << why;
      ok = false;
    };
    auto isStatic = [](Type t) {
      auto shaped = dyn_cast<ShapedType>(t);
      return !shaped || shaped.hasStaticShape();
    };
    getOperation().walk([&](Operation *op) {
      if (isa<ModuleOp>(op))
        return;
      if (auto func = dyn_cast<func::FuncOp>(op)) {
        if (func.isExternal())
          return;
        for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
          if (!isStatic(arg.getType()))
            fail(op, "argument #" + Twine(i) + " has a dynamic shape");
          if (!func.getArgAttr(i, "zo.name") || !func.getArgAttr(i, "zo.role"))
            fail(op, "argument #" + Twine(i) + " lacks zo.name/zo.role");
        }
        return;
      }
      if (!isa<graph::GraphDialect>(op->getDialect()) &&
          !isa<func::ReturnOp>(op))
        return fail(op, "op '" + op->getName().getStringRef() +
                            "' is not part of the graph stage");
      if (isa<graph::ShapeOp, graph::RangeOp, graph::ConstantOfShapeOp>(op))
        return fail(op, "shape computation was not folded away");
      for (Type t : op->getResultTypes())
        if (!isStatic(t))
          return fail(op, "result has a dynamic shape");
    });
    if (!ok)
      signalPassFailure();
  }
};
} // namespace
