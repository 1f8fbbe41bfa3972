//===- Linalg.cpp - JVP rules of matmul and gemm --------------------------===//
//
// Both are bilinear: d(A B) = dA B + A dB, each term the same op on a
// tangent, so tangents take the same GEMM path (BLAS) as the primal.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::jvputil;

namespace {

Value jvp(OpBuilder &b, g::MatMulOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value viaLhs, viaRhs;
  if (t[0])
    viaLhs = g::MatMulOp::create(b, loc, t[0], op.getRhs());
  if (t[1])
    viaRhs = g::MatMulOp::create(b, loc, op.getLhs(), t[1]);
  return add(b, loc, viaLhs, viaRhs);
}

/// d(alpha op(A) op(B) + beta C) = alpha op(dA) op(B) + alpha op(A) op(dB)
/// + beta dC; beta dC rides along as the C of the first GEMM.
Value jvp(OpBuilder &b, g::GemmOp op, ArrayRef<Value> t) {
  Location loc = op.getLoc();
  Value tc = op.getC() ? t[2] : Value();
  auto gemm = [&](Value lhs, Value rhs, Value c) -> Value {
    return g::GemmOp::create(b, loc, lhs, rhs, c, op.getAlphaAttr(),
                             op.getBetaAttr(), op.getTransAAttr(),
                             op.getTransBAttr());
  };
  Value result;
  if (t[0]) {
    result = gemm(t[0], op.getB(), tc);
    tc = Value();
  }
  if (t[1]) {
    result = add(b, loc, result, gemm(op.getA(), t[1], tc));
    tc = Value();
  }
  if (tc)
    result = scale(b, loc, tc, op.getBeta().convertToDouble());
  return result;
}

} // namespace

void mlir::zo::populateLinalgJvpRules(JvpRuleSet &rules) {
  rules.add<g::MatMulOp>(jvp);
  rules.add<g::GemmOp>(jvp);
}
