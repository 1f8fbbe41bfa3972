//===- Jvp.h - forward-mode differentiation of graph ops --------*- C++ -*-===//
//
// Tangent (JVP) rules for the `graph` dialect, one small function per op
// grouped by family under lib/Train/Jvp/, and the driver that clones a
// function body computing every value together with its tangent(s).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_JVP_H
#define ZO_TRAIN_JVP_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>

namespace mlir::zo {

/// A JVP rule. `op` is the primal op as cloned into the output (its operands
/// and results are values of the function being built); `tangents` holds one
/// entry per operand of `op`, null meaning a zero tangent (at least one is
/// non-null). The rule appends one tangent per result of `op` to `results`
/// (null: zero), built from `graph` ops at `b`'s insertion point, right after
/// `op`. Integer, index and boolean values never carry a tangent
/// (stop-gradient). A rule may fail after emitting an error at `op`.
using JvpRuleFn = std::function<LogicalResult(OpBuilder &b, Operation *op,
                                              ArrayRef<Value> tangents,
                                              SmallVectorImpl<Value> &results)>;

/// The JVP rules known for each op, keyed by the op's TypeID.
class JvpRuleSet {
public:
  /// Registers the rule of a single-result op:
  /// `Value jvp(OpBuilder &b, OpTy op, ArrayRef<Value> tangents)` returning
  /// the result's tangent (null: zero).
  template <typename OpTy>
  void add(Value (*rule)(OpBuilder &, OpTy, ArrayRef<Value>)) {
    rules[TypeID::get<OpTy>()] = [rule](OpBuilder &b, Operation *op,
                                        ArrayRef<Value> tangents,
                                        SmallVectorImpl<Value> &results) {
      results.push_back(rule(b, cast<OpTy>(op), tangents));
      return success();
    };
  }
  /// Registers the rule of an op with several results (or one that may fail).
  template <typename OpTy>
  void add(LogicalResult (*rule)(OpBuilder &, OpTy, ArrayRef<Value>,
                                 SmallVectorImpl<Value> &)) {
    rules[TypeID::get<OpTy>()] = [rule](OpBuilder &b, Operation *op,
                                        ArrayRef<Value> tangents,
                                        SmallVectorImpl<Value> &results) {
      return rule(b, cast<OpTy>(op), tangents, results);
    };
  }
  /// Registers "every result has a zero tangent" for ops whose results are
  /// piecewise constant in their float operands (comparisons, shape).
  template <typename... OpTys> void addZero() {
    JvpRuleFn zero = [](OpBuilder &, Operation *op, ArrayRef<Value>,
                        SmallVectorImpl<Value> &results) {
      results.append(op->getNumResults(), Value());
      return success();
    };
    ((rules[TypeID::get<OpTys>()] = zero), ...);
  }

  /// The rule for `op`, or null if there is none.
  const JvpRuleFn *lookup(Operation *op) const;

private:
  llvm::DenseMap<TypeID, JvpRuleFn> rules;
};

/// Rules by op family (lib/Train/Jvp/<Family>.cpp).
void populateElementwiseJvpRules(JvpRuleSet &rules);
void populateLinalgJvpRules(JvpRuleSet &rules);
void populateNormalizationJvpRules(JvpRuleSet &rules);
void populateReductionJvpRules(JvpRuleSet &rules);
void populateDataMovementJvpRules(JvpRuleSet &rules);
void populateLossJvpRules(JvpRuleSet &rules);

/// Every rule above, built once.
const JvpRuleSet &getGraphJvpRules();

/// How `buildJvp` seeds and carries tangents.
struct JvpOptions {
  /// Number of tangent directions carried together: the primal is computed
  /// once, each rule applied once per direction.
  int64_t numDirections = 1;
  /// The tangent of a block argument in direction `dir` (null: zero). Called
  /// at most once per (argument, direction), lazily, right before the first
  /// op that uses the argument, with `b` set there. Null callback: no seeds.
  llvm::function_ref<Value(OpBuilder &b, Location loc, BlockArgument arg,
                           int64_t dir)>
      argTangent;
};

/// What `buildJvp` computed: the values the body returns and their tangents.
struct JvpValues {
  SmallVector<Value> primals;
  /// `tangents[dir][i]`: tangent of `primals[i]` in direction `dir`; null if
  /// it does not depend on any seed (a zero tangent) or is not a float.
  SmallVector<SmallVector<Value>> tangents;
};

/// Clones the ops of `body` (one block ending in a terminator whose operands
/// are the results) at `b`'s insertion point, with `map` giving the primal
/// value of every block argument, and builds each value's tangents next to
/// it. Values that depend on no seeded argument get no tangent work at all.
/// Fails, after an error at the op's location naming it, when an op that
/// needs a tangent has no rule.
FailureOr<JvpValues> buildJvp(OpBuilder &b, Block &body, IRMapping &map,
                              const JvpOptions &options,
                              const JvpRuleSet &rules = getGraphJvpRules());

} // namespace mlir::zo

#endif // ZO_TRAIN_JVP_H
