//===- Normalized.cpp - SinkGD and SWAN update directions -----------------===//
//
// Both act on one 2-D gradient and are written in graph ops, so they lower
// like the model (fused loops, BLAS GEMMs for SWAN's small products).
// SinkGD iterates only its row and column scale vectors: each half-step is
// one reduction over g (sum_j g_ij^2 c_j^2, then sum_i r_i^2 g_ij^2), and
// the direction r g c is applied once, in the update's own loop.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/FirstOrder.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo;

/// A constant of `shape` filled with `value`, of `g`'s element type.
static Value splat(OpBuilder &b, Location loc, Value g,
                   ArrayRef<int64_t> shape, double value) {
  Type elt = cast<RankedTensorType>(g.getType()).getElementType();
  auto type = RankedTensorType::get(shape, elt);
  return graph::ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, FloatAttr::get(elt, value)));
}

static Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return graph::MulOp::create(b, loc, x, y);
}

static Value sqrtOf(OpBuilder &b, Location loc, Value x) {
  return graph::SqrtOp::create(b, loc, x.getType(), x);
}

/// The sum of 2-D `x` over `axis`, without keepdims: a keepdims reduction
/// gets its result reshaped, reshape propagation then makes the reduction
/// read `x`'s producer through a reshape that elementwise fusion cannot
/// cross, and the m x n product would be stored instead of fused.
static Value sumOver(OpBuilder &b, Location loc, Value x, int64_t axis) {
  return graph::ReduceSumOp::create(b, loc, x, ArrayRef<int64_t>{axis},
                                    /*keepdims=*/false);
}

Value mlir::zo::buildSinkhornDirection(OpBuilder &b, Location loc, Value g,
                                       int64_t iterations, double clamp) {
  auto type = cast<RankedTensorType>(g.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  auto column = RankedTensorType::get({m, 1}, type.getElementType());
  // r (m) and c (n); c broadcasts along g's rows as is, r as an m x 1.
  Value r = splat(b, loc, g, {m}, 1.0), c = splat(b, loc, g, {n}, 1.0);
  auto asColumn = [&](Value v) -> Value {
    return graph::ReshapeOp::create(b, loc, column, v);
  };
  Value sqrtN = splat(b, loc, g, {}, std::sqrt(static_cast<double>(n)));
  Value sqrtM = splat(b, loc, g, {}, std::sqrt(static_cast<double>(m)));
  Value floor = splat(b, loc, g, {}, clamp);
  for (int64_t k = 0; k < iterations; ++k) {
    // Rows of r g c to norm sqrt(n): |row_i| = r_i sqrt(sum_j g_ij^2 c_j^2).
    // (g c^2) g, not (g g) c^2: every half-step's product is a different
    // expression, so none is shared (and stored) across iterations.
    Value rowSq =
        sumOver(b, loc, mul(b, loc, mul(b, loc, g, mul(b, loc, c, c)), g), 1);
    Value rowNorm = mul(b, loc, r, sqrtOf(b, loc, rowSq));
    r = graph::DivOp::create(b, loc, mul(b, loc, r, sqrtN),
                             graph::MaxOp::create(b, loc, rowNorm, floor));
    // Then the columns to norm sqrt(m).
    Value colSq = sumOver(
        b, loc, mul(b, loc, mul(b, loc, g, asColumn(mul(b, loc, r, r))), g),
        0);
    Value colNorm = mul(b, loc, c, sqrtOf(b, loc, colSq));
    c = graph::DivOp::create(b, loc, mul(b, loc, c, sqrtM),
                             graph::MaxOp::create(b, loc, colNorm, floor));
  }
  return mul(b, loc, mul(b, loc, asColumn(r), g), c);
}

Value mlir::zo::buildSwanDirection(OpBuilder &b, Location loc, Value g,
                                   int64_t iterations, double clamp) {
  auto type = cast<RankedTensorType>(g.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  // GradNorm: per row, zero mean and unit (population) standard deviation.
  Value mean = graph::ReduceMeanOp::create(b, loc, g, ArrayRef<int64_t>{1},
                                           /*keepdims=*/true);
  Value centered = graph::SubOp::create(b, loc, g, mean);
  Value var = graph::ReduceMeanOp::create(b, loc,
                                          mul(b, loc, centered, centered),
                                          ArrayRef<int64_t>{1}, true);
  Value normed = graph::DivOp::create(
      b, loc, centered,
      graph::AddOp::create(b, loc, sqrtOf(b, loc, var),
                           splat(b, loc, g, {}, clamp)));
  // GradWhitening on the smaller side.
  bool left = m <= n;
  int64_t s = left ? m : n;
  // A = G~ G~^T (or G~^T G~) as a GEMM with a transposed operand: BLAS and
  // cuBLAS read G~ in place, where a transpose would be a second G~-sized
  // buffer alive beside it.
  Value a = graph::GemmOp::create(b, loc, normed, normed, Value(),
                                  b.getF32FloatAttr(1.0f),
                                  b.getF32FloatAttr(1.0f),
                                  b.getBoolAttr(!left), b.getBoolAttr(left));
  Value fro = graph::AddOp::create(
      b, loc,
      sqrtOf(b, loc,
             graph::ReduceSumOp::create(b, loc, mul(b, loc, a, a),
                                        ArrayRef<int64_t>{},
                                        /*keepdims=*/false)),
      splat(b, loc, g, {}, clamp));
  SmallVector<double> identity(s * s, 0.0), three(s * s, 0.0);
  for (int64_t i = 0; i < s; ++i) {
    identity[i * s + i] = 1.0;
    three[i * s + i] = 3.0;
  }
  Type elt = type.getElementType();
  auto square = RankedTensorType::get({s, s}, elt);
  auto constant = [&](ArrayRef<double> values) -> Value {
    SmallVector<Attribute> attrs;
    for (double v : values)
      attrs.push_back(FloatAttr::get(elt, v));
    return graph::ConstantOp::create(b, loc, square,
                                     DenseElementsAttr::get(square, attrs));
  };
  Value half = splat(b, loc, g, {}, 0.5);
  Value y = graph::DivOp::create(b, loc, a, fro);
  Value z = constant(identity);
  Value threeI = constant(three);
  for (int64_t k = 0; k < iterations; ++k) {
    // Y (3I - ZY) / 2 as Y ((3I - ZY) / 2): halving is exact, so both
    // products are the same bits, and the halving is one elementwise pass
    // fused with the subtraction instead of a pass (and a temporary) after
    // each product. Per iteration: ZY, T, Y', Z', each s x s; whatever is
    // freed is reused by the next of the same shape
    // (zo-reuse-freed-buffers), so the iteration allocates nothing after
    // the first one.
    Value t = mul(b, loc,
                  graph::SubOp::create(b, loc, threeI,
                                       graph::MatMulOp::create(b, loc, z, y)),
                  half);
    y = graph::MatMulOp::create(b, loc, y, t);
    z = graph::MatMulOp::create(b, loc, t, z);
  }
  // Z ~ (A / |A|)^(-1/2), so A^(-1/2) = Z / sqrt(|A|).
  Value inverseRoot = graph::DivOp::create(b, loc, z, sqrtOf(b, loc, fro));
  return left ? graph::MatMulOp::create(b, loc, inverseRoot, normed)
              : graph::MatMulOp::create(b, loc, normed, inverseRoot);
}
