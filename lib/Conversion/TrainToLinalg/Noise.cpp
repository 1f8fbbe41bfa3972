//===- Noise.cpp - train.normal / train.add_noise -> linalg.generic -------===//
//
// Each op becomes one all-parallel generic whose body computes the element's
// noise from linalg.index (Philox.h). The iteration space is chosen so that
// the Philox call is loop-invariant in the innermost loop: [..., d / 64, 16,
// 4] over tensors seen as [..., d / 64, 4, 16] when the last dimension d is
// a multiple of 64 (the result is collapsed back; elementwise fusion expands
// consumers through the collapse), likewise with d the product of the fewest
// trailing dims that is a multiple of 64, and the tensor's own shape with a
// per-element Philox call otherwise.
//
//===----------------------------------------------------------------------===//

#include "Philox.h"
#include "SparseMask.h"
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
///
/// Element e of a tensor (row-major) is lane (e / 16) % 4 of block
/// 16 * (e / 64) + e % 16: a run of 64 elements is 16 consecutive blocks,
/// and word j of those blocks is the j-th run of 16 elements. A vector of 16
/// blocks' word j is then 16 consecutive elements (no transpose before a
/// store), and a GPU warp's threads write consecutive addresses.
struct NoiseSpace {
  RankedTensorType type;
  /// Shape iterated: [..., n / 64, 16, 4] when `blocked` (block-in-group
  /// dim, then the lane dim innermost, so the Philox call is loop-invariant
  /// in the innermost loop), else type's shape.
  SmallVector<int64_t> shape;
  bool blocked = false;
  /// When blocked: how many trailing dims of `type` were merged into the
  /// (n / 64, 4, 16) triple (the fewest whose element count n is a multiple
  /// of 64).
  int64_t merged = 0;

  explicit NoiseSpace(RankedTensorType t, bool allowBlocked = true) : type(t) {
    shape.assign(t.getShape().begin(), t.getShape().end());
    int64_t rank = t.getRank(), count = 1;
    // One trailing dim usually; more when it is not a multiple of 64, as in
    // a 768 x 50257 LM head (a per-element Philox call there costs about
    // three times as much per element).
    for (int64_t k = 1; allowBlocked && k <= rank; ++k) {
      int64_t d = shape[rank - k];
      if (ShapedType::isDynamic(d) || d <= 0)
        break;
      count *= d;
      if (count % 64 == 0) {
        merged = k;
        break;
      }
    }
    blocked = merged > 0;
    if (blocked) {
      shape.resize(rank - merged);
      shape.append({count / 64, 16, 4});
    }
  }

  /// Every block index fits 32 bits (static shape, < 2^34 elements).
  bool blocksBelow2To32() const {
    return type.hasStaticShape() && type.getNumElements() / 4 < (1ll << 32);
  }

  /// The tensors' shape inside the generic: [..., n / 64, 4, 16] (element
  /// order) when blocked.
  RankedTensorType tensorType() const {
    if (!blocked)
      return type;
    SmallVector<int64_t> dims(shape.begin(), shape.end() - 2);
    dims.append({4, 16});
    return RankedTensorType::get(dims, type.getElementType());
  }

  /// Iteration point -> element position: swaps the last two dims when
  /// blocked.
  AffineMap tensorMap(MLIRContext *ctx) const {
    unsigned rank = static_cast<unsigned>(shape.size());
    if (!blocked)
      return AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<unsigned> perm = llvm::to_vector(llvm::seq<unsigned>(0, rank));
    std::swap(perm[rank - 2], perm[rank - 1]);
    return AffineMap::getPermutationMap(perm, ctx);
  }

  /// The shape with the merged dims as one: [..., n].
  RankedTensorType mergedType() const {
    SmallVector<int64_t> dims(shape.begin(), shape.end() - 3);
    dims.push_back(shape[shape.size() - 3] * 64);
    return RankedTensorType::get(dims, type.getElementType());
  }

  /// [[0], ..., [p - 1], [p, ..., p + size - 1]] for p leading dims kept.
  static SmallVector<ReassociationIndices> lastGroup(int64_t p,
                                                     int64_t size) {
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < p; ++d)
      groups.push_back({d});
    groups.emplace_back();
    for (int64_t d = p; d < p + size; ++d)
      groups.back().push_back(d);
    return groups;
  }

  /// type -> [..., n] -> [..., n / 64, 4, 16] (the first step only if
  /// merged > 1).
  Value toTensorShape(OpBuilder &b, Location loc, Value v) const {
    if (!blocked)
      return v;
    int64_t p = type.getRank() - merged;
    if (merged > 1)
      v = tensor::CollapseShapeOp::create(b, loc, mergedType(), v,
                                          lastGroup(p, merged));
    return tensor::ExpandShapeOp::create(b, loc, tensorType(), v,
                                         lastGroup(p, 3));
  }
  Value fromTensorShape(OpBuilder &b, Location loc, Value v) const {
    if (!blocked)
      return v;
    int64_t p = type.getRank() - merged;
    v = tensor::CollapseShapeOp::create(b, loc, mergedType(), v,
                                        lastGroup(p, 3));
    if (merged > 1)
      v = tensor::ExpandShapeOp::create(b, loc, type, v, lastGroup(p, merged));
    return v;
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

  /// Block and lane of the current iteration point, and, when not blocked,
  /// its row-major element (a sparse mask's input; masked noise iterates
  /// the plain shape), all index.
  struct Point {
    Value block, lane, element;
  };
  Point point(OpBuilder &b, Location loc) const {
    auto cst = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    int64_t rank = static_cast<int64_t>(shape.size());
    if (blocked) {
      // (..., group, i, lane): block 16 * group + i.
      Value group = linearIndex(b, loc, rank - 2);
      Value block = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, group, cst(16)),
          linalg::IndexOp::create(b, loc, rank - 2));
      return {block, linalg::IndexOp::create(b, loc, rank - 1), Value()};
    }
    Value element = linearIndex(b, loc, rank);
    Value block = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(
            b, loc, arith::DivUIOp::create(b, loc, element, cst(64)),
            cst(16)),
        arith::RemUIOp::create(b, loc, element, cst(16)));
    Value lane = arith::RemUIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, element, cst(16)), cst(4));
    return {block, lane, element};
  }
};

