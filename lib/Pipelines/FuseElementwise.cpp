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
#include "zo/Conversion/TrainToLinalg.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"

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

/// A loop expanding small inputs into a large result with a few integer or
/// float operations and no division or math call (a causal / padding
/// attention mask built from the positions and the attention_mask row):
/// each consumer, even one reading it through a broadcast (the mask is the
/// same for every head), recomputes an element for less than it costs to
/// load it, and the result is never stored. Stored, GPT-2's 1024 x 1024 mask
/// stays alive across both forwards of a ZO step (4 MiB above the forward's
/// peak). Noise bodies (Philox) are far longer than the limit.
static bool isCheapBroadcast(Operation *op) {
  constexpr int64_t kMaxBodyOps = 8;
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInits() != 1)
    return false;
  auto result = dyn_cast<ShapedType>(generic.getResult(0).getType());
  if (!result || !result.hasStaticShape())
    return false;
  for (Value in : generic.getDpsInputs()) {
    auto t = dyn_cast<ShapedType>(in.getType());
    if (t && (!t.hasStaticShape() ||
              t.getNumElements() * 16 > result.getNumElements()))
      return false;
  }
  Block &body = generic.getRegion().front();
  if (static_cast<int64_t>(body.getOperations().size()) > kMaxBodyOps + 1)
    return false;
  return llvm::all_of(body.without_terminator(), [](Operation &inner) {
    return isa<arith::ArithDialect>(inner.getDialect()) &&
           !isa<arith::DivFOp, arith::DivSIOp, arith::DivUIOp, arith::RemFOp,
                arith::RemSIOp, arith::RemUIOp, arith::CeilDivSIOp,
                arith::CeilDivUIOp, arith::FloorDivSIOp>(inner);
  });
}

/// A loop that only widens a float tensor elementwise (a bf16 gradient
/// read by the f32 update of its parameter, docs/cuda.md "bf16
/// parameters"): each consumer recomputes the one `arith.extf` per element
/// it reads, where keeping the loop would store an f32 copy of the tensor
/// (AdamW's m and v sweeps both read the widened gradient).
static bool isWidening(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return false;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  auto ext = dyn_cast<arith::ExtFOp>(body.front());
  return ext && ext.getIn() == body.getArgument(0);
}

/// A loop computing each element from the same element of one tensor (and
/// scalars) with a few arithmetic or math ops, read elementwise by every
/// user, each of which recomputes it: the same ops on the same element, so
/// every value, its bf16 rounding included, is unchanged, and the loop and
/// its buffer disappear. The cases it is for:
///  - the steps of an activation the importer could not recognize as one
///    op, whose backward reads them beside the forward: a bf16 GELU (the
///    bf16 constant sqrt(2) is not near enough sqrt(2) for graph.gelu), whose
///    x / sqrt(2) and erf(..) + 1 are each saved for the VJP, where the f32
///    chain is one graph.gelu whose VJP recomputes them;
///  - a bf16 gradient rounded from its f32 sum (`arith.truncf`) and read by
///    AdamW's m and v sweeps, each widening it again.
/// Only when the users reading the input move no more bytes than the loop
/// reading it, writing the result and the users reading that.
static bool isRecomputableUnary(Operation *op) {
  constexpr int64_t kMaxBodyOps = 8;
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics() ||
      generic.hasIndexSemantics())
    return false;
  auto result = cast<RankedTensorType>(generic.getResult(0).getType());
  OpOperand *init = generic.getDpsInitOperand(0);
  if (!result.hasStaticShape() || !result.getElementType().isIntOrFloat() ||
      !generic.getMatchingIndexingMap(init).isIdentity() ||
      generic.payloadUsesValueFromOperand(init))
    return false;
  int64_t inBits = 0;
  for (OpOperand *in : generic.getDpsInputOperands()) {
    auto type = cast<ShapedType>(in->get().getType());
    if (type.getRank() == 0)
      continue;
    if (inBits || type.getShape() != result.getShape() ||
        !generic.getMatchingIndexingMap(in).isIdentity() ||
        !type.getElementType().isIntOrFloat())
      return false;
    inBits = type.getElementTypeBitWidth();
  }
  Block &body = generic.getRegion().front();
  if (!inBits ||
      static_cast<int64_t>(body.getOperations().size()) > kMaxBodyOps + 1 ||
      !llvm::all_of(body.without_terminator(), [](Operation &inner) {
        return isa<arith::ArithDialect, math::MathDialect>(inner.getDialect());
      }))
    return false;
  int64_t readers = 0;
  for (OpOperand &use : generic->getUses()) {
    auto reader = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!reader || !reader.hasPureTensorSemantics() ||
        !reader.isDpsInput(&use) ||
        !reader.getMatchingIndexingMap(&use).isPermutation())
      return false;
    ++readers;
  }
  int64_t outBits = result.getElementTypeBitWidth();
  return readers * inBits <= inBits + (readers + 1) * outBits;
}

