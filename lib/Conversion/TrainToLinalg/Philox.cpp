//===- Philox.cpp - Philox4x32-10 and Box-Muller as arith ops -------------===//
//
// Everything is plain arith/math on scalars so the generator can sit in any
// linalg body and vectorize there. Two details keep the f32 normals within a
// few ulps of the float64 reference in python/zo/philox.py:
//  * u = (m + 0.5) 2^-24 (m = w >> 8) needs 25 bits for m >= 2^23, so f32
//    rounds it by 2^-25; near u = 1 that is a large relative error of
//    log(u). The rounding error is exact in f32 and is added back to log(u).
//  * t = 2 pi u would carry an absolute error of ~2e-7 into sin/cos; the
//    quadrant is taken from the top bits of m instead, and sin/cos are
//    polynomials of the angle within the quadrant, (-pi/4, pi/4).
//
//===----------------------------------------------------------------------===//

#include "Philox.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::zo;

namespace {
// Random123's Philox4x32 multipliers and Weyl key increments.
constexpr uint32_t kM0 = 0xD2511F53, kM1 = 0xCD9E8D57;
constexpr uint32_t kW0 = 0x9E3779B9, kW1 = 0xBB67AE85;
constexpr int kRounds = 10;

Value i32(OpBuilder &b, Location loc, uint32_t v) {
  return arith::ConstantOp::create(
      b, loc, b.getI32IntegerAttr(static_cast<int32_t>(v)));
}
Value f32(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}
} // namespace

std::array<Value, 4> noise::philox4x32(OpBuilder &b, Location loc,
                                       std::array<Value, 4> c,
                                       std::array<Value, 2> k) {
  Value m0 = i32(b, loc, kM0), m1 = i32(b, loc, kM1);
  Value w0 = i32(b, loc, kW0), w1 = i32(b, loc, kW1);
  for (int r = 0; r < kRounds; ++r) {
    if (r != 0) {
      k[0] = arith::AddIOp::create(b, loc, k[0], w0);
      k[1] = arith::AddIOp::create(b, loc, k[1], w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, loc, m0, c[0]);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, m1, c[2]);
    auto xor3 = [&](Value x, Value y, Value z) -> Value {
      return arith::XOrIOp::create(b, loc, arith::XOrIOp::create(b, loc, x, y),
                                   z);
    };
    c = {xor3(p1.getHigh(), c[1], k[0]), p1.getLow(),
         xor3(p0.getHigh(), c[3], k[1]), p0.getLow()};
  }
  return c;
}

std::array<Value, 4> noise::blockWords(OpBuilder &b, Location loc, Value seed,
                                       Value block, uint32_t paramId,
                                       uint32_t stream) {
  Type i32Type = b.getI32Type(), i64Type = b.getI64Type();
  auto hi32 = [&](Value v) -> Value {
    Value shift = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32));
    return arith::TruncIOp::create(b, loc, i32Type,
                                   arith::ShRUIOp::create(b, loc, v, shift));
  };
  auto lo32 = [&](Value v) -> Value {
    return arith::TruncIOp::create(b, loc, i32Type, v);
  };
  Value block64 = arith::IndexCastUIOp::create(b, loc, i64Type, block);
  return philox4x32(
      b, loc,
      {lo32(block64), hi32(block64), i32(b, loc, paramId), i32(b, loc, stream)},
      {lo32(seed), hi32(seed)});
}

/// Selects words[lane] with two bits of the lane; when the lane is a loop
/// constant (the vectorizable form) the selects fold away.
static Value selectByLane(OpBuilder &b, Location loc, Value lane32, Value lo0,
                          Value lo1, Value hi0, Value hi1) {
  Value zero = i32(b, loc, 0);
  Value odd = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, lane32, i32(b, loc, 1)), zero);
  Value high = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, lane32, i32(b, loc, 2)), zero);
  Value lo = arith::SelectOp::create(b, loc, odd, lo1, lo0);
  Value hi = arith::SelectOp::create(b, loc, odd, hi1, hi0);
  return arith::SelectOp::create(b, loc, high, hi, lo);
}

Value noise::laneWord(OpBuilder &b, Location loc, std::array<Value, 4> w,
                      Value lane) {
  Value lane32 = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), lane);
  return selectByLane(b, loc, lane32, w[0], w[1], w[2], w[3]);
}

namespace {
/// Box-Muller of one pair of words (wa, wb): the radius from wa and the
/// angle from wb, kept as (quadrant, sin theta, cos theta) so that cos and
/// sin of t = quadrant pi/2 + theta are selections, not more polynomials.
struct BoxMuller {
  Value radius, quadrant, sinTheta, cosTheta;

