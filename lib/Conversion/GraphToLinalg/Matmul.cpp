//===- Matmul.cpp - graph.matmul / graph.gemm -> linalg.(batch_)matmul ----===//
//
// Every contraction becomes exactly one linalg.matmul or linalg.batch_matmul,
// the two ops the CPU pipeline hands to BLAS after bufferization. Numpy
// semantics (1-D promotion, batch broadcasting) are resolved around them
// with reshapes and, only when a batch dimension really broadcasts, an
// explicit broadcast copy.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "zo/Conversion/GraphToLinalg.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::lowering;
namespace g = mlir::zo::graph;

namespace {

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t s : shape)
    n *= s;
  return n;
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type,
                      scalarConstant(b, loc, type.getElementType(), 0.0));
}

/// Copies `v` broadcast (numpy rules) to `shape`; a reshape when no element is
/// duplicated.
Value broadcastTo(OpBuilder &b, Location loc, Value v,
                  ArrayRef<int64_t> shape) {
  RankedTensorType t = tensorType(v);
  auto to = RankedTensorType::get(shape, t.getElementType());
  if (t.getNumElements() == to.getNumElements())
    return reshapeTo(b, loc, v, to);
  return elementwise(b, loc, to, v,
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

struct MatMulLowering : OpConversionPattern<g::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(g::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elt = resultType.getElementType();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    RankedTensorType lt = tensorType(lhs), rt = tensorType(rhs);
    if (lt.getElementType() != elt || rt.getElementType() != elt)
      return unsupported(op, "mixed element types");

    // 1-D promotion: [K] is [1, K] on the left and [K, 1] on the right.
    SmallVector<int64_t> ls(lt.getShape()), rs(rt.getShape());
    if (ls.size() == 1)
      ls.insert(ls.begin(), 1);
    if (rs.size() == 1)
      rs.push_back(1);
    lhs = reshapeTo(rewriter, loc, lhs, RankedTensorType::get(ls, elt));
    rhs = reshapeTo(rewriter, loc, rhs, RankedTensorType::get(rs, elt));
    int64_t m = ls[ls.size() - 2], k = ls.back(), n = rs.back();
    ArrayRef<int64_t> lb = ArrayRef(ls).drop_back(2),
                      rb = ArrayRef(rs).drop_back(2);
    SmallVector<int64_t> batch;
    if (failed(g::broadcastShapes(lb, rb, batch)))
      return unsupported(op, "batch dimensions do not broadcast");
    int64_t batchSize = product(batch);
    SmallVector<int64_t> full(batch);
    full.append({m, n});

    Value product2d;
    if (product(rb) == 1) {
      // Only the left side is batched (x @ W): fold its batch into M so the
      // whole thing is one GEMM on the weight as stored.
      auto a2 = RankedTensorType::get({product(lb) * m, k}, elt);
      auto b2 = RankedTensorType::get({k, n}, elt);
      Value a = reshapeTo(rewriter, loc, lhs, a2);
      Value w = reshapeTo(rewriter, loc, rhs, b2);
      auto outType = RankedTensorType::get({product(lb) * m, n}, elt);
      product2d = linalg::MatmulOp::create(rewriter, loc, TypeRange{outType},
                                           ValueRange{a, w},
                                           ValueRange{zeroFilled(rewriter, loc,
                                                                 outType)})
                      .getResult(0);
    } else {
      SmallVector<int64_t> lfull(batch), rfull(batch);
      lfull.append({m, k});
      rfull.append({k, n});
      Value a = reshapeTo(rewriter, loc, broadcastTo(rewriter, loc, lhs, lfull),
                          RankedTensorType::get({batchSize, m, k}, elt));
      Value w = reshapeTo(rewriter, loc, broadcastTo(rewriter, loc, rhs, rfull),
                          RankedTensorType::get({batchSize, k, n}, elt));
      auto outType = RankedTensorType::get({batchSize, m, n}, elt);
      product2d =
          linalg::BatchMatmulOp::create(
              rewriter, loc, TypeRange{outType}, ValueRange{a, w},
              ValueRange{zeroFilled(rewriter, loc, outType)})
              .getResult(0);
    }
    Value result = reshapeTo(rewriter, loc, product2d,
                             RankedTensorType::get(full, elt));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// alpha * op(A) op(B) + beta * C. Transposes are indexing maps of the
/// linalg.matmul (BLAS takes them for free); with alpha == 1, beta * C is the
/// accumulator the matmul adds into.
struct GemmLowering : OpConversionPattern<g::GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(g::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elt = type.getElementType();
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = beta != 0.0 ? adaptor.getC() : Value();

    Value init;
    if (c && alpha == 1.0) {
      init = elementwise(rewriter, loc, type, c,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           if (beta == 1.0)
                             return a[0];
                           return arith::MulFOp::create(
                               b, l, a[0], scalarConstant(b, l, elt, beta));
                         });
    } else {
      init = zeroFilled(rewriter, loc, type);
    }

    SmallVector<NamedAttribute> attrs;
    if (op.getTransA() || op.getTransB()) {
      AffineExpr d0, d1, d2;
      bindDims(ctx, d0, d1, d2);
      auto map = [&](AffineExpr x, AffineExpr y) {
        return AffineMapAttr::get(AffineMap::get(3, 0, {x, y}, ctx));
      };
      auto maps = rewriter.getArrayAttr(
          {op.getTransA() ? map(d2, d0) : map(d0, d2),
           op.getTransB() ? map(d1, d2) : map(d2, d1), map(d0, d1)});
      attrs.push_back(rewriter.getNamedAttr("indexing_maps", maps));
    }
    Value product =
        linalg::MatmulOp::create(rewriter, loc, TypeRange{type},
                                 ValueRange{adaptor.getA(), adaptor.getB()},
                                 ValueRange{init}, attrs)
            .getResult(0);

    if (alpha != 1.0) {
      SmallVector<Value> inputs{product};
      if (c)
        inputs.push_back(c);
      product = elementwise(
          rewriter, loc, type, inputs,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value r = arith::MulFOp::create(
                b, l, a[0], scalarConstant(b, l, elt, alpha));
            if (a.size() == 1)
              return r;
            Value bc = arith::MulFOp::create(b, l, a[1],
                                             scalarConstant(b, l, elt, beta));
            return arith::AddFOp::create(b, l, r, bc);
          });
    }
    rewriter.replaceOp(op, product);
    return success();
  }
};

} // namespace

void mlir::zo::populateGraphToLinalgMatmulPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