/// `user` only hands its operand out of the function: a return, a
/// materialize_in_destination (a parameter or state written in place), or a
/// reshape whose users all do.
static bool isSink(Operation *user) {
  if (user->hasTrait<OpTrait::ReturnLike>() ||
      isa<bufferization::MaterializeInDestinationOp>(user))
    return true;
  if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(user))
    return false;
  return llvm::all_of(user->getUsers(), isSink);
}

/// Every user of `producer` other than `consumer` hands its value out of
/// the function (and `consumer` does use it).
static bool onlySunkBesides(Operation *producer, Operation *consumer) {
  if (!producer || producer->getNumResults() != 1)
    return false;
  bool consumerSeen = false;
  for (Operation *user : producer->getUsers()) {
    if (user == consumer)
      consumerSeen = true;
    else if (!isSink(user))
      return false;
  }
  return consumerSeen;
}

/// The loop of a noise lane read in `op`'s body (kNoiseLaneAttrName), if
/// every lane read in it is the same loop's index.
static std::optional<unsigned> noiseLaneLoop(linalg::GenericOp op) {
  std::optional<unsigned> lane;
  bool unknown = false;
  op.getBody()->walk([&](arith::IndexCastUIOp cast) {
    if (!cast->hasAttr(zo::kNoiseLaneAttrName))
      return;
    auto index = cast.getIn().getDefiningOp<linalg::IndexOp>();
    if (!index || (lane && *lane != index.getDim()))
      unknown = true;
    else
      lane = index.getDim();
  });
  return unknown ? std::nullopt : lane;
}

namespace {
/// Fuses an all-parallel producer whose value also leaves the function (a
/// ZO-SGD-MMT step's new momentum, written into its state) into the loop
/// that reads it elementwise (the parameter update): one loop with both
/// results, so the value is stored once and never read back. Upstream's
/// fusion keeps the producer for its other users and recomputes it in the
/// consumer, which reads the producer's inputs twice; here every use of the
/// producer moves to the fused loop.
struct FuseKeepingSunkResult : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    // Only into the last loop of an update chain (every result leaves the
    // function): fused into an intermediate (ZO-Adam's denominator), the
    // sunk value would make that intermediate a second result, stored
    // instead of fused into the update.
    if (!llvm::all_of(consumer->getUsers(), isSink))
      return failure();
    for (OpOperand *operand : consumer.getDpsInputOperands()) {
      auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
      if (!producer || producer->hasOneUse() ||
          producer.getNumParallelLoops() != producer.getNumLoops() ||
          consumer.getNumParallelLoops() != consumer.getNumLoops() ||
          !consumer.getMatchingIndexingMap(operand).isPermutation() ||
          !onlySunkBesides(producer, consumer) ||
          !linalg::areElementwiseOpsFusable(operand))
        continue;
      // The fused loop takes the producer's place (its other users come
      // before the consumer), so everything else the consumer reads, as an
      // operand or inside its body, must already exist there: a pure op
      // computed from values that do (a tensor.empty, the learning rate
      // extracted from its 0-d tensor) is moved up.
      if (consumer->getBlock() != producer->getBlock())
        continue;
      auto before = [&](Value v) {
        Operation *def = v.getDefiningOp();
        return !def || def->getBlock() != producer->getBlock() ||
               def->isBeforeInBlock(producer);
      };
      SetVector<Value> reads;
      getUsedValuesDefinedAbove(consumer.getRegion(), reads);
      for (OpOperand &other : consumer->getOpOperands())
        if (&other != operand)
          reads.insert(other.get());
      SmallVector<Operation *> toHoist;
      bool available = true;
      for (Value v : reads) {
        if (before(v))
          continue;
        Operation *def = v.getDefiningOp();
        if (isPure(def) && def->getNumRegions() == 0 &&
            llvm::all_of(def->getOperands(), before))
          toHoist.push_back(def);
        else
          available = false;
      }
      if (!available)
        continue;
      for (Operation *def : toHoist)
        rewriter.moveOpBefore(def, producer);
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, operand);
      if (failed(fused))
        continue;
      rewriter.moveOpBefore(fused->fusedOp, producer);
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
      rewriter.eraseOp(consumer);
      rewriter.eraseOp(producer);
      return success();
    }
    return failure();
  }
};
/// The loop ranges of `op` if it is elementwise in a way that does not
/// depend on its shape: all parallel, no linalg.index, every operand a
/// rank-0 input or a tensor of the loop's static shape with an identity
/// map. Such a loop is equally correct over any shape with its element
/// count.
static std::optional<SmallVector<int64_t>>
shapeAgnosticRanges(linalg::GenericOp op) {
  if (op.getNumParallelLoops() != op.getNumLoops() ||
      !op.hasPureTensorSemantics() || op.hasIndexSemantics())
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || ShapedType::isDynamicShape(ranges))
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type)
      return std::nullopt;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (type.getRank() == 0 && op.isDpsInput(&operand) &&
        map.getNumResults() == 0)
      continue;
    if (!map.isIdentity() || type.getShape() != ArrayRef(ranges))
      return std::nullopt;
  }
  return ranges;
}

