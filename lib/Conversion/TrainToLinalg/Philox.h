//===- Philox.h - Philox4x32-10 and Box-Muller as arith ops -----*- C++ -*-===//
//
// Scalar builders for the counter-based generator of the `train` dialect,
// bit-exact with python/zo/philox.py. Private to lib/Conversion/TrainToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_CONVERSION_TRAINTOLINALG_PHILOX_H
#define ZO_LIB_CONVERSION_TRAINTOLINALG_PHILOX_H

#include "mlir/IR/Builders.h"

#include <array>

namespace mlir::zo::noise {

/// Philox4x32-10 on i32 values: ten rounds of two 32x32->64 multiplies
/// (`arith.mului_extended`) with the Random123 constants and key schedule.
std::array<Value, 4> philox4x32(OpBuilder &b, Location loc,
                                std::array<Value, 4> counter,
                                std::array<Value, 2> key);

/// The four words of the Philox call of `block` (an index) for a seed (i64)
/// and the op's param_id / stream. `blockBelow2To32`: the caller knows the
/// block index is < 2^32, so the counter's high word is the constant 0 and
/// the low word is computed in 32 bits (the same values; the vectorized loop
/// then multiplies 32-bit lanes instead of full 64-bit products).
std::array<Value, 4> blockWords(OpBuilder &b, Location loc, Value seed,
                                Value block, uint32_t paramId, uint32_t stream,
                                bool blockBelow2To32 = false);

/// The word of `lane` (an index in [0, 4)) among `words`.
Value laneWord(OpBuilder &b, Location loc, std::array<Value, 4> words,
               Value lane);

/// The f32 standard normal of `lane` from its block's words: Box-Muller on
/// (w0, w1) for lanes 0 (cos) and 1 (sin), on (w2, w3) for lanes 2 and 3.
/// Transforms only the lane's own pair (for a per-element Philox call).
Value laneNormal(OpBuilder &b, Location loc, std::array<Value, 4> words,
                 Value lane);

/// The same value, computed as all four normals of the block and a select
/// by lane (for a lane loop whose block is loop-invariant).
Value blockNormal(OpBuilder &b, Location loc, std::array<Value, 4> words,
                  Value lane);

} // namespace mlir::zo::noise

#endif // ZO_LIB_CONVERSION_TRAINTOLINALG_PHILOX_H
