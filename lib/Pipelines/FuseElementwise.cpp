//===- FuseElementwise.cpp - fuse elementwise chains, keep the GEMMs ------===//
//
// Upstream's linalg-fuse-elementwise-ops also propagates reshapes through any
// linalg op by expanding it, which turns a matmul fed by a collapse_shape
// (every transformer projection) into a linalg.generic that no BLAS rewrite
// recognizes. Same fusion here, with named contractions left untouched.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "FuseIntoExtract.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

/// A loop that reads no tensor, only indices and scalars (the noise of a
/// ZO update, `0 + g z`): recomputing it in each consumer costs arithmetic
/// only, while keeping it costs a buffer of its full size. ZO-Adam's m and v
/// sweeps both read u = g z; each regenerates it instead of sharing one
/// parameter-sized temporary.
static bool isGenerator(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic &&
         generic.getNumParallelLoops() == generic.getNumLoops() &&
         llvm::all_of(generic.getDpsInputs(), [](Value v) {
           auto t = dyn_cast<ShapedType>(v.getType());
           return !t || t.getRank() == 0;
         });
}

/// Named ops the CPU back end maps to library calls.
static bool isLibraryOp(Operation *op) {
  return isa_and_nonnull<linalg::MatmulOp, linalg::BatchMatmulOp>(op);
}

namespace {
struct FuseElementwisePass : PassWrapper<FuseElementwisePass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FuseElementwisePass)

  StringRef getArgument() const override { return "zo-fuse-elementwise"; }
  StringRef getDescription() const override {
    return "Fuse elementwise linalg ops (through reshapes) without "
           "rewriting matmul / batch_matmul into generics";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, linalg::LinalgDialect,
                    tensor::TensorDialect>();
  }
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Fuse a producer only into its single user (or into each user, for a
    // generator, or a reshape of one), never across a GEMM in
    // either direction, and never through a broadcast read: the fused loop
    // would recompute the producer for every consumer iteration reading the
    // same element (a perturbed bias, train.add_noise, would regenerate its
    // noise once per token instead of once).
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      Operation *source = producer;
      while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
          source))
        source = source->getOperand(0).getDefiningOp();
      bool duplicable = isGenerator(source);
      if (!producer || (!producer->hasOneUse() && !duplicable) ||
          isLibraryOp(producer) || isLibraryOp(consumer))
        return false;
      auto linalgConsumer = dyn_cast<linalg::LinalgOp>(consumer);
      return !isa<linalg::LinalgOp>(producer) || !linalgConsumer ||
             linalgConsumer.getMatchingIndexingMap(fused).isPermutation();
    };
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    zo::populateFuseIntoExtractPatterns(patterns);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createFuseElementwisePass() {
  return std::make_unique<FuseElementwisePass>();
}
