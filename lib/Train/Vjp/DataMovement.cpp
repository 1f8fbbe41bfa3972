//===- DataMovement.cpp - VJP rules of views, copies and selections -------===//
//
// Each rule is the transpose of a linear map: views reshape the cotangent
// back, transpose applies the inverse permutation, expand sums over the
// broadcast dimensions, concat slices the cotangent and split concatenates
// (zeros for pieces without one), slice pads it with zeros (a gather of
// [ct, 0] for strided and reversed slices), trilu masks it again. gather's
// transpose is a scatter-add into a zero table (graph.scatter_add), whose
// transpose is in turn a gather. Index operands (gather's and scatter_add's
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

/// The transpose of a gather is a scatter-add of the cotangent into a zero
/// table: dT[a, wrap(idx[i]), b] += dY[a, i, b] (graph.scatter_add; its
/// lowering adds each row's contributions in index order, so the table's
/// gradient is the same on every run and target). Work and traffic are
/// those of dY plus the table's zero fill.
void vjp(OpBuilder &b, g::GatherOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  RankedTensorType data = tensorType(op.getData());
  Value zeros = g::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(data, b.getFloatAttr(data.getElementType(), 0.0)));
  results.push_back(g::ScatterAddOp::create(b, loc, data, zeros,
                                            op.getIndices(), ct, op.getAxis()));
  results.push_back(Value());
}

/// output = data + S(updates), linear in both: data's cotangent is the
/// output's, updates' is the output's cotangent gathered at the indices
/// (exact for indices in range; the slice of an out-of-range index, which
/// the op skips, would have a zero cotangent).
void vjp(OpBuilder &b, g::ScatterAddOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  results.push_back(ct);
  results.push_back(Value());
  results.push_back(g::GatherOp::create(b, op.getLoc(), ct, op.getIndices(),
                                        op.getAxis()));
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
  rules.add<g::ScatterAddOp>(vjp);
  rules.add<g::ConcatOp>(vjp);
  rules.add<g::SplitOp>(vjp);
  rules.add<g::RangeOp>(vjp);
  // The shape of a tensor does not depend on its values.
  rules.addZero<g::ShapeOp>();
}
