//===- DataMovement.cpp - constants, views and copies -> tensor/linalg ----===//
//
// Ops that move or produce data without arithmetic on it. Views become
// tensor.collapse_shape / expand_shape / extract_slice (free after
// bufferization); copies that must exist (transpose, expand, gather,
// negative-step slices, trilu) are linalg ops so they can fuse into their
// consumers. scatter_add, which no linalg op expresses, is an scf.forall
// over the table's columns with a loop over the index positions inside.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

/// Extracts `data[coords]` where each coordinate comes from `coordOf(d)`.
Value extractAt(OpBuilder &b, Location loc, Value data,
                ArrayRef<Value> coords) {
  return tensor::ExtractOp::create(b, loc, data, coords);
}

struct ConstantLowering : OpConversionPattern<g::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // dense and dense_resource alike: arith.constant takes any ElementsAttr.
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, op.getType(), cast<TypedAttr>(op.getValue()));
    return success();
  }
};

struct ShapeLowering : OpConversionPattern<g::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ShapeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> shape = tensorType(op.getInput()).getShape();
    int64_t rank = shape.size();
    auto clampDim = [&](int64_t d) {
      return std::clamp<int64_t>(d < 0 ? d + rank : d, 0, rank);
    };
    int64_t start = clampDim(op.getStart());
    int64_t end = op.getEnd() ? clampDim(*op.getEnd()) : rank;
    SmallVector<int64_t> dims(shape.begin() + start,
                              shape.begin() + std::max(start, end));
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, type, DenseIntElementsAttr::get(type, dims));
    return success();
  }
};

struct ConstantOfShapeLowering : OpConversionPattern<g::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ConstantOfShapeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto value = cast<ElementsAttr>(op.getValue());
    auto scalarAttr = cast<TypedAttr>(*value.getValues<Attribute>().begin());
    // A fill, not a splat constant: no global is materialized and the fill
    // fuses into consumers.
    Value scalar = arith::ConstantOp::create(rewriter, op.getLoc(), scalarAttr);
    rewriter.replaceOp(op, filledTensor(rewriter, op.getLoc(), type, scalar));
    return success();
  }
};

struct RangeLowering : OpConversionPattern<g::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elt = type.getElementType();
    Value start = extractScalar(rewriter, loc, adaptor.getStart());
    Value delta = extractScalar(rewriter, loc, adaptor.getDelta());
    Value result = parallelGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Value i = linalg::IndexOp::create(b, l, 0);
          Value iv = isa<FloatType>(elt)
                         ? convertScalar(
                               b, l, convertScalar(b, l, i, b.getI64Type()), elt)
                         : convertScalar(b, l, i, elt);
          if (isa<FloatType>(elt))
            return arith::AddFOp::create(
                b, l, start, arith::MulFOp::create(b, l, iv, delta));
          return arith::AddIOp::create(b, l, start,
                                       arith::MulIOp::create(b, l, iv, delta));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// identity and dropout (inference) forward their input.
