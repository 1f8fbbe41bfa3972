//===- ApproximateMath.cpp - f32 math as polynomials ----------------------===//
//
// libm calls block loop vectorization (a Philox + Box-Muller loop runs 5x
// slower with libm log/cos); MLIR's polynomial approximations are plain
// arithmetic that LLVM vectorizes. Upstream exposes only the patterns.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {
struct ApproximateMathPass : PassWrapper<ApproximateMathPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ApproximateMathPass)

  StringRef getArgument() const override { return "zo-approximate-math"; }
  StringRef getDescription() const override {
    return "Expand f32 math ops (erf, tanh, exp, log, sin, ...) into "
           "polynomial approximations";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, math::MathDialect,
                    vector::VectorDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createApproximateMathPass() {
  return std::make_unique<ApproximateMathPass>();
}
