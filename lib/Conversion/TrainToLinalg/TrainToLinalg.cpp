//===- TrainToLinalg.cpp - the convert-train-to-linalg pass ---------------===//
//
// Applies the noise patterns as a partial conversion: afterwards no `train`
// op is left, everything else is untouched.
//
//===----------------------------------------------------------------------===//

#include "zo/Conversion/TrainToLinalg.h"
#include "zo/Conversion/Passes.h"
#include "zo/Dialect/Train/TrainDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::zo {
#define GEN_PASS_DEF_CONVERTTRAINTOLINALG
#include "zo/Conversion/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;

void mlir::zo::configureTrainToLinalgTarget(ConversionTarget &target) {
  target.addIllegalDialect<train::TrainDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, tensor::TensorDialect>();
}

namespace {
struct ConvertTrainToLinalgPass
    : zo::impl::ConvertTrainToLinalgBase<ConvertTrainToLinalgPass> {
  using ConvertTrainToLinalgBase::ConvertTrainToLinalgBase;

  void runOnOperation() override {
    ConversionTarget target(getContext());
    configureTrainToLinalgTarget(target);
    RewritePatternSet patterns(&getContext());
    populateTrainToLinalgPatterns(patterns, testEmitWords);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
