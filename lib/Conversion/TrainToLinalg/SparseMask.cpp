//===- SparseMask.cpp - exact-count sparse noise masks as arith ops -------===//
//
// Why a permutation: thresholding an independent uniform per element (the
// ZO-Bench way, `normal() < s`) zeroes a random number of elements, and the
// reference's choice of distribution even makes it the wrong fraction. A
// bijection pi of [0, n) zeroes exactly the elements with pi(e) < floor(s n)
// while each element's bit stays computable on its own, so the mask, like
// the noise, is regenerated inside the fused loop and never stored.
//
// Why swap-or-not (Hoang, Morris, Rogaway 2012) and not a Feistel network:
// Feistel permutes [0, 2^b) and needs cycle walking to land in [0, n), a
// data-dependent loop that keeps LLVM from vectorizing the fused noise loop
// (measured: 7-10x slower than the dense noise). A swap-or-not round is a
// bijection of [0, n) itself, for any n, and branch-free:
//   x' = (k_i - x) mod n;  h = max(x, x');  x = F_i(h) odd ? x' : x
// (x and x' are swapped as a pair, the decision depends on the pair only).
// F_i(h) = lowbias32(lo32(h) ^ lowbias32(hi32(h) + c_i)); up to 2^31 the
// inner hash is a per-round constant, and everything is i32.
//
//===----------------------------------------------------------------------===//

#include "SparseMask.h"
#include "Philox.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::noise;

namespace {
// Counter word 3 of the mask's Philox call; the noise puts its (small)
// stream index there, so masks and noise never share a counter.
constexpr uint32_t kLayerTag = 0x4D41534B;  // "MASK"
constexpr uint32_t kGlobalTag = 0x474C4F42; // "GLOB"

Value constant(OpBuilder &b, Location loc, Type type, uint64_t v) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

/// Output i of the splitmix64 generator seeded with `state` (i64):
/// mix(state + (i + 1) golden), mix = Stafford's variant 13.
Value splitMix64(OpBuilder &b, Location loc, Value state, int i) {
  Type t = state.getType();
  auto xorShift = [&](Value v, unsigned s) -> Value {
    return arith::XOrIOp::create(
        b, loc, v, arith::ShRUIOp::create(b, loc, v, constant(b, loc, t, s)));
  };
  Value z = arith::AddIOp::create(
      b, loc, state,
      constant(b, loc, t, 0x9E3779B97F4A7C15ull * uint64_t(i + 1)));
  z = arith::MulIOp::create(b, loc, xorShift(z, 30),
                            constant(b, loc, t, 0xBF58476D1CE4E5B9ull));
  z = arith::MulIOp::create(b, loc, xorShift(z, 27),
                            constant(b, loc, t, 0x94D049BB133111EBull));
  return xorShift(z, 31);
}

/// Chris Wellons' lowbias32: a bijection of u32 with low avalanche bias.
Value lowbias32(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  auto xorShift = [&](Value v, unsigned s) -> Value {
    return arith::XOrIOp::create(
        b, loc, v, arith::ShRUIOp::create(b, loc, v, constant(b, loc, t, s)));
  };
  x = arith::MulIOp::create(b, loc, xorShift(x, 16),
                            constant(b, loc, t, 0x7FEB352D));
  x = arith::MulIOp::create(b, loc, xorShift(x, 15),
                            constant(b, loc, t, 0x846CA68B));
  return xorShift(x, 16);
}
} // namespace

