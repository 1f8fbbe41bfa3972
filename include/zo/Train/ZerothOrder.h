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

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace mlir::zo {

/// The pass's numeric options, as every hook and rule sees them.
struct ZoHyperparameters {
  double eps = 1e-3, weightDecay = 0.0;
  /// ZO-SGD-MMT: b <- momentum b + g z.
  double momentum = 0.9;
  /// ZO-Adam.
  double beta1 = 0.9, beta2 = 0.999, adamEpsilon = 1e-8;
  int64_t queries = 1;
  bool oneSided = false;
};

/// Everything an update rule may use for one trainable parameter.
struct ZoUpdateInputs {
  /// The parameter as the step received it (before any update), widened to
  /// f32 if it is narrower (getUpdateType); the skeleton rounds the rule's
  /// result back to the parameter's type.
  Value param;
  /// `tensor<i64>` step seed, `tensor<f32>` learning rate and `tensor<i64>`
  /// 1-based step count.
  Value seed;
  Value lr;
  Value step;
  /// The parameter's optimizer state as the step received it, one tensor
  /// of `getUpdateType(param)` per `ZoMethod::state` entry.
  ArrayRef<Value> state;
  /// The projected gradient of query `s` (noise stream `s`), `tensor<f32>`.
  ArrayRef<Value> grads;
  /// Noise key of this parameter: its index among the `param` arguments.
  int64_t paramId = 0;
  /// Decoupled weight decay for this parameter (0 for rank < 2).
  double weightDecay = 0.0;
  /// The scalars the method's `prepare` hook left in `ZoStep::stepValues`
  /// (empty without a hook): built once per step, shared by every parameter.
  ArrayRef<Value> stepValues;
  const ZoHyperparameters *hyper = nullptr;
};

/// What an update rule returns: the parameter's new value and the new value
/// of each of its state tensors (in `ZoMethod::state` order). The skeleton
/// writes each into the buffer it came from.
struct ZoUpdate {
  ZoUpdate(Value param) : param(param) {}
  ZoUpdate(Value param, llvm::SmallVector<Value, 2> state)
      : param(param), state(std::move(state)) {}
  Value param;
  llvm::SmallVector<Value, 2> state;
};

/// What a method's optional `prepare` hook sees, once per step: after the
/// projected gradients, before any update (so no parameter is written yet).
struct ZoStep {
  Value seed, lr, step;
  /// The projected gradient of each query (noise stream).
  ArrayRef<Value> grads;
  /// `L(p)` if the skeleton computed it already (one-sided), else null.
  Value unperturbed;
  /// Builds one more forward clone and returns its loss: every trainable `p`
  /// replaced by `p + sum_s alphas[s] z_s` (`alphas[s]` a `tensor<f32>` for
  /// noise stream `s`, any value computed in the step; null entries are left
  /// out; no entries: `L(p)`). Costs one forward per call.
  llvm::function_ref<Value(ArrayRef<Value> alphas)> evalLoss;
  /// The step's options (also in `hyper`).
  double eps = 0.0, weightDecay = 0.0;
  int64_t queries = 1;
  bool oneSided = false;
  const ZoHyperparameters *hyper = nullptr;
  /// The reported `loss` result (default: l+ of query 0); the hook may
  /// replace it.
  Value loss;
  /// Scalars for the update rule (`ZoUpdateInputs::stepValues`).
  llvm::SmallVector<Value> stepValues;
};

/// A zeroth-order variant: a name (the pass's `method` option) and its rule.
struct ZoMethod {
  StringRef name;
  /// Returns the parameter's (and its state's) new value. Noise `z_s` must
  /// be regenerated (`train.add_noise` / `train.normal` with `stream = s`),
  /// never materialized.
  ZoUpdate (*buildUpdate)(OpBuilder &b, Location loc,
                          const ZoUpdateInputs &in);
  /// Optional step-level hook (see `ZoStep`): extra forwards, scalars shared
  /// by every parameter's update, the reported loss. A failure (after
  /// emitting an error) fails the pass.
  LogicalResult (*prepare)(OpBuilder &b, Location loc, ZoStep &step) = nullptr;
  /// Per-parameter state tensors the method keeps between steps (each of
  /// the parameter's shape in `getUpdateType`, zero at the start), named
  /// `<kind>:<param>`:
  /// ZO-SGD-MMT {"momentum"}, ZO-Adam {"adam_m", "adam_v"}.
  ArrayRef<StringRef> state = {};
  /// True: the projected gradients are `d_s = dL/dp . z_s` from one
  /// forward-mode (JVP) pass (`buildJvpGradients`), not finite differences
  /// of +-eps forward clones; `eps` is unused and `one-sided` is rejected.
  bool forwardMode = false;
};

/// Block-wise ZO: how trained parameters are grouped (lib/Train/Blocks.cpp).
enum class ZoBlockLevel { None, Layer, Module, Linear, Tensor };
std::optional<ZoBlockLevel> parseZoBlockLevel(StringRef name);

/// Sets `blockOf[i]` to the block of forward argument `i` (-1 where
/// `trainedId[i] < 0`), blocks numbered in order of first appearance;
/// returns the number of blocks (1 for `None` with any trained parameter).
int64_t assignZoBlocks(func::FuncOp forward, ArrayRef<int64_t> trainedId,
                       ZoBlockLevel level,
                       llvm::SmallVectorImpl<int64_t> &blockOf);

/// Every known variant, in documentation order.
ArrayRef<ZoMethod> getZoMethods();

/// `x + alpha * z(seed, paramId, stream)`.
Value buildAddNoise(OpBuilder &b, Location loc, Value x, Value seed,
                    Value alpha, int64_t paramId, int64_t stream);

/// The arguments of a @train_step built from `forward`, shared by the
/// zeroth- and first-order skeletons: forward's non-parameters, then its
/// parameters (`zo.role = "param"`), each group in forward's order and with
/// forward's attributes; the caller appends state and step scalars.
struct StepSignature {
  explicit StepSignature(func::FuncOp forward);
  /// Forward argument indices in step order; the parameters alone.
  llvm::SmallVector<unsigned> order, paramOrder;
  llvm::SmallVector<Type> types;
  llvm::SmallVector<Attribute> attrs;
  /// Appends an argument `{zo.name = name, zo.role = role}`.
  void append(Type type, StringRef name, StringRef role);
  /// `{zo.name = name}`, plus `zo.role = role` unless `role` is empty.
  static DictionaryAttr named(MLIRContext *ctx, StringRef name,
                              StringRef role);

private:
  MLIRContext *ctx;
};

/// Makes `next` the new contents of the donated buffer of `param` (a
/// parameter or state argument of the step); returns the updated tensor.
/// Any later read of the old value is a bufferization error, not a silent
/// copy (docs/methods/zo-sgd.md). Shared with the first-order steps.
Value buildWriteBack(OpBuilder &b, Location loc, Value next, Value param);

/// A `tensor<f32>` constant.
Value buildScalar(OpBuilder &b, Location loc, float value);

/// Parameters narrower than f32 (bf16, f16) are updated in f32: the rule
/// sees the parameter and its gradient widened exactly, keeps its optimizer
/// state in f32 and its result is rounded once to the parameter's type
/// (docs/cuda.md, "bf16 parameters"). Shared with the first-order steps.
/// The type of a parameter's state tensors: its shape, f32 if it is a
/// narrower float, else its own type.
Type getUpdateType(Type paramType);
/// `v` converted to `type` (a `graph.cast`), or `v` if it has that type.
Value buildCastTo(OpBuilder &b, Location loc, Value v, Type type);

/// `(1 / q) sum_s grads[s] z_s` for the parameter of `in`, regenerating each
/// z_s: the averaged directional update `u` of the stateful rules.
Value buildProjectedDirection(OpBuilder &b, Location loc,
                              const ZoUpdateInputs &in, Value init);

/// `p (1 - lr wd)`: decoupled weight decay (identity when wd = 0).
Value buildDecay(OpBuilder &b, Location loc, const ZoUpdateInputs &in);

/// The loss `L(p)` and `d_s = dL/dp . z_s` for each noise stream `s`.
struct ZoJvpGradients {
  Value loss;
  llvm::SmallVector<Value> grads;
};

/// Forward-Grad (lib/Train/ForwardGrad.cpp): one forward-mode pass over
/// @forward's `body`, its arguments bound to `args`, carrying `queries`
/// tangents; argument `i` with `paramIds[i] >= 0` has tangent
/// `train.normal(seed, paramIds[i], stream = s)` in direction `s`.
FailureOr<ZoJvpGradients> buildJvpGradients(OpBuilder &b, Location loc,
                                            Block &body, ArrayRef<Value> args,
                                            ArrayRef<int64_t> paramIds,
                                            Value seed, int64_t queries);

/// Update rules (one file per family under lib/Train/).
ZoUpdate buildZoSgdUpdate(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
LogicalResult prepareZoSign(OpBuilder &b, Location loc, ZoStep &step);
ZoUpdate buildZoSignUpdate(OpBuilder &b, Location loc,
                           const ZoUpdateInputs &in);
LogicalResult prepareZoCons(OpBuilder &b, Location loc, ZoStep &step);
ZoUpdate buildZoConsUpdate(OpBuilder &b, Location loc,
                           const ZoUpdateInputs &in);
ZoUpdate buildZoMmtUpdate(OpBuilder &b, Location loc, const ZoUpdateInputs &in);
LogicalResult prepareZoAdam(OpBuilder &b, Location loc, ZoStep &step);
ZoUpdate buildZoAdamUpdate(OpBuilder &b, Location loc,
                           const ZoUpdateInputs &in);

} // namespace mlir::zo

#endif // ZO_TRAIN_ZEROTHORDER_H
