//===- Noise.cpp - train.normal / train.add_noise -> linalg.generic -------===//
//
// Each op becomes one all-parallel generic whose body computes the element's
// noise from linalg.index (Philox.h). The iteration space is chosen so that
// the Philox call is loop-invariant in the innermost loop: [..., d / 4, 4]
// when the last dimension d is a multiple of 4 (the result is collapsed
// back; elementwise fusion expands consumers through the collapse), the
// tensor's own shape with a per-element Philox call otherwise.
//
//===----------------------------------------------------------------------===//

#include "Philox.h"
#include "zo/Conversion/TrainToLinalg.h"
#include "zo/Dialect/Train/TrainDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::zo;

namespace {

/// Where the generic iterates and how an iteration point maps to the Philox
/// block and lane of its element.
struct NoiseSpace {
  RankedTensorType type;
  /// Shape iterated; equal to type's shape unless `blocked`.
  SmallVector<int64_t> shape;
  /// The innermost dim is the 4-lane dim of a block.
  bool blocked = false;

  explicit NoiseSpace(RankedTensorType t) : type(t) {
    shape.assign(t.getShape().begin(), t.getShape().end());
    blocked = !shape.empty() && shape.back() > 0 && shape.back() % 4 == 0;
    if (blocked) {
      shape.back() /= 4;
      shape.push_back(4);
    }
  }

  RankedTensorType iterType() const {
    return RankedTensorType::get(shape, type.getElementType());
  }

  /// [[0], [1], ..., [r - 1, r]]: the last dim split into (d / 4, 4).
  SmallVector<ReassociationIndices> reassociation() const {
    SmallVector<ReassociationIndices> groups;
    int64_t rank = type.getRank();
    for (int64_t d = 0; d + 1 < rank; ++d)
      groups.push_back({d});
    groups.push_back({rank - 1, rank});
    return groups;
  }

  Value toIterShape(OpBuilder &b, Location loc, Value v) const {
    if (!blocked)
      return v;
    return tensor::ExpandShapeOp::create(b, loc, iterType(), v,
                                         reassociation());
  }
  Value fromIterShape(OpBuilder &b, Location loc, Value v) const {
    if (!blocked)
      return v;
    return tensor::CollapseShapeOp::create(b, loc, type, v, reassociation());
  }

  /// Row-major linear index of the dims [0, n) of the iteration space.
  Value linearIndex(OpBuilder &b, Location loc, int64_t n) const {
    if (n == 0)
      return arith::ConstantIndexOp::create(b, loc, 0);
    Value linear = linalg::IndexOp::create(b, loc, 0);
    for (int64_t d = 1; d < n; ++d) {
      Value size = arith::ConstantIndexOp::create(b, loc, shape[d]);
      linear = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, linear, size),
          linalg::IndexOp::create(b, loc, d));
    }
    return linear;
  }

  /// (block, lane) of the current iteration point, both index.
  std::pair<Value, Value> blockAndLane(OpBuilder &b, Location loc) const {
    int64_t rank = static_cast<int64_t>(shape.size());
    if (blocked)
      return {linearIndex(b, loc, rank - 1),
              linalg::IndexOp::create(b, loc, rank - 1)};
    Value element = linearIndex(b, loc, rank);
    Value four = arith::ConstantIndexOp::create(b, loc, 4);
    return {arith::DivUIOp::create(b, loc, element, four),
            arith::RemUIOp::create(b, loc, element, four)};
  }
};

using ScalarBody = function_ref<Value(OpBuilder &, Location, ValueRange scalars,
                                      ValueRange args, Value noise)>;

/// One parallel generic over `space` reading the full-size `tensors`
/// (already in the iteration shape); `body` combines the scalars, the block
/// arguments and the element's noise. The 0-d `scalars` (seed first) are
/// extracted before the generic: a load inside the loop nest could alias its
/// output stores, which would keep LLVM from hoisting the Philox call out of
/// the lane loop.
Value noiseGeneric(OpBuilder &b, Location loc, const NoiseSpace &space,
                   ValueRange scalarTensors, ValueRange tensors,
                   uint32_t paramId, uint32_t stream, bool emitWords,
                   ScalarBody body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> scalars;
  for (Value t : scalarTensors)
    scalars.push_back(tensor::ExtractOp::create(b, loc, t, ValueRange{}));
  int64_t rank = static_cast<int64_t>(space.shape.size());
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps(tensors.size() + 1, identity);
  RankedTensorType iterType = space.iterType();
  Value init = tensor::EmptyOp::create(b, loc, iterType.getShape(),
                                       iterType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{iterType}, tensors, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto [block, lane] = space.blockAndLane(nb, nloc);
        std::array<Value, 4> words =
            noise::blockWords(nb, nloc, scalars[0], block, paramId, stream);
        Value z = emitWords ? arith::BitcastOp::create(
                                  nb, nloc, nb.getF32Type(),
                                  noise::laneWord(nb, nloc, words, lane))
                  : space.blocked ? noise::blockNormal(nb, nloc, words, lane)
                                  : noise::laneNormal(nb, nloc, words, lane);
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, scalars, args, z));
      });
  return space.fromIterShape(b, loc, generic.getResult(0));
}

struct NormalLowering : OpConversionPattern<train::NormalOp> {
  NormalLowering(MLIRContext *ctx, bool emitWords)
      : OpConversionPattern(ctx), emitWords(emitWords) {}

  LogicalResult
  matchAndRewrite(train::NormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    NoiseSpace space(op.getType());
    Value result =
        noiseGeneric(rewriter, op.getLoc(), space, {adaptor.getSeed()}, {},
                     static_cast<uint32_t>(op.getParamId()),
                     static_cast<uint32_t>(op.getStream()), emitWords,
                     [](OpBuilder &, Location, ValueRange, ValueRange,
                        Value z) { return z; });
    rewriter.replaceOp(op, result);
    return success();
  }

  bool emitWords;
};

struct AddNoiseLowering : OpConversionPattern<train::AddNoiseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(train::AddNoiseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    NoiseSpace space(op.getType());
    Value x = space.toIterShape(rewriter, loc, adaptor.getInput());
    // scalars: seed, alpha; args: x, out.
    Value result = noiseGeneric(
        rewriter, loc, space, {adaptor.getSeed(), adaptor.getAlpha()}, {x},
        static_cast<uint32_t>(op.getParamId()),
        static_cast<uint32_t>(op.getStream()), /*emitWords=*/false,
        [](OpBuilder &b, Location l, ValueRange scalars, ValueRange args,
           Value z) -> Value {
          Value scaled = arith::MulFOp::create(b, l, scalars[1], z);
          return arith::AddFOp::create(b, l, args[0], scaled);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::zo::populateTrainToLinalgPatterns(RewritePatternSet &patterns,
                                             bool testEmitWords) {
  patterns.add<NormalLowering>(patterns.getContext(), testEmitWords);
  patterns.add<AddNoiseLowering>(patterns.getContext());
}
