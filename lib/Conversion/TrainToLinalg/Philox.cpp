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
// For speed (this is the inner loop of every ZO step), log is a polynomial
// without math.log's special cases (u is never 0, negative or subnormal),
// and the quadrant's swap and signs are integer bit tests, not select
// chains.
//
//===----------------------------------------------------------------------===//

#include "Philox.h"
#include "zo/Conversion/TrainToLinalg.h"

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
                                       uint32_t stream, bool blockBelow2To32) {
  Type i32Type = b.getI32Type(), i64Type = b.getI64Type();
  auto hi32 = [&](Value v) -> Value {
    Value shift = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32));
    return arith::TruncIOp::create(b, loc, i32Type,
                                   arith::ShRUIOp::create(b, loc, v, shift));
  };
  auto lo32 = [&](Value v) -> Value {
    return arith::TruncIOp::create(b, loc, i32Type, v);
  };
  std::array<Value, 2> blockWords;
  if (blockBelow2To32) {
    blockWords = {arith::IndexCastUIOp::create(b, loc, i32Type, block),
                  i32(b, loc, 0)};
  } else {
    Value block64 = arith::IndexCastUIOp::create(b, loc, i64Type, block);
    blockWords = {lo32(block64), hi32(block64)};
  }
  return philox4x32(b, loc,
                    {blockWords[0], blockWords[1], i32(b, loc, paramId),
                     i32(b, loc, stream)},
                    {lo32(seed), hi32(seed)});
}

/// The lane as i32, marked for zo-fuse-elementwise (kNoiseLaneAttrName).
static Value laneToI32(OpBuilder &b, Location loc, Value lane) {
  auto cast = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), lane);
  cast->setAttr(kNoiseLaneAttrName, b.getUnitAttr());
  return cast;
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
  return selectByLane(b, loc, laneToI32(b, loc, lane), w[0], w[1], w[2],
                      w[3]);
}

namespace {
Value bitcast(OpBuilder &b, Location loc, Type type, Value v) {
  return arith::BitcastOp::create(b, loc, type, v);
}

/// log(s) for a normal positive f32 `s`, plus `log2Offset` ln 2 (an exact
/// power-of-two scaling folded into the exponent), without the special cases
/// of math.log (zero, negative, inf, NaN, subnormal: s is none of them):
/// s = 2^e f with f in [sqrt(1/2), sqrt(2)), log f = log1p(f - 1) by Cephes'
/// logf polynomial (f32-accurate on that range).
Value logOfNormal(OpBuilder &b, Location loc, Value s, int32_t log2Offset) {
  Type i32Type = b.getI32Type(), f32Type = b.getF32Type();
  constexpr int32_t kSqrtHalfBits = 0x3f3504f3;
  // t's top bits are e + log2Offset (the subtraction of sqrt(1/2)'s bits
  // borrows exactly when f < sqrt(1/2)); its low 23 bits, put back on
  // sqrt(1/2)'s exponent, are f.
  Value t = arith::SubIOp::create(
      b, loc, bitcast(b, loc, i32Type, s),
      i32(b, loc, static_cast<uint32_t>(kSqrtHalfBits - log2Offset * (1 << 23))));
  Value e = arith::SIToFPOp::create(
      b, loc, f32Type, arith::ShRSIOp::create(b, loc, t, i32(b, loc, 23)));
  Value fBits = arith::AddIOp::create(
      b, loc, arith::AndIOp::create(b, loc, t, i32(b, loc, 0x7fffff)),
      i32(b, loc, kSqrtHalfBits));
  Value x = arith::SubFOp::create(b, loc, bitcast(b, loc, f32Type, fBits),
                                  f32(b, loc, 1.0));
  // log1p(x) = x - x^2 / 2 + x^3 P(x).
  static constexpr double kP[] = {
      7.0376836292E-2,  -1.1514610310E-1, 1.1676998740E-1,
      -1.2420140846E-1, 1.4249322787E-1,  -1.6668057665E-1,
      2.0000714765E-1,  -2.4999993993E-1, 3.3333331174E-1};
  Value p = f32(b, loc, kP[0]);
  for (double c : ArrayRef<double>(kP).drop_front())
    p = math::FmaOp::create(b, loc, p, x, f32(b, loc, c));
  Value x2 = arith::MulFOp::create(b, loc, x, x);
  Value y = arith::MulFOp::create(b, loc, p,
                                  arith::MulFOp::create(b, loc, x, x2));
  y = math::FmaOp::create(b, loc, f32(b, loc, -0.5), x2, y);
  return math::FmaOp::create(b, loc, e, f32(b, loc, 0.6931471805599453),
                             arith::AddFOp::create(b, loc, x, y));
}

/// Box-Muller of one pair of words (wa, wb): the radius from wa and the
/// angle from wb. The angle is kept as sin/cos of its offset theta from the
/// nearest quadrant plus, from the quadrant's two bits, which of the two
/// each normal takes and its sign: cos and sin of t are selections of
/// sin/cos theta, not more polynomials.
struct BoxMuller {
  Value radius, sinTheta, cosTheta;
  /// Odd quadrant: r cos t takes sin theta and r sin t takes cos theta.
  Value swap;
  /// The sign bit (i32, 0 or 1 << 31) of cos t and of sin t.
  Value cosSign, sinSign;