std::optional<SparseMask> SparseMask::build(OpBuilder &b, Location loc,
                                            const MaskParams &params,
                                            Value epoch) {
  SparseMask m;
  m.domain = params.domain ? *params.domain : params.size;
  m.offset = params.offset;
  // floor(s n) in float64, exactly as python/zo/sparse_mask.py (n <= 2^53
  // is exact in a double).
  m.zeros = static_cast<int64_t>(
      std::floor(params.sparsity * static_cast<double>(m.domain)));
  if (m.zeros <= 0)
    return std::nullopt;
  m.wide = m.domain > (int64_t(1) << 31);

  // The round keys are built here, before the generic, so the ops of one
  // parameter (perturbations and update) share them after CSE.
  Type i32Type = b.getI32Type(), i64Type = b.getI64Type();
  Value e = tensor::ExtractOp::create(b, loc, epoch, ValueRange{});
  Value epochLo = arith::TruncIOp::create(b, loc, i32Type, e);
  Value epochHi = arith::TruncIOp::create(
      b, loc, i32Type,
      arith::ShRUIOp::create(b, loc, e, constant(b, loc, i64Type, 32)));
  std::array<Value, 2> key = {
      constant(b, loc, i32Type, static_cast<uint32_t>(params.seed)),
      constant(b, loc, i32Type, static_cast<uint32_t>(params.seed >> 32))};
  uint32_t id = params.domain ? 0 : params.paramId;
  uint32_t tag = params.domain ? kGlobalTag : kLayerTag;
  // One Philox call (key = mask seed, counter = (epoch, id, tag)) seeds two
  // splitmix64 streams: round i takes k_i = A_i mod n and c_i = lo32(B_i).
  std::array<Value, 4> w =
      philox4x32(b, loc,
                 {epochLo, epochHi, constant(b, loc, i32Type, id),
                  constant(b, loc, i32Type, tag)},
                 key);
  auto join = [&](Value lo, Value hi) -> Value {
    return arith::OrIOp::create(
        b, loc, arith::ExtUIOp::create(b, loc, i64Type, lo),
        arith::ShLIOp::create(b, loc,
                              arith::ExtUIOp::create(b, loc, i64Type, hi),
                              constant(b, loc, i64Type, 32)));
  };
  Value streamA = join(w[0], w[1]), streamB = join(w[2], w[3]);
  Value n64 = constant(b, loc, i64Type, m.domain);
  for (int i = 0; i < kRounds; ++i) {
    Value k =
        arith::RemUIOp::create(b, loc, splitMix64(b, loc, streamA, i), n64);
    Value c = arith::TruncIOp::create(b, loc, i32Type,
                                      splitMix64(b, loc, streamB, i));
    m.offsets[i] = m.wide ? k : arith::TruncIOp::create(b, loc, i32Type, k);
    m.hashKeys[i] = m.wide ? c : lowbias32(b, loc, c);
  }
  return m;
}

Value SparseMask::apply(OpBuilder &b, Location loc, Value element,
                        Value z) const {
  Type type = wide ? b.getI64Type() : b.getI32Type();
  Type i32Type = b.getI32Type();
  Value x = arith::IndexCastUIOp::create(b, loc, type, element);
  if (offset != 0)
    x = arith::AddIOp::create(b, loc, x, constant(b, loc, type, offset));
  Value n = constant(b, loc, type, domain);
  Value one = constant(b, loc, i32Type, 1);
  for (int i = 0; i < kRounds; ++i) {
    // (k - x) mod n = min(d, d + n) with d = k - x wrapping: if k < x, d is
    // above 2^(W-1) > n and d + n is the answer; else d < n <= d + n, with
    // no wrap since n <= 2^(W-1). Not a compare + select: LLVM's
    // CodeGenPrepare turns that sub/ult pair into usub.with.overflow and
    // rescans the whole function each time (minutes on a model's step).
    Value diff = arith::SubIOp::create(b, loc, offsets[i], x);
    Value partner = arith::MinUIOp::create(
        b, loc, diff, arith::AddIOp::create(b, loc, diff, n));
    Value h = arith::MaxUIOp::create(b, loc, x, partner);
    Value hashKey = hashKeys[i];
    Value lo = h;
    if (wide) {
      Value hi = arith::TruncIOp::create(
          b, loc, i32Type,
          arith::ShRUIOp::create(b, loc, h, constant(b, loc, type, 32)));
      hashKey = lowbias32(b, loc, arith::AddIOp::create(b, loc, hi, hashKey));
      lo = arith::TruncIOp::create(b, loc, i32Type, h);
    }
    Value f = lowbias32(b, loc, arith::XOrIOp::create(b, loc, lo, hashKey));
    Value swap = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                       arith::AndIOp::create(b, loc, f, one),
                                       constant(b, loc, i32Type, 0));
    x = arith::SelectOp::create(b, loc, swap, partner, x);
  }
  Value kept = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, x,
                                     constant(b, loc, type, zeros));
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(z.getType()));
  return arith::SelectOp::create(b, loc, kept, z, zero);
}
