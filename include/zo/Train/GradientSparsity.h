//===- GradientSparsity.h - sparse perturbation for ZO steps ----*- C++ -*-===//
//
// Gradient-sparse zeroth-order training: every noise op of a `@train_step`
// gets the same exact-count random mask (the train dialect's `mask`),
// resampled every k steps. Used by `zo-zeroth-order` after it built the step.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_GRADIENTSPARSITY_H
#define ZO_TRAIN_GRADIENTSPARSITY_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

namespace mlir::zo {

/// The `sparsity`, `sparsity-scope`, `mask-every` and `mask-seed` options.
struct ZoSparsity {
  /// Fraction of each mask domain that is zeroed, in [0, 1); 0 is dense.
  double sparsity = 0.0;
  /// One mask per parameter tensor, or one over every trained element.
  bool global = false;
  /// The mask changes at steps 1, k + 1, 2k + 1, ... (epoch (t - 1) / k).
  int64_t every = 1;
  uint64_t seed = 0;
};

/// Checks the options; on a bad one emits one error at `loc` (naming the
/// pass) and fails.
FailureOr<ZoSparsity> parseZoSparsity(Location loc, double sparsity,
                                      StringRef scope, int64_t every,
                                      uint64_t seed);

/// Gives every `train.add_noise` and `train.normal` in `step` the mask of
/// epoch `(stepCount - 1) / every` (`stepCount` the 1-based `tensor<i64>`
/// step argument): perturbations, extra forwards and updates all use the
/// same mask, whatever the update rule. Layer scope keys each tensor's
/// permutation by its param_id; global scope lays the noised parameters out
/// in param_id order over one domain. No-op at sparsity 0.
LogicalResult applyZoSparsity(func::FuncOp step, Value stepCount,
                              const ZoSparsity &options);

} // namespace mlir::zo

#endif // ZO_TRAIN_GRADIENTSPARSITY_H