using ScalarBody = function_ref<Value(OpBuilder &, Location, ValueRange scalars,
                                      ValueRange args, Value noise)>;

/// One parallel generic over `space` reading the full-size `tensors`
/// (already in `space.tensorType()`); `body` combines the scalars, the block
/// arguments and the element's noise. The 0-d `scalars` (seed first) are
/// extracted before the generic: a load inside the loop nest could alias its
/// output stores, which would keep LLVM from hoisting the Philox call out of
/// the lane loop. With a `mask`, the noise is zero where it drops the element.
Value noiseGeneric(OpBuilder &b, Location loc, const NoiseSpace &space,
                   ValueRange scalarTensors, ValueRange tensors,
                   uint32_t paramId, uint32_t stream, bool emitWords,
                   ScalarBody body,
                   const std::optional<noise::SparseMask> &mask = {}) {
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> scalars;
  for (Value t : scalarTensors)
    scalars.push_back(tensor::ExtractOp::create(b, loc, t, ValueRange{}));
  int64_t rank = static_cast<int64_t>(space.shape.size());
  SmallVector<AffineMap> maps(tensors.size() + 1, space.tensorMap(ctx));
  RankedTensorType tensorType = space.tensorType();
  Value init = tensor::EmptyOp::create(b, loc, tensorType.getShape(),
                                       tensorType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{tensorType}, tensors, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto [block, lane, element] = space.point(nb, nloc);
        std::array<Value, 4> words =
            noise::blockWords(nb, nloc, scalars[0], block, paramId, stream,
                              space.blocksBelow2To32());
        Value z = emitWords ? arith::BitcastOp::create(
                                  nb, nloc, nb.getF32Type(),
                                  noise::laneWord(nb, nloc, words, lane))
                  : space.blocked ? noise::blockNormal(nb, nloc, words, lane)
                                  : noise::laneNormal(nb, nloc, words, lane);
        if (mask) {
          assert(element && "masked noise iterates the plain shape");
          z = mask->apply(nb, nloc, element, z);
        }
        // Noise and arithmetic in f32 (alpha is f32); a narrower element
        // type (bf16, f16) is widened on load and rounded once on store.
        Value result = body(nb, nloc, scalars, args, z);
        Type elt = tensorType.getElementType();
        if (result.getType() != elt && elt.getIntOrFloatBitWidth() < 32)
          result = arith::TruncFOp::create(nb, nloc, elt, result);
        linalg::YieldOp::create(nb, nloc, result);
      });
  return space.fromTensorShape(b, loc, generic.getResult(0));
}

struct NormalLowering : OpConversionPattern<train::NormalOp> {
  NormalLowering(MLIRContext *ctx, bool emitWords)
      : OpConversionPattern(ctx), emitWords(emitWords) {}

  LogicalResult
  matchAndRewrite(train::NormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<noise::SparseMask> mask;
    if (adaptor.getMaskEpoch())
      mask = noise::SparseMask::build(rewriter, op.getLoc(),
                                      noise::getMaskParams(op),
                                      adaptor.getMaskEpoch());
    // A masked body is too large for LLVM to unroll the 4-lane loop, which
    // would then stay scalar: iterate over the plain shape instead.
    NoiseSpace space(op.getType(), /*allowBlocked=*/!mask);
    Value result =
        noiseGeneric(rewriter, op.getLoc(), space, {adaptor.getSeed()}, {},
                     static_cast<uint32_t>(op.getParamId()),
                     static_cast<uint32_t>(op.getStream()), emitWords,
                     [](OpBuilder &, Location, ValueRange, ValueRange,
                        Value z) { return z; },
                     mask);
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
    std::optional<noise::SparseMask> mask;
    if (adaptor.getMaskEpoch())
      mask = noise::SparseMask::build(rewriter, loc, noise::getMaskParams(op),
                                      adaptor.getMaskEpoch());
    NoiseSpace space(op.getType(), /*allowBlocked=*/!mask);
    Value x = space.toTensorShape(rewriter, loc, adaptor.getInput());
    // scalars: seed, alpha; args: x, out.
    Value result = noiseGeneric(
        rewriter, loc, space, {adaptor.getSeed(), adaptor.getAlpha()}, {x},
        static_cast<uint32_t>(op.getParamId()),
        static_cast<uint32_t>(op.getStream()), /*emitWords=*/false,
        [](OpBuilder &b, Location l, ValueRange scalars, ValueRange args,
           Value z) -> Value {
          Value scaled = arith::MulFOp::create(b, l, scalars[1], z);
          Value x = args[0];
          if (x.getType().getIntOrFloatBitWidth() < 32)
            x = arith::ExtFOp::create(b, l, scaled.getType(), x);
          return arith::AddFOp::create(b, l, x, scaled);
        },
        mask);
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
