//===- CudaTileParallelLoops.cpp - parallel loops shaped for GPU blocks ---===//
//
// Every outermost scf.parallel (one per fused linalg op, or a one-iteration
// wrapper of host accesses) becomes one kernel: its dimensions are collapsed
// into one (a flat element index: the launch is 1-D however many dims the
// op has, and every thread does the same work), tiled by the block size with
// a bounds guard instead of min() bounds (blocks stay full-size), and mapped:
// the tile loop to the grid's x, the intra-tile loop to the block's x, any
// loop nested deeper runs sequentially in its thread. A loop with fewer
// iterations than the block size gets a block of exactly its trip count (a
// one-thread block for the host-access wrappers). convert-parallel-loops-to-
// gpu then makes the gpu.launch; nothing may canonicalize in between (it
// would fold the one-iteration loops away).
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <numeric>

using namespace mlir;

namespace {

/// Maps every dimension of `loop` to `processor` (identity index maps).
void setMapping(scf::ParallelOp loop, gpu::Processor processor) {
  MLIRContext *ctx = loop.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping(
      loop.getNumLoops(),
      gpu::ParallelLoopDimMappingAttr::get(ctx, processor, id, id));
  (void)gpu::setMappingAttr(loop, mapping);
}

/// The constant number of iterations of a parallel loop (all dims), if known.
std::optional<int64_t> getTripCount(scf::ParallelOp loop) {
  int64_t trips = 1;
  for (unsigned i = 0, e = loop.getNumLoops(); i < e; ++i) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[i]);
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[i]);
    std::optional<int64_t> step = getConstantIntValue(loop.getStep()[i]);
    if (!lb || !ub || !step || *step <= 0)
      return std::nullopt;
    trips *= std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step);
  }
  return trips;
}

struct CudaTileParallelLoopsPass
    : PassWrapper<CudaTileParallelLoopsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaTileParallelLoopsPass)

  CudaTileParallelLoopsPass() = default;
  CudaTileParallelLoopsPass(const CudaTileParallelLoopsPass &other)
      : PassWrapper(other) {}
  explicit CudaTileParallelLoopsPass(unsigned size) { blockSize = size; }

  StringRef getArgument() const override {
    return "zo-cuda-tile-parallel-loops";
  }
  StringRef getDescription() const override {
    return "Collapse each outermost scf.parallel to 1-D, tile it by the "
           "block size and map it to GPU blocks and threads";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, arith::ArithDialect, gpu::GPUDialect,
                    scf::SCFDialect>();
  }
  void runOnOperation() override {
    if (blockSize < 1) {
      getOperation().emitError() << "zo-cuda: block-size must be positive";
      return signalPassFailure();
    }
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      outermost.push_back(loop);
      return WalkResult::skip();
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp loop : outermost) {
      if (loop.getNumReductions() != 0) {
        loop.emitError() << "zo-cuda: parallel loops with reductions are not "
                            "mapped to kernels";
        return signalPassFailure();
      }
      std::optional<int64_t> trips = getTripCount(loop);
      if (loop.getNumLoops() > 1) {
        // collapseParallelLoops builds the new loop right before the old one
        // and erases the old one.
        Operation *next = loop->getNextNode();
        std::vector<unsigned> all(loop.getNumLoops());
        std::iota(all.begin(), all.end(), 0);
        rewriter.setInsertionPoint(loop);
        collapseParallelLoops(rewriter, loop, {all});
        loop = cast<scf::ParallelOp>(next->getPrevNode());
      }
      int64_t tile = blockSize;
      if (trips)
        tile = std::clamp<int64_t>(*trips, 1, blockSize);
      auto [outer, inner] =
          scf::tileParallelLoop(loop, {tile}, /*noMinMaxBounds=*/true);
      setMapping(outer, gpu::Processor::BlockX);
      setMapping(inner, gpu::Processor::ThreadX);
      inner.getBody()->walk([&](scf::ParallelOp nested) {
        setMapping(nested, gpu::Processor::Sequential);
      });
    }
  }

  Option<unsigned> blockSize{*this, "block-size",
                             llvm::cl::desc("Threads per block"),
                             llvm::cl::init(256)};
};

} // namespace

std::unique_ptr<Pass>
mlir::zo::createCudaTileParallelLoopsPass(unsigned blockSize) {
  return std::make_unique<CudaTileParallelLoopsPass>(blockSize);
}
