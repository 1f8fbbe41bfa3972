//===- Linalg.cpp - VJP rules of matmul and gemm --------------------------===//
//
// For Y = A B: dA = dY B^T, dB = A^T dY, each again a matmul / gemm so the
// backward pass takes the same GEMM path (BLAS) as the forward; a linear
// layer (a 2-D weight on the right) uses gemm's transpose flags. matmul's
// batch broadcasting needs nothing special: the products come out in the
// broadcast batch shape and the driver sums them back to each operand's.
// 1-D operands are promoted as numpy does (a vector on the left is a row,
// on the right a column) and the promotion is undone on the cotangent.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

namespace {

/// `x` with its last two dimensions swapped.
Value transposeLast2(OpBuilder &b, Location loc, Value x) {
  int64_t rank = tensorType(x).getRank();
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    perm.push_back(d);
  std::swap(perm[rank - 1], perm[rank - 2]);
  return g::TransposeOp::create(b, loc, x, perm);
}

/// `x` with a size-1 dimension inserted at `axis` (negative: from the end).
Value insertUnitDim(OpBuilder &b, Location loc, Value x, int64_t axis) {
  RankedTensorType type = tensorType(x);
  SmallVector<int64_t> shape(type.getShape());
  if (axis < 0)
    axis += shape.size() + 1;
  shape.insert(shape.begin() + axis, 1);
  return g::ReshapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x);
}

/// `x` without its size-1 dimension at `axis` (negative: from the end).
Value dropUnitDim(OpBuilder &b, Location loc, Value x, int64_t axis) {
  RankedTensorType type = tensorType(x);
  SmallVector<int64_t> shape(type.getShape());
  if (axis < 0)
    axis += shape.size();
  shape.erase(shape.begin() + axis);
  return g::ReshapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x);
}

void vjp(OpBuilder &b, g::MatMulOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  Value lhs = op.getLhs(), rhs = op.getRhs();
  bool lhsVec = tensorType(lhs).getRank() == 1;
  bool rhsVec = tensorType(rhs).getRank() == 1;
  if (lhsVec && rhsVec) { // a dot product: ct is a scalar
    results.push_back(mul(b, loc, ct, rhs));
    results.push_back(mul(b, loc, ct, lhs));
    return;
  }
  if (!lhsVec && !rhsVec && tensorType(rhs).getRank() == 2) {
    // The linear-layer case, activations [..., m, k] times a weight [k, n]:
    // with the leading dimensions flattened into the rows both cotangents
    // are one 2-D gemm whose transposes BLAS applies for free (no
    // transposed copy, no per-batch weight gradient summed afterwards).
    RankedTensorType at = tensorType(lhs), ct2 = tensorType(ct);
    Type elt = at.getElementType();
    int64_t k = at.getShape().back(), n = ct2.getShape().back();
    int64_t rows = at.getNumElements() / k;
    auto flat = [&](Value v, int64_t cols) -> Value {
      return reshapeTo(b, loc, v, RankedTensorType::get({rows, cols}, elt));
    };
    auto gemm = [&](Value x, Value y, bool tx, bool ty) -> Value {
      return g::GemmOp::create(b, loc, x, y, Value(), b.getF32FloatAttr(1.0f),
                               b.getF32FloatAttr(1.0f), b.getBoolAttr(tx),
                               b.getBoolAttr(ty));
    };
    Value g2 = flat(ct, n);
    results.push_back(reshapeTo(b, loc, gemm(g2, rhs, false, true), at));
    results.push_back(gemm(flat(lhs, k), g2, true, false));
    return;
  }
  // Promote to matrices: [k] -> [1, k] on the left, [k] -> [k, 1] on the
  // right; ct gets the dimension the promotion removed.
  Value a = lhsVec ? insertUnitDim(b, loc, lhs, 0) : lhs;
  Value bm = rhsVec ? insertUnitDim(b, loc, rhs, 1) : rhs;
  Value g = ct;
  if (lhsVec)
    g = insertUnitDim(b, loc, g, -2);
  if (rhsVec)
    g = insertUnitDim(b, loc, g, -1);
  Value da = g::MatMulOp::create(b, loc, g, transposeLast2(b, loc, bm));
  Value db = g::MatMulOp::create(b, loc, transposeLast2(b, loc, a), g);
  // [..., 1, k] and [..., k, 1] lose the promoted dimension again; the
  // batch dimensions are summed by the driver.
  if (lhsVec)
    da = dropUnitDim(b, loc, da, -2);
  if (rhsVec)
    db = dropUnitDim(b, loc, db, -1);
  results.push_back(da);
  results.push_back(db);
}

/// Y = alpha op(A) op(B) + beta C with op(X) = X or X^T:
/// d op(A) = alpha dY op(B)^T, d op(B) = alpha op(A)^T dY, dC = beta dY
/// (summed to C's shape by the driver); each written as one gemm.
void vjp(OpBuilder &b, g::GemmOp op, Value ct,
         SmallVectorImpl<Value> &results) {
  Location loc = op.getLoc();
  bool ta = op.getTransA(), tb = op.getTransB();
  auto gemm = [&](Value x, Value y, bool tx, bool ty) -> Value {
    return g::GemmOp::create(b, loc, x, y, Value(), op.getAlphaAttr(),
                             b.getF32FloatAttr(1.0f), b.getBoolAttr(tx),
                             b.getBoolAttr(ty));
  };
  // dA = alpha dY op(B)^T, or its transpose alpha op(B) dY^T.
  results.push_back(ta ? gemm(op.getB(), ct, tb, true)
                       : gemm(ct, op.getB(), false, !tb));
  // dB = alpha op(A)^T dY, or its transpose alpha dY^T op(A).
  results.push_back(tb ? gemm(ct, op.getA(), true, ta)
                       : gemm(op.getA(), ct, !ta, false));
  if (op.getC())
    results.push_back(scale(b, loc, ct, op.getBeta().convertToDouble()));
}

} // namespace

void mlir::zo::populateLinalgVjpRules(VjpRuleSet &rules) {
  rules.add<g::MatMulOp>(vjp);
  rules.add<g::GemmOp>(vjp);
}
