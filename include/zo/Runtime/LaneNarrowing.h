//===- LaneNarrowing.h - 64-bit lane idioms as 32-bit shuffles --*- C++ -*-===//
//
// A post-O3 rewrite of LLVM IR for CPUs with 512-bit vectors. The noise
// generator's Philox rounds vectorize with one block per 64-bit lane (a
// 32x32->64 multiply is `vpmuludq`, which reads the low half of each lane):
//
//   lshr <N x i64> %p, 32             high halves: vpsrlq, port 0 only
//   trunc <N x i64> %w to <N x i32>   the words: 2 vpmovqd + vinserti64x4
//                                     per 16 lanes, all on port 5
//
// Both are rewritten, exactly, as shuffles of the 32-bit halves:
//
//   and (bitcast (shuffle (bitcast %p) [1, 1, 3, 3, ...])), 0xffffffff
//   shuffle (bitcast %w to <2N x i32>) [0, 2, 4, ...]
//
// which x86 lowers to `vpshufd` (port 5; the `and` disappears where only
// the low half is read, as `vpmuludq` and truncation do) and one
// `vpermt2d` per 16 lanes. docs/benchmarks.md ("Noise generation") has
// the measurement.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_LANENARROWING_H
#define ZO_RUNTIME_LANENARROWING_H

namespace llvm {
class Function;
} // namespace llvm

namespace mlir::zo::rt {

/// Rewrites `f` as described above (vectors of at least 16 i64 lanes for
/// truncations, any i64 vector for shifts); returns whether it changed
/// anything. Little-endian targets only (the caller checks).
bool narrowVectorLanes(llvm::Function &f);

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_LANENARROWING_H
