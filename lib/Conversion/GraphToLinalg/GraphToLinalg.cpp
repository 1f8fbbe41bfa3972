//===- GraphToLinalg.cpp - the convert-graph-to-linalg pass ---------------===//
//
// Applies every op family's patterns as one full dialect conversion: after
// it no graph op is left, or the pass fails at the op it could not lower.
//
//===----------------------------------------------------------------------===//

#include "zo/Conversion/GraphToLinalg.h"
#include "zo/Conversion/Passes.h"
#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::zo {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALG
#include "zo/Conversion/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;

void mlir::zo::populateGraphToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  populateGraphToLinalgElementwisePatterns(patterns);
  populateGraphToLinalgMatmulPatterns(patterns);
  populateGraphToLinalgNormalizationPatterns(patterns);
  populateGraphToLinalgReductionPatterns(patterns);
  populateGraphToLinalgDataMovementPatterns(patterns);
  populateGraphToLinalgLossPatterns(patterns);
}

void mlir::zo::configureGraphToLinalgTarget(ConversionTarget &target) {
  target.addIllegalDialect<graph::GraphDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, scf::SCFDialect,
                         tensor::TensorDialect>();
  // func, builtin and whatever else surrounds the graph stays as it is.
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
}

namespace {
struct ConvertGraphToLinalgPass
    : zo::impl::ConvertGraphToLinalgBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    // Dynamic shapes are an importer/specialization bug, not something a
    // pattern should silently skip: say so at the ONNX node.
    WalkResult walk = getOperation()->walk([](Operation *op) {
      if (!isa<graph::GraphDialect>(op->getDialect()))
        return WalkResult::advance();
      auto isStatic = [](Type t) {
        auto rt = dyn_cast<RankedTensorType>(t);
        return rt && rt.hasStaticShape();
      };
      if (llvm::all_of(op->getOperandTypes(), isStatic) &&
          llvm::all_of(op->getResultTypes(), isStatic))
        return WalkResult::advance();
      op->emitError() << "cannot lower '" << op->getName()
                      << "' to linalg: every shape must be static";
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    ConversionTarget target(getContext());
    configureGraphToLinalgTarget(target);
    RewritePatternSet patterns(&getContext());
    populateGraphToLinalgConversionPatterns(patterns);
    if (failed(applyFullConversion(getOperation(), target,
                                   std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
