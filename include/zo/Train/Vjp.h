//===- Vjp.h - reverse-mode differentiation of graph ops ---------*- C++
//-*-===//
//
// Cotangent (VJP) rules for the `graph` dialect, one small function per op
// grouped by family under lib/Train/Vjp/, and the driver that clones a
// function body and appends the backward pass computing argument gradients.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_VJP_H
#define ZO_TRAIN_VJP_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>

namespace mlir::zo {

/// A VJP rule. `op` is the primal op as cloned into the output (its operands
/// and results are values of the function being built); `cotangents` holds
/// one entry per result of the op being differentiated, null meaning a zero
/// cotangent (at least one is non-null); a clone with residuals
/// (`VjpRuleSet::addResiduals`) has more results than that. The rule appends one cotangent per operand of `op` to
/// `results` (null: zero, or an operand that is not differentiable), built
/// from `graph` ops at `b`'s insertion point. An operand's cotangent may
/// still have the shape of a broadcast of the operand (e.g. a binary op's
/// result shape): the driver sums it back over the broadcast dimensions.
/// Integer, index and boolean operands never receive a cotangent
/// (stop-gradient); the driver drops whatever a rule returns for them. A
/// rule may fail after emitting an error at `op`.
using VjpRuleFn = std::function<LogicalResult(OpBuilder &b, Operation *op,
                                              ArrayRef<Value> cotangents,
                                              SmallVectorImpl<Value> &results)>;

/// The VJP rules known for each op, keyed by the op's TypeID.
class VjpRuleSet {
public:
  /// Registers the rule of a single-result op:
  /// `void vjp(OpBuilder &b, OpTy op, Value cotangent,
  ///           SmallVectorImpl<Value> &operandCotangents)`, the result's
  /// cotangent being non-null.
  template <typename OpTy>
  void add(void (*rule)(OpBuilder &, OpTy, Value, SmallVectorImpl<Value> &)) {
    rules[TypeID::get<OpTy>()] = [rule](OpBuilder &b, Operation *op,
                                        ArrayRef<Value> cotangents,
                                        SmallVectorImpl<Value> &results) {
      rule(b, cast<OpTy>(op), cotangents[0], results);
      return success();
    };
  }
  /// Registers the rule of an op with several results (or one that may fail).
  template <typename OpTy>
  void add(LogicalResult (*rule)(OpBuilder &, OpTy, ArrayRef<Value>,
                                 SmallVectorImpl<Value> &)) {
    rules[TypeID::get<OpTy>()] = [rule](OpBuilder &b, Operation *op,
                                        ArrayRef<Value> cotangents,
                                        SmallVectorImpl<Value> &results) {
      return rule(b, cast<OpTy>(op), cotangents, results);
    };
  }
  /// Registers "no operand receives a cotangent" for ops whose results are
  /// piecewise constant in their float operands (comparisons, shape).
  template <typename... OpTys> void addZero() {
    VjpRuleFn zero = [](OpBuilder &, Operation *op, ArrayRef<Value>,
                        SmallVectorImpl<Value> &results) {
      results.append(op->getNumOperands(), Value());
      return success();
    };
    ((rules[TypeID::get<OpTys>()] = zero), ...);
  }

  /// Registers residuals of `OpTy`: result types the op can have beyond its
  /// usual ones, holding what its forward computes anyway and its rule
  /// would otherwise recompute (layer_norm's per-row mean and
  /// 1 / sqrt(var + eps)). When some result of the op depends on a
  /// differentiated argument, the driver clones it into the primal with
  /// `fn(op)` appended to its result types (empty: a plain clone, e.g. the
  /// op has them already); the rule then finds them on the clone. The op's
  /// verifier must accept them, and its lowering compute them.
  template <typename OpTy>
  void addResiduals(SmallVector<Type, 2> (*fn)(OpTy)) {
    residuals[TypeID::get<OpTy>()] = [fn](Operation *op) {
      return fn(cast<OpTy>(op));
    };
  }

  /// The rule for `op`, or null if there is none.
  const VjpRuleFn *lookup(Operation *op) const;
  /// The residual result types to add to `op`'s clone (empty: none).
  SmallVector<Type, 2> lookupResiduals(Operation *op) const;

private:
  llvm::DenseMap<TypeID, VjpRuleFn> rules;
  llvm::DenseMap<TypeID, std::function<SmallVector<Type, 2>(Operation *)>>
      residuals;
};

/// Rules by op family (lib/Train/Vjp/<Family>.cpp).
void populateElementwiseVjpRules(VjpRuleSet &rules);
void populateLinalgVjpRules(VjpRuleSet &rules);
void populateNormalizationVjpRules(VjpRuleSet &rules);
void populateReductionVjpRules(VjpRuleSet &rules);
void populateDataMovementVjpRules(VjpRuleSet &rules);
void populateLossVjpRules(VjpRuleSet &rules);

/// Every rule above, built once.
const VjpRuleSet &getGraphVjpRules();

/// What `buildVjp` differentiates and how it reports progress.
struct VjpOptions {
  /// The block arguments of the body whose gradients are wanted. Arguments
  /// that are not float tensors get no gradient (stop-gradient).
  ArrayRef<BlockArgument> wrt;
  /// The cotangent seeding result `index` of the body (its terminator's
  /// operand `index`, whose primal is `primal`); null: zero. Called once
  /// per result, in order, after the whole primal has been cloned and
  /// before any backward op, with `b` set there. For a scalar loss this is
  /// a constant 1.0. Null callback: every result has a zero cotangent.
  llvm::function_ref<Value(OpBuilder &b, Location loc, unsigned index,
                           Value primal)>
      resultCotangent;
  /// Called exactly once for every argument of `wrt` as soon as its gradient
  /// is final: right after the backward op of its first use in the body
  /// (the last contribution the reverse sweep can make) has been emitted,
  /// or at the end for an argument no seeded result depends on (`grad`
  /// null). `b` is set right after `grad`; whatever the callback builds
  /// there (e.g. the argument's optimizer update) comes before the rest of
  /// the backward pass, so a gradient can be consumed and die while the
  /// sweep continues. No op emitted after the callback reads `arg` itself
  /// (they differentiate ops that precede its first use), so the callback
  /// may update the argument in place. `wrtIndex` is the argument's
  /// position in `wrt`.
  llvm::function_ref<void(OpBuilder &b, unsigned wrtIndex, BlockArgument arg,
                          Value grad)>
      onGradient;
};

/// What `buildVjp` computed.
struct VjpValues {
  /// The body's results (the terminator's operands) in the output.
  SmallVector<Value> primals;
  /// `gradients[i]`: the gradient of `wrt[i]` (same type), null if no seeded
  /// result depends on it or it is not a float tensor.
  SmallVector<Value> gradients;
};

/// Clones the ops of `body` (one block ending in a terminator whose operands
/// are the results) at `b`'s insertion point, with `map` giving the primal
/// value of every block argument, then appends the reverse sweep: the ops
/// are visited last to first and each op's rule turns its results'
/// cotangents into its operands' cotangents, which are summed where a value
/// has several uses (fan-out). Only values on a path from an argument of
/// `wrt` to a seeded result get a cotangent; everything else costs nothing
/// beyond the primal clone. Leaves `b` after the last backward op. Fails,
/// after an error at the op's location naming it, when an op that needs a
/// cotangent has no rule (or has regions).
FailureOr<VjpValues> buildVjp(OpBuilder &b, Block &body, IRMapping &map,
                              const VjpOptions &options,
                              const VjpRuleSet &rules = getGraphVjpRules());

} // namespace mlir::zo

#endif // ZO_TRAIN_VJP_H
