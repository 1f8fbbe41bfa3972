//===- ZerothOrder.h - the zeroth-order step skeleton -----------*- C++ -*-===//
//
// What a zeroth-order variant plugs into `zo-zeroth-order`: an update rule
// that, given the projected gradients of one step, builds a parameter's new
// value from regenerated noise. The skeleton (forward clones, perturbation,
// projected gradients, in-place write-back) is shared by every variant.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_ZEROTHORDER_H
#define ZO_TRAIN_ZEROTHORDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::zo {

/// Everything an update rule may use for one trainable parameter.
struct ZoUpdateInputs {
  /// The parameter as the step received it (before any update).
  Value param;
  /// `tensor<i64>` step seed and `tensor<f32>` learning rate.
  Value seed;
  Value lr;
  /// The projected gradient of query `s` (noise stream `s`), `tensor<f32>`.
  ArrayRef<Value> grads;
  /// Noise key of this parameter: its index among the `param` arguments.
  int64_t paramId = 0;
  /// Decoupled weight decay for this parameter (0 for rank < 2).
  double weightDecay = 0.0;
  /// The scalars the method's `prepare` hook left in `ZoStep::stepValues`
  /// (empty without a hook): built once per step, shared by every parameter.
  ArrayRef<Value> stepValues;
};

/// What a method's optional `prepare` hook sees, once per step: after the
/// projected gradients, before any update (so no parameter is written yet).
struct ZoStep {
  Value seed, lr;
  /// The projected gradient of each query (noise stream).
  ArrayRef<Value> grads;
  /// `L(p)` if the skeleton computed it already (one-sided), else null.
  Value unperturbed;
  /// Builds one more forward clone and returns its loss: every trainable `p`
  /// replaced by `p + sum_s alphas[s] z_s` (`alphas[s]` a `tensor<f32>` for
  /// noise stream `s`, any value computed in the step; null entries are left
  /// out; no entries: `L(p)`). Costs one forward per call.
  llvm::function_ref<Value(ArrayRef<Value> alphas)> evalLoss;
  /// The step's options.
  double eps = 0.0, weightDecay = 0.0;
  int64_t queries = 1;
  bool oneSided = false;
  /// The reported `loss` result (default: l+ of query 0); the hook may
  /// replace it.
  Value loss;
  /// Scalars for the update rule (`ZoUpdateInputs::stepValues`).
  llvm::SmallVector<Value> stepValues;
};

/// A zeroth-order variant: a name (the pass's `method` option) and its rule.
struct ZoMethod {
  StringRef name;
  /// Returns the parameter's new value. Noise `z_s` must be regenerated
  /// (`train.add_noise` with `stream = s`), never materialized.
  Value (*buildUpdate)(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
  /// Optional step-level hook (see `ZoStep`): extra forwards, scalars shared
  /// by every parameter's update, the reported loss. A failure (after
  /// emitting an error) fails the pass.
  LogicalResult (*prepare)(OpBuilder &b, Location loc, ZoStep &step) = nullptr;
};

/// Every known variant, in documentation order.
ArrayRef<ZoMethod> getZoMethods();

/// `x + alpha * z(seed, paramId, stream)`.
Value buildAddNoise(OpBuilder &b, Location loc, Value x, Value seed,
                    Value alpha, int64_t paramId, int64_t stream);

/// A `tensor<f32>` constant.
Value buildScalar(OpBuilder &b, Location loc, float value);

/// Update rules (one file per family under lib/Train/).
Value buildZoSgdUpdate(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
LogicalResult prepareZoSign(OpBuilder &b, Location loc, ZoStep &step);
Value buildZoSignUpdate(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
LogicalResult prepareZoCons(OpBuilder &b, Location loc, ZoStep &step);
Value buildZoConsUpdate(OpBuilder &b, Location loc, const ZoUpdateInputs &in);

} // namespace mlir::zo

#endif // ZO_TRAIN_ZEROTHORDER_H