  BoxMuller(OpBuilder &b, Location loc, Value wa, Value wb) {
    Type f32Type = b.getF32Type();
    Value eight = i32(b, loc, 8);
    Value ma = arith::ShRUIOp::create(b, loc, wa, eight);
    Value mb = arith::ShRUIOp::create(b, loc, wb, eight);

    // r = sqrt(-2 log u_a). m < 2^24, so sitofp is exact (and vectorizes
    // better than uitofp); s = m + 0.5 rounds, and (m - s) + 0.5 is exactly
    // what it lost.
    Value half = f32(b, loc, 0.5);
    Value scale = f32(b, loc, 0x1p-24);
    Value mfa = arith::SIToFPOp::create(b, loc, f32Type, ma);
    Value sa = arith::AddFOp::create(b, loc, mfa, half);
    Value ua = arith::MulFOp::create(b, loc, sa, scale);
    Value lost = arith::AddFOp::create(
        b, loc, arith::SubFOp::create(b, loc, mfa, sa), half);
    // log(u + d) = log(u) + d / u + O(d^2); d / u is replaced by d, which is
    // off by d (1 - u) / u: a relative error of at most 2^-24 in log(u).
    Value logU =
        arith::AddFOp::create(b, loc, math::LogOp::create(b, loc, ua),
                              arith::MulFOp::create(b, loc, lost, scale));
    radius = math::SqrtOp::create(
        b, loc, arith::MulFOp::create(b, loc, logU, f32(b, loc, -2.0)));

    // t = 2 pi u_b = q pi/2 + theta with theta in (-pi/4, pi/4): rotating m
    // by 2^21 (an eighth of a turn) makes its top two bits the nearest
    // quadrant q and the rest, minus 2^21, the offset from it. Exact in
    // integers; theta rounds once.
    Value rotated = arith::AndIOp::create(
        b, loc, arith::AddIOp::create(b, loc, mb, i32(b, loc, 1u << 21)),
        i32(b, loc, (1u << 24) - 1));
    quadrant = arith::ShRUIOp::create(b, loc, rotated, i32(b, loc, 22));
    Value offset = arith::SubIOp::create(
        b, loc,
        arith::AndIOp::create(b, loc, rotated, i32(b, loc, (1u << 22) - 1)),
        i32(b, loc, 1u << 21));
    Value theta = arith::MulFOp::create(
        b, loc,
        arith::AddFOp::create(
            b, loc, arith::SIToFPOp::create(b, loc, f32Type, offset), half),
        f32(b, loc, 6.283185307179586 * 0x1p-24));
    // Cephes' sinf/cosf polynomials for |theta| <= pi/4 (a few 1e-8): with
    // the reduction above they need no range handling, and being plain
    // arith they give the same bits on every target.
    Value z = arith::MulFOp::create(b, loc, theta, theta);
    auto fma = [&](Value x, Value y, double c) -> Value {
      return math::FmaOp::create(b, loc, x, y, f32(b, loc, c));
    };
    Value sinPoly = fma(fma(z, f32(b, loc, -1.9515295891e-4), 8.3321608736e-3),
                        z, -1.6666654611e-1);
    sinTheta = math::FmaOp::create(
        b, loc, arith::MulFOp::create(b, loc, sinPoly, z), theta, theta);
    Value cosPoly = fma(
        fma(fma(z, f32(b, loc, 2.443315711809948e-5), -1.388731625493765e-3), z,
            4.166664568298827e-2),
        z, -0.5);
    cosTheta = fma(cosPoly, z, 1.0);
  }

  /// r cos(t - shift pi/2) for an i32 `shift`: shift 0 is z_a = r cos t,
  /// shift 1 is z_b = r sin t. cos on quadrant q' = (q - shift) mod 4 is
  /// cos theta, -sin theta, -cos theta, sin theta.
  Value normal(OpBuilder &b, Location loc, Value shift) const {
    Value zero = i32(b, loc, 0), one = i32(b, loc, 1);
    Value q = arith::AndIOp::create(
        b, loc, arith::SubIOp::create(b, loc, quadrant, shift), i32(b, loc, 3));
    Value useSin =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                              arith::AndIOp::create(b, loc, q, one), zero);
    Value negate = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(b, loc, arith::AddIOp::create(b, loc, q, one),
                              i32(b, loc, 2)),
        zero);
    Value trig = arith::SelectOp::create(b, loc, useSin, sinTheta, cosTheta);
    trig = arith::SelectOp::create(b, loc, negate,
                                   arith::NegFOp::create(b, loc, trig), trig);
    return arith::MulFOp::create(b, loc, radius, trig);
  }
};
} // namespace

Value noise::laneNormal(OpBuilder &b, Location loc, std::array<Value, 4> w,
                        Value lane) {
  // Only this lane's pair is transformed: one log and one sin/cos per
  // element, the least work when every element recomputes its block.
  Value lane32 = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), lane);
  Value high = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, lane32, i32(b, loc, 2)), i32(b, loc, 0));
  BoxMuller pair(b, loc, arith::SelectOp::create(b, loc, high, w[2], w[0]),
                 arith::SelectOp::create(b, loc, high, w[3], w[1]));
  return pair.normal(b, loc,
                     arith::AndIOp::create(b, loc, lane32, i32(b, loc, 1)));
}

Value noise::blockNormal(OpBuilder &b, Location loc, std::array<Value, 4> w,
                         Value lane) {
  // All four normals depend on the block only, so LLVM hoists them out of
  // the 4-lane loop; what is left per lane is one select chain, small
  // enough for the lane loop to be unrolled and the block loop vectorized.
  BoxMuller p01(b, loc, w[0], w[1]), p23(b, loc, w[2], w[3]);
  Value zero = i32(b, loc, 0), one = i32(b, loc, 1);
  Value lane32 = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), lane);
  return selectByLane(b, loc, lane32, p01.normal(b, loc, zero),
                      p01.normal(b, loc, one), p23.normal(b, loc, zero),
                      p23.normal(b, loc, one));
}
