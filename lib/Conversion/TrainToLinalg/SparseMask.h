//===- SparseMask.h - exact-count sparse noise masks -----------*- C++ -*-===//
//
// The mask of a masked `train.normal` / `train.add_noise`: element e is kept
// iff pi(e) >= floor(s n) for a keyed swap-or-not permutation pi of [0, n),
// bit-exact with python/zo/sparse_mask.py. Private to
// lib/Conversion/TrainToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_CONVERSION_TRAINTOLINALG_SPARSEMASK_H
#define ZO_LIB_CONVERSION_TRAINTOLINALG_SPARSEMASK_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <array>
#include <optional>

namespace mlir::zo::noise {

/// What a noise op's mask attributes say (see the train dialect).
struct MaskParams {
  double sparsity = 0.0;
  uint64_t seed = 0;
  uint32_t paramId = 0;
  /// Elements of the op's tensor.
  int64_t size = 0;
  /// A global mask: the tensor is [offset, offset + size) of [0, domain).
  std::optional<int64_t> domain;
  int64_t offset = 0;
};

/// The mask parameters of a `train.normal` or `train.add_noise` that has a
/// mask operand.
template <typename OpTy> MaskParams getMaskParams(OpTy op) {
  MaskParams p;
  p.sparsity = op.getMaskSparsityAttr().getValueAsDouble();
  p.seed = op.getMaskSeed();
  p.paramId = static_cast<uint32_t>(op.getParamId());
  p.size = cast<RankedTensorType>(op.getType()).getNumElements();
  if (std::optional<uint64_t> domain = op.getMaskDomain()) {
    p.domain = static_cast<int64_t>(*domain);
    p.offset = static_cast<int64_t>(*op.getMaskOffset());
  }
  return p;
}

/// A mask set up before the op's generic (its round keys, from one Philox
/// call on the epoch) and evaluated per element inside it.
class SparseMask {
public:
  /// Swap-or-not rounds: an element is never swapped, so its image is not
  /// random, with probability 2^-kRounds (1.5e-5); statistical tests of the
  /// masks (python/tests/test_sparse_mask.py) cannot tell 16 from 24.
  static constexpr int kRounds = 16;

  /// `epoch` is the op's `tensor<i64>` mask operand. Returns nullopt when
  /// the mask keeps every element (floor(s n) = 0): no code is needed.
  static std::optional<SparseMask> build(OpBuilder &b, Location loc,
                                         const MaskParams &params, Value epoch);

  /// `z` if the element with row-major index `element` (an index) within
  /// the op's tensor is kept, else 0.
  Value apply(OpBuilder &b, Location loc, Value element, Value z) const;

private:
  SparseMask() = default;

  /// Per round: the partner offset k in [0, n) and the hash key (i32);
  /// for domains up to 2^31 the key is already the inner hash of the
  /// (zero) high word, and values are i32, else i64.
  std::array<Value, kRounds> offsets, hashKeys;
  int64_t domain = 0, offset = 0, zeros = 0;
  bool wide = false;
};

} // namespace mlir::zo::noise

#endif // ZO_LIB_CONVERSION_TRAINTOLINALG_SPARSEMASK_H
