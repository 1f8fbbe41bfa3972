//===- DataMovement.cpp - VJP rules of views, copies and selections -------===//
//
// Each rule is the transpose of a linear map: views reshape the cotangent
// back, transpose applies the inverse permutation, expand sums over the
// broadcast dimensions, concat slices the cotangent and split concatenates
// (zeros for pieces without one), slice pads it with zeros (a gather of
// [ct, 0] for strided and reversed slices), trilu masks it again. gather's
// transpose is a scatter-add into the table, written in "pull" form, each
// table row summing the cotangent rows whose index selects it: a select
// and a sum that fuse into one loop nest (no new op, parallel on every
// target, no memory beyond the table's gradient; the work is rows x
// positions x width, fine for the test models, a dedicated scatter for
// large vocabularies is future work). Index operands (gather's
// indices, range's limit) and shape have no cotangent.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

void vjp(OpBuilder &b, g::TransposeOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  ArrayRef<int64_t> perm = op.getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  results.push_back(g::TransposeOp::create(b, op.getLoc(), ct, inverse));
}

/// reshape, flatten, squeeze, unsqueeze: the cotangent viewed in the
/// input's shape.
template <typename OpTy>
void viewVjp(OpBuilder &b, OpTy op, Value ct, SmallVectorImpl<Value> &results) {
  results.push_back(
      reshapeTo(b, op.getLoc(), ct, tensorType(op->getOperand(0))));
}

void vjp(OpBuilder &b, g::ExpandOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  results.push_back(sumToShape(b, op.getLoc(), ct, tensorType(op.getInput())));
}

void vjp(OpBuilder &b, g::TriluOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  results.push_back(cloneWithOperands(b, op, ct)->getResult(0));
}

/// A zero tensor shaped like `like` but with `size` along `axis`.
Value zerosAlong(OpBuilder &b, Location loc, Value like, int64_t axis,
                 int64_t size) {
  RankedTensorType type = tensorType(like);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = size;
  auto zeroType = RankedTensorType::get(shape, type.getElementType());
  return g::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(zeroType,
                             b.getFloatAttr(type.getElementType(), 0.0)));
}

/// Puts the cotangent of each slice dimension back at its positions of the
/// input, zeros elsewhere: one dimension at a time, a concat with zero
/// blocks for unit steps, else a gather from [ct, 0] (index n: the zero).
void vjp(OpBuilder &b, g::SliceOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> in = tensorType(op.getInput()).getShape();
  Value v = ct;
  for (int64_t d = 0, rank = in.size(); d < rank; ++d) {
    int64_t size = in[d], n = tensorType(v).getDimSize(d);
    int64_t start = op.getStarts()[d], step = op.getSteps()[d];
    if (n == size && step == 1)
      continue;
    if (step == 1) {
      SmallVector<Value> pieces;
      if (start > 0)
        pieces.push_back(zerosAlong(b, loc, v, d, start));
      pieces.push_back(v);
      if (size - start - n > 0)
        pieces.push_back(zerosAlong(b, loc, v, d, size - start - n));
      v = g::ConcatOp::create(b, loc, pieces, d);
      continue;
    }
    Value padded = g::ConcatOp::create(
        b, loc, ValueRange{v, zerosAlong(b, loc, v, d, 1)}, d);
    SmallVector<int64_t> index(size, n);
    for (int64_t k = 0; k < n; ++k)
      index[start + k * step] = k;
    auto indexType = RankedTensorType::get({size}, b.getI64Type());
    Value indices = g::ConstantOp::create(
        b, loc, DenseElementsAttr::get(indexType, ArrayRef<int64_t>(index)));
    v = g::GatherOp::create(b, loc, padded, indices, d);
  }
  results.push_back(v);
}