template <typename OpTy>
struct ForwardLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// reshape, flatten, squeeze, unsqueeze: one view op each.
template <typename OpTy>
struct ViewLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<g::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<g::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(),
                        cast<RankedTensorType>(op.getType()),
                        adaptor.getInput(),
                        [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// out[p.., i.., s..] = data[p.., wrap(indices[i..]), s..]: a parallel generic
/// over the output reading the indices as an input and the table with
/// tensor.extract, so an embedding lookup fuses with what consumes it.
struct GatherLowering : OpConversionPattern<g::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    RankedTensorType dt = tensorType(data), it = tensorType(indices);
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += dt.getRank();
    int64_t q = it.getRank();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t d = 0; d < q; ++d)
      idxExprs.push_back(getAffineDimExpr(axis + d, ctx));
    AffineMap idxMap = AffineMap::get(type.getRank(), 0, idxExprs, ctx);
    int64_t axisSize = dt.getDimSize(axis);

    Value result = parallelGeneric(
        rewriter, loc, type, indices, {idxMap},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value idx = convertScalar(b, l, a[0], b.getIndexType());
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value wrapped = arith::AddIOp::create(
              b, l, idx, arith::ConstantIndexOp::create(b, l, axisSize));
          Value negative =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
          idx = arith::SelectOp::create(b, l, negative, wrapped, idx);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < dt.getRank(); ++d) {
            if (d < axis)
              coords.push_back(linalg::IndexOp::create(b, l, d));
            else if (d == axis)
              coords.push_back(idx);
            else
              coords.push_back(linalg::IndexOp::create(b, l, d + q - 1));
          }
          return extractAt(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// output = data; output[a.., wrap(idx[i]), b..] += updates[a.., i, b..] for
/// every index position i (the index dimensions flattened), in order. A
/// scatter is no linalg op: it is an scf.forall over the table's columns
/// (every dimension but the axis), each of which owns its column of the
/// table and adds the positions' values into it in an scf.for, in order. No
/// two iterations write the same element (no atomics; the GPU runs the
/// columns in parallel), and every element sums its values in the same
/// order on every target (bit-identical results). The work is positions x
/// columns additions. The table keeps its shape (a zero `data`, the gather
/// VJP's, is a fill the loop then writes in place, and a returned result
/// needs no copy).
struct ScatterAddLowering : OpConversionPattern<g::ScatterAddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ScatterAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    RankedTensorType dt = tensorType(data), it = tensorType(indices);
    Type elt = dt.getElementType();
    int64_t rank = dt.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    ArrayRef<int64_t> shape = dt.getShape();
    int64_t rows = shape[axis], n = it.getNumElements();

    Value table = data;
    SplatElementsAttr splat;
    if (matchPattern(data, m_Constant(&splat))) {
      auto value = cast<TypedAttr>(splat.getSplatValue<Attribute>());
      table = filledTensor(rewriter, loc, dt,
                           arith::ConstantOp::create(rewriter, loc, value));
    }
    if (n == 0 || dt.getNumElements() == 0) {
      rewriter.replaceOp(op, table);
      return success();
    }
    // updates as [a.., n, b..], the indices as [n]: views.
    SmallVector<int64_t> updShape(shape);
    updShape[axis] = n;
    Value upd = reshapeTo(rewriter, loc, updates,
                          RankedTensorType::get(updShape, elt));
    Value idx = reshapeTo(rewriter, loc, indices,
                          RankedTensorType::get({n}, it.getElementType()));

    // One iteration per column; a 1-D table is one column.
    SmallVector<OpFoldResult> extents;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        extents.push_back(rewriter.getIndexAttr(shape[d]));
    if (extents.empty())
      extents.push_back(rewriter.getIndexAttr(1));
    auto forall = scf::ForallOp::create(rewriter, loc, extents,
                                        ValueRange{table}, std::nullopt);
    Value shared = forall.getRegionIterArgs()[0];
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getTerminator());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value count = arith::ConstantIndexOp::create(rewriter, loc, n);
    Value rowCount = arith::ConstantIndexOp::create(rewriter, loc, rows);
    // The column's coordinates in the table; updates' add the position.
    SmallVector<OpFoldResult> offsets, sizes,
        strides(rank, rewriter.getIndexAttr(1));
    SmallVector<Value> coords;
    for (int64_t d = 0, iv = 0; d < rank; ++d) {
      Value at = d == axis ? zero : forall.getInductionVars()[iv++];
      offsets.push_back(at);
      sizes.push_back(rewriter.getIndexAttr(d == axis ? rows : 1));
      coords.push_back(at);
    }
    auto columnType = RankedTensorType::get({rows}, elt);
    Value column = tensor::ExtractSliceOp::create(
        rewriter, loc, columnType, shared, offsets, sizes, strides);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, count, one, ValueRange{column},
        [&](OpBuilder &b, Location l, Value i, ValueRange iter) {
          Value col = iter[0];
          Value raw = tensor::ExtractOp::create(b, l, idx, ValueRange{i});
          Value v = convertScalar(b, l, raw, b.getIndexType());
          Value negative =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, v, zero);
          Value wrapped = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, v, rowCount), v);
          // Unsigned: an index still negative after wrapping is out too.
          Value inRange = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ult, wrapped, rowCount);
          SmallVector<Value> at(coords);
          at[axis] = i;
          Value x = tensor::ExtractOp::create(b, l, upd, at);
          auto add = scf::IfOp::create(
              b, l, inRange,
              [&](OpBuilder &t, Location tl) {
                Value old =
                    tensor::ExtractOp::create(t, tl, col, ValueRange{wrapped});
                Value sum = arith::AddFOp::create(t, tl, old, x);
                Value next = tensor::InsertOp::create(t, tl, sum, col,
                                                      ValueRange{wrapped});
                scf::YieldOp::create(t, tl, next);
              },
              [&](OpBuilder &e, Location el) {
                scf::YieldOp::create(e, el, col);
              });
          scf::YieldOp::create(b, l, add.getResult(0));
        });
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(rewriter, loc, loop.getResult(0),
                                          shared, offsets, sizes, strides);
    rewriter.replaceOp(op, forall.getResult(0));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<g::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += type.getRank();
    Value result = emptyTensor(rewriter, loc, type);
    int64_t offset = 0;
    for (Value in : adaptor.getInputs()) {
      RankedTensorType t = tensorType(in);
      if (t.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(type.getRank(),
                                               rewriter.getIndexAttr(1));
      for (int64_t s : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(s));
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets,
                                             sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

Value staticSlice(OpBuilder &b, Location loc, Value v, RankedTensorType type,
                  ArrayRef<int64_t> offsets, ArrayRef<int64_t> strides) {
  SmallVector<OpFoldResult> o, s, st;
  for (int64_t x : offsets)
    o.push_back(b.getIndexAttr(x));
  for (int64_t x : type.getShape())
    s.push_back(b.getIndexAttr(x));
  for (int64_t x : strides)
    st.push_back(b.getIndexAttr(x));
  return tensor::ExtractSliceOp::create(b, loc, type, v, o, s, st);
}

struct SliceLowering : OpConversionPattern<g::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    Value input = adaptor.getInput();
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOp(
          op, staticSlice(rewriter, loc, input, type, starts, steps));
      return success();
    }
    // A negative step is no strided view: read input[start + i * step].
    Value result = parallelGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            Value scaled = arith::MulIOp::create(
                b, l, i, arith::ConstantIndexOp::create(b, l, steps[d]));
            coords.push_back(arith::AddIOp::create(
                b, l, scaled, arith::ConstantIndexOp::create(b, l, starts[d])));
          }
          return extractAt(b, l, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<g::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = tensorType(adaptor.getInput()).getRank();
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    SmallVector<Value> pieces;
    int64_t offset = 0;
    for (Value out : op.getOutputs()) {
      auto type = cast<RankedTensorType>(out.getType());
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      pieces.push_back(staticSlice(rewriter, loc, adaptor.getInput(), type,
                                   offsets, strides));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

/// Keeps x where (col - row) >= k (upper) or <= k (lower), else 0.
struct TriluLowering : OpConversionPattern<g::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(g::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    if (rank < 2)
      return unsupported(op, "needs a tensor of rank >= 2");
    bool upper = op.getUpper();
    int64_t k = op.getK();
    Type elt = type.getElementType();
    Value result = elementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value row = convertScalar(b, l, linalg::IndexOp::create(b, l, rank - 2),
                                    b.getI64Type());
          Value col = convertScalar(b, l, linalg::IndexOp::create(b, l, rank - 1),
                                    b.getI64Type());
          Value diff = arith::SubIOp::create(b, l, col, row);
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diff, scalarConstant(b, l, b.getI64Type(), (double)k));
          return arith::SelectOp::create(b, l, keep, a[0],
                                         scalarConstant(b, l, elt, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::zo::populateGraphToLinalgDataMovementPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ShapeLowering, ConstantOfShapeLowering,
               RangeLowering, ForwardLowering<g::IdentityOp>,
               ForwardLowering<g::DropoutOp>, ViewLowering<g::ReshapeOp>,
               ViewLowering<g::FlattenOp>, ViewLowering<g::SqueezeOp>,
               ViewLowering<g::UnsqueezeOp>, TransposeLowering, ExpandLowering,
               GatherLowering, ScatterAddLowering, ConcatLowering,
               SliceLowering, SplitLowering,
               TriluLowering>(patterns.getContext());
}
