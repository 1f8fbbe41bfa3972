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
};

/// A zeroth-order variant: a name (the pass's `method` option) and its rule.
struct ZoMethod {
  StringRef name;
  /// Returns the parameter's new value. Noise `z_s` must be regenerated
  /// (`train.add_noise` with `stream = s`), never materialized.
  Value (*buildUpdate)(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
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

} // namespace mlir::zo

#endif // ZO_TRAIN_ZEROTHORDER_H