/// If `v` is `expand_shape(collapse_shape(noise))` through a 1-D collapse,
/// the noise loop's result type: the shape a same-size elementwise op next
/// to it should take to fuse with it.
static RankedTensorType noiseBehindFlatReshape(Value v) {
  auto expand = v.getDefiningOp<tensor::ExpandShapeOp>();
  auto collapse =
      expand ? expand.getSrc().getDefiningOp<tensor::CollapseShapeOp>()
             : nullptr;
  auto noise =
      collapse ? collapse.getSrc().getDefiningOp<linalg::GenericOp>() : nullptr;
  if (noise && collapse.getResultType().getRank() == 1 &&
      expand.getSrcType().getRank() == 1 && noiseLaneLoop(noise) &&
      collapse.getSrcType().hasStaticShape())
    return collapse.getSrcType();
  return {};
}

/// Replaces the shape-agnostic elementwise `op` (loop ranges `ranges`) by
/// the same loop over `target` (same element count): each tensor operand
/// collapsed to 1-D and expanded to `target`, each result reshaped back.
static void rebuildOverShape(PatternRewriter &rewriter, linalg::GenericOp op,
                             ArrayRef<int64_t> ranges,
                             RankedTensorType target) {
  Location loc = op.getLoc();
  int64_t rank = target.getRank();
  // [[0, ..., rank - 1]]: every dim in one group.
  auto oneGroup = [](int64_t rank) {
    return SmallVector<ReassociationIndices>{
        llvm::to_vector(llvm::seq<int64_t>(0, rank))};
  };
  auto reshape = [&](Value v, ArrayRef<int64_t> shape) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    auto flat = RankedTensorType::get({type.getNumElements()},
                                      type.getElementType());
    if (type.getRank() != 1)
      v = tensor::CollapseShapeOp::create(rewriter, loc, flat, v,
                                          oneGroup(type.getRank()));
    if (shape.size() == 1)
      return v;
    auto to = RankedTensorType::get(shape, type.getElementType());
    return tensor::ExpandShapeOp::create(rewriter, loc, to, v,
                                         oneGroup(shape.size()));
  };
  SmallVector<Value> inputs, inits;
  SmallVector<AffineMap> maps;
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  for (OpOperand *in : op.getDpsInputOperands()) {
    auto type = cast<RankedTensorType>(in->get().getType());
    if (type.getRank() == 0 &&
        op.getMatchingIndexingMap(in).getNumResults() == 0) {
      inputs.push_back(in->get());
      maps.push_back(AffineMap::get(rank, 0, rewriter.getContext()));
      continue;
    }
    inputs.push_back(reshape(in->get(), target.getShape()));
    maps.push_back(identity);
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    inits.push_back(reshape(init.get(), target.getShape()));
    maps.push_back(identity);
  }
  SmallVector<Type> types;
  for (Value v : inits)
    types.push_back(v.getType());
  auto fused = linalg::GenericOp::create(
      rewriter, loc, types, inputs, inits, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel));
  rewriter.inlineRegionBefore(op.getRegion(), fused.getRegion(),
                              fused.getRegion().begin());
  SmallVector<Value> results;
  for (Value r : fused.getResults())
    results.push_back(reshape(r, ranges));
  rewriter.replaceOp(op, results);
}

/// A noise loop over more than one trailing dim ([32, 32] merged into
/// [16 runs, 4, 16]) reaches a same-shape consumer as
/// `expand_shape(collapse_shape(noise))`, through which reshape propagation
/// cannot fuse (it would have to collapse the consumer and expand it again):
/// the noise would be materialized, a parameter-sized temporary in ZO-Adam's
/// moment sweeps. A shape-agnostic elementwise consumer is moved to the
/// noise's shape (the reshapes around the noise then fold away and it
/// fuses).
struct ReshapeConsumerToNoise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> ranges = shapeAgnosticRanges(op);
    if (!ranges)
      return failure();
    for (OpOperand *in : op.getDpsInputOperands()) {
      if (RankedTensorType target = noiseBehindFlatReshape(in->get())) {
        rebuildOverShape(rewriter, op, *ranges, target);
        return success();
      }
    }
    return failure();
  }
};