  BoxMuller(OpBuilder &b, Location loc, Value wa, Value wb) {
    Type f32Type = b.getF32Type();
    Value half = f32(b, loc, 0.5);

    // r = sqrt(-2 log u), u = (m + 0.5) 2^-24, m = wa >> 8. m < 2^24, so
    // sitofp is exact (and vectorizes better than uitofp); s = m + 0.5 rounds
    // for m >= 2^23, and (m - s) + 0.5 is exactly what it lost. The 2^-24 is
    // folded into log's exponent (log u = log s - 24 ln 2).
    Value m = arith::SIToFPOp::create(
        b, loc, f32Type, arith::ShRUIOp::create(b, loc, wa, i32(b, loc, 8)));
    Value s = arith::AddFOp::create(b, loc, m, half);
    Value lost = arith::AddFOp::create(
        b, loc, arith::SubFOp::create(b, loc, m, s), half);
    // log(s + d) = log(s) + d / s + O(d^2); d / s is replaced by d 2^-24,
    // which is off by d (2^24 - s) / (2^24 s) (s >= 2^23 when d != 0): a
    // relative error of at most 2^-24 in log(u).
    Value logU = math::FmaOp::create(b, loc, lost, f32(b, loc, 0x1p-24),
                                     logOfNormal(b, loc, s, -24));
    radius = math::SqrtOp::create(
        b, loc, arith::MulFOp::create(b, loc, logU, f32(b, loc, -2.0)));

    // t = 2 pi u_b = q pi/2 + theta with theta in (-pi/4, pi/4), from
    // m_b = wb >> 8: q is m_b rounded to a multiple of 2^22 (its top two bits
    // after adding 2^21), and theta's numerator m_b - q 2^22 is m_b's low 22
    // bits read as a signed number. In wb's bits: q = (wb + 2^29) >> 30 and
    // the numerator is (wb << 2) >> 10 (arithmetic). Exact in integers;
    // theta = (numerator + 0.5) 2 pi 2^-24 rounds once (the fma computes the
    // same product as a multiply of the exact sum).
    Value numerator = arith::ShRSIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, wb, i32(b, loc, 2)),
        i32(b, loc, 10));
    constexpr double kStep = 6.283185307179586 * 0x1p-24;
    Value step = f32(b, loc, kStep);
    Value theta = math::FmaOp::create(
        b, loc, arith::SIToFPOp::create(b, loc, f32Type, numerator), step,
        f32(b, loc, static_cast<double>(static_cast<float>(kStep)) * 0.5));
    // cos t for q = 0..3 is cos, -sin, -cos, sin of theta; sin t is sin,
    // cos, -sin, -cos. So an odd q swaps the two, cos t is negative for
    // q + 1 in {2, 3} and sin t for q in {2, 3}: bits 30 and 31 of
    // (wb + 2^29) and bit 31 of (wb + 2^29 + 2^30).
    Value rounded = arith::AddIOp::create(b, loc, wb, i32(b, loc, 1u << 29));
    Value signBit = i32(b, loc, 1u << 31);
    swap = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(b, loc, rounded, i32(b, loc, 1u << 30)),
        i32(b, loc, 0));
    sinSign = arith::AndIOp::create(b, loc, rounded, signBit);
    cosSign = arith::AndIOp::create(
        b, loc, arith::AddIOp::create(b, loc, wb, i32(b, loc, 3u << 29)),
        signBit);
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

  /// r cos t for `useSin` false (z_a), r sin t for true (z_b); an i1 that
  /// is a constant in the blocked form, so the selects fold. The sign is an
  /// xor of the product's sign bit: -(r x) and r (-x) are the same float.
  Value normal(OpBuilder &b, Location loc, Value useSin) const {
    Value takeSin = arith::XOrIOp::create(b, loc, useSin, swap);
    Value trig = arith::SelectOp::create(b, loc, takeSin, sinTheta, cosTheta);
    Value sign = arith::SelectOp::create(b, loc, useSin, sinSign, cosSign);
    Type i32Type = b.getI32Type();
    Value product = bitcast(b, loc, i32Type,
                            arith::MulFOp::create(b, loc, radius, trig));
    return bitcast(b, loc, b.getF32Type(),
                   arith::XOrIOp::create(b, loc, product, sign));
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
  Value odd = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, lane32, i32(b, loc, 1)), i32(b, loc, 0));
  return pair.normal(b, loc, odd);
}

Value noise::blockNormal(OpBuilder &b, Location loc, std::array<Value, 4> w,
                         Value lane) {
  // All four normals depend on the block only, so LLVM hoists them out of
  // the 4-lane loop; what is left per lane is one select chain, small
  // enough for the lane loop to be unrolled and the block loop vectorized.
  BoxMuller p01(b, loc, w[0], w[1]), p23(b, loc, w[2], w[3]);
  Value cos = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
  Value sin = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  return selectByLane(b, loc, laneToI32(b, loc, lane), p01.normal(b, loc, cos),
                      p01.normal(b, loc, sin), p23.normal(b, loc, cos),
                      p23.normal(b, loc, sin));
}