/// dT[a, v, b] = sum over the index positions i with idx[i] = v of
/// dY[a, i, b]: a select of dY where the index equals each row, summed over
/// the index dimensions. The select fuses into the sum, so nothing but the
/// table's gradient is materialized.
void vjp(OpBuilder &b, g::GatherOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  RankedTensorType data = tensorType(op.getData());
  RankedTensorType idx = tensorType(op.getIndices());
  Type elt = data.getElementType(), intType = idx.getElementType();
  int64_t rank = data.getRank(), q = idx.getRank();
  int64_t axis = normalizedAxis(op.getAxis(), op.getData());
  int64_t rows = data.getDimSize(axis);

  // Everything in the layout [A..., V, B..., I...]: the index dimensions
  // last, so the sum is an innermost reduction (the loop nests every target
  // parallelizes keep their parallel dimensions outside).
  int64_t ctRank = tensorType(ct).getRank();
  SmallVector<int64_t> idxShape(rank, 1), rowShape(rank + q, 1), perm;
  llvm::append_range(idxShape, idx.getShape());
  rowShape[axis] = rows;
  for (int64_t d = 0; d < axis; ++d)
    perm.push_back(d);
  for (int64_t d = axis + q; d < ctRank; ++d)
    perm.push_back(d);
  for (int64_t d = axis; d < axis + q; ++d)
    perm.push_back(d);
  Value moved = ct;
  if (!llvm::is_sorted(perm))
    moved = g::TransposeOp::create(b, loc, ct, perm);
  SmallVector<int64_t> ctShape(tensorType(moved).getShape());
  ctShape.insert(ctShape.begin() + axis, 1);

  Value indices = wrapNegative(b, loc, op.getIndices(), rows);
  indices =
      reshapeTo(b, loc, indices, RankedTensorType::get(idxShape, intType));
  SmallVector<APInt> rowIds;
  for (int64_t r = 0; r < rows; ++r)
    rowIds.push_back(
        APInt(intType.getIntOrFloatBitWidth(), r, /*isSigned=*/true));
  Value rowsConst = g::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(rowShape, intType), rowIds));
  Value hit = g::EqualOp::create(b, loc, indices, rowsConst);
  Value spread = reshapeTo(b, loc, moved, RankedTensorType::get(ctShape, elt));
  Value grad =
      g::WhereOp::create(b, loc, hit, spread, scalarLike(b, loc, spread, 0.0));
  if (q > 0)
    grad = reduceSum(b, loc, grad, trailingAxes(grad, rank),
                     /*keepdims=*/false);
  results.push_back(grad);
  results.push_back(Value());
}

void vjp(OpBuilder &b, g::ConcatOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> shape = tensorType(ct).getShape();
  int64_t axis = normalizedAxis(op.getAxis(), ct), offset = 0;
  for (Value input : op.getInputs()) {
    int64_t size = tensorType(input).getDimSize(axis);
    SmallVector<int64_t> starts(shape.size(), 0), ends(shape),
        steps(shape.size(), 1);
    starts[axis] = offset;
    ends[axis] = offset + size;
    offset += size;
    if (!isFloatTensor(input.getType())) {
      results.push_back(Value());
      continue;
    }
    results.push_back(g::SliceOp::create(b, loc, ct, starts, ends, steps));
  }
}

LogicalResult vjp(OpBuilder &b, g::SplitOp op, ArrayRef<Value> ct,
                  SmallVectorImpl<Value> &results) {
  SmallVector<Value> pieces;
  for (auto [output, c] : llvm::zip_equal(op.getOutputs(), ct))
    pieces.push_back(orZeros(b, op.getLoc(), c, output));
  results.push_back(g::ConcatOp::create(b, op.getLoc(), pieces, op.getAxis()));
  return success();
}

/// out[i] = start + i delta: dstart = sum(ct), ddelta = sum(i ct).
void vjp(OpBuilder &b, g::RangeOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  RankedTensorType type = tensorType(op.getOutput());
  SmallVector<Attribute> steps;
  for (int64_t i = 0, n = type.getDimSize(0); i < n; ++i)
    steps.push_back(b.getFloatAttr(type.getElementType(), (double)i));
  Value index =
      g::ConstantOp::create(b, loc, DenseElementsAttr::get(type, steps));
  auto total = [&](Value v, Value like) {
    return reshapeTo(b, loc, reduceSum(b, loc, v, {0}, false),
                     tensorType(like));
  };
  results.push_back(total(ct, op.getStart()));
  results.push_back(Value());
  results.push_back(total(mul(b, loc, ct, index), op.getDelta()));
}

} // namespace

void mlir::zo::populateDataMovementVjpRules(VjpRuleSet &rules) {
  rules.add<g::TransposeOp>(vjp);
  rules.add<g::ReshapeOp>(viewVjp);
  rules.add<g::FlattenOp>(viewVjp);
  rules.add<g::SqueezeOp>(viewVjp);
  rules.add<g::UnsqueezeOp>(viewVjp);
  rules.add<g::ExpandOp>(vjp);
  rules.add<g::SliceOp>(vjp);
  rules.add<g::TriluOp>(vjp);
  rules.add<g::GatherOp>(vjp);
  rules.add<g::ConcatOp>(vjp);
  rules.add<g::SplitOp>(vjp);
  rules.add<g::RangeOp>(vjp);
  // The shape of a tensor does not depend on its values.
  rules.addZero<g::ShapeOp>();
}