/// The same from the other side: a shape-agnostic elementwise producer read
/// by a noise loop through `expand_shape(collapse_shape(producer))` (a bf16
/// parameter widened to f32 before its f32 update, docs/cuda.md) is moved
/// to the noise's shape, so that it fuses into it instead of writing a
/// parameter-sized temporary.
struct ReshapeProducerToNoise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> ranges = shapeAgnosticRanges(op);
    if (!ranges || op->getNumResults() != 1 || !op->hasOneUse())
      return failure();
    auto collapse = dyn_cast<tensor::CollapseShapeOp>(*op->user_begin());
    if (!collapse || !collapse->hasOneUse())
      return failure();
    auto expand = dyn_cast<tensor::ExpandShapeOp>(*collapse->user_begin());
    if (!expand || !expand->hasOneUse())
      return failure();
    OpOperand &use = *expand->use_begin();
    auto noise = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!noise || !noise.isDpsInput(&use) || !noiseLaneLoop(noise) ||
        !expand.getResultType().hasStaticShape() ||
        collapse.getResultType().getRank() != 1 ||
        expand.getSrcType().getRank() != 1)
      return failure();
    rebuildOverShape(rewriter, op, *ranges, expand.getResultType());
    return success();
  }
};

} // namespace

/// Named ops the CPU back end maps to library calls.
static bool isLibraryOp(Operation *op) {
  return isa_and_nonnull<linalg::MatmulOp, linalg::BatchMatmulOp>(op);
}

/// A fused loop iterates in its consumer's order, in which a noise block's
/// lane loop ([..., n / 64, 4, 16] in element order) is not innermost: each
/// lane would then recompute the block's Philox call. Moves it back inside
/// (all-parallel loops only, where the order cannot change a result).
static void keepNoiseLaneInnermost(RewriterBase &rewriter,
                                   linalg::GenericOp op) {
  if (op.getNumParallelLoops() != op.getNumLoops())
    return;
  std::optional<unsigned> lane = noiseLaneLoop(op);
  unsigned loops = op.getNumLoops();
  if (!lane || *lane + 1 == loops)
    return;
  SmallVector<unsigned> order;
  for (unsigned d = 0; d < loops; ++d)
    if (d != *lane)
      order.push_back(d);
  order.push_back(*lane);
  rewriter.setInsertionPoint(op);
  (void)linalg::interchangeGenericOp(rewriter, op, order);
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
    // generator or a cheap broadcast, or a reshape of one), never across a
    // GEMM in either direction, and never through a broadcast read unless
    // the producer is a cheap broadcast: the fused loop would recompute the
    // producer for every consumer iteration reading the same element (a
    // perturbed bias, train.add_noise, would regenerate its noise once per
    // token instead of once).
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      Operation *source = producer;
      while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
          source))
        source = source->getOperand(0).getDefiningOp();
      bool cheap = isCheapBroadcast(source);
      bool duplicable = cheap || isGenerator(source) || isWidening(source) ||
                        isRecomputableUnary(source);
      bool reshape =
          isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
              producer);
      bool sunk = reshape && source != producer &&
                  isa_and_nonnull<linalg::GenericOp>(source) &&
                  onlySunkBesides(producer, consumer);
      if (!producer || (!producer->hasOneUse() && !duplicable && !sunk) ||
          isLibraryOp(producer) || isLibraryOp(consumer))
        return false;
      auto linalgConsumer = dyn_cast<linalg::LinalgOp>(consumer);
      if (!linalgConsumer || cheap)
        return true;
      bool permutation =
          linalgConsumer.getMatchingIndexingMap(fused).isPermutation();
      // A reshape read through a broadcast is propagated only when the op
      // behind it will fuse next; otherwise expanding the consumer buys
      // nothing and can cost its vectorization: a 32-element norm gain whose
      // noise is blocked [8, 4] would turn the [tokens, 32] normalization
      // into [tokens, 8, 4] loops with a 4-element inner loop.
      if (source != producer)
        return permutation;
      return !isa<linalg::LinalgOp>(producer) || permutation;
    };
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    zo::populateFuseIntoExtractPatterns(patterns);
    patterns.add<FuseKeepingSunkResult, ReshapeConsumerToNoise,
                 ReshapeProducerToNoise>(ctx);
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
      return signalPassFailure();
    IRRewriter rewriter(ctx);
    getOperation()->walk(
        [&](linalg::GenericOp op) { keepNoiseLaneInnermost(rewriter, op); });
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createFuseElementwisePass() {
  return std::make_unique<FuseElementwisePass>();
}
