//===- Jvp.cpp - the forward-mode driver and the rule registry ------------===//
//
// `buildJvp` clones a body op by op; after each clone it asks the op's rule
// for the tangents of its results, once per direction, but only when some
// operand carries a tangent in that direction. Values that do not depend on
// a seed therefore cost nothing beyond the primal clone, and a missing rule
// is an error only where a derivative is really needed.
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::zo;
using jvputil::isFloatTensor;

const JvpRuleFn *JvpRuleSet::lookup(Operation *op) const {
  auto it = rules.find(op->getName().getTypeID());
  return it == rules.end() ? nullptr : &it->second;
}

const JvpRuleSet &mlir::zo::getGraphJvpRules() {
  static const JvpRuleSet rules = [] {
    JvpRuleSet set;
    populateElementwiseJvpRules(set);
    populateLinalgJvpRules(set);
    populateNormalizationJvpRules(set);
    populateReductionJvpRules(set);
    populateDataMovementJvpRules(set);
    populateLossJvpRules(set);
    return set;
  }();
  return rules;
}

/// Makes `tangent` fit `result`: a rule may return a tangent that still
/// needs broadcasting (e.g. the tangent of a broadcast operand alone).
static FailureOr<Value> fitTangent(OpBuilder &b, Operation *op, Value tangent,
                                   Type resultType) {
  if (tangent.getType() == resultType)
    return tangent;
  auto have = dyn_cast<RankedTensorType>(tangent.getType());
  auto want = dyn_cast<RankedTensorType>(resultType);
  SmallVector<int64_t> shape;
  if (have && want && have.getElementType() == want.getElementType() &&
      succeeded(
          graph::broadcastShapes(have.getShape(), want.getShape(), shape)) &&
      ArrayRef<int64_t>(shape) == want.getShape())
    return Value(graph::ExpandOp::create(b, op->getLoc(), want, tangent));
  return op->emitError() << "JVP rule of '" << op->getName()
                         << "' built a tangent of type " << tangent.getType()
                         << " for a result of type " << resultType;
}

FailureOr<JvpValues> mlir::zo::buildJvp(OpBuilder &b, Block &body,
                                        IRMapping &map,
                                        const JvpOptions &options,
                                        const JvpRuleSet &rules) {
  int64_t numDirs = options.numDirections;
  // Per direction: value of `body` -> its tangent in the output.
  SmallVector<DenseMap<Value, Value>> tangents(numDirs);
  llvm::DenseSet<BlockArgument> seeded;
  auto seedOperandsOf = [&](Operation &op) {
    op.walk([&](Operation *nested) {
      for (Value v : nested->getOperands()) {
        auto arg = dyn_cast<BlockArgument>(v);
        if (!arg || arg.getOwner() != &body || !seeded.insert(arg).second ||
            !options.argTangent || !isFloatTensor(arg.getType()))
          continue;
        for (int64_t dir = 0; dir < numDirs; ++dir)
          if (Value t = options.argTangent(b, op.getLoc(), arg, dir))
            tangents[dir][arg] = t;
      }
    });
  };

  JvpValues out;
  out.tangents.resize(numDirs);
  for (Operation &op : body) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      for (Value v : op.getOperands()) {
        out.primals.push_back(map.lookup(v));
        for (int64_t dir = 0; dir < numDirs; ++dir)
          out.tangents[dir].push_back(tangents[dir].lookup(v));
      }
      return out;
    }
    seedOperandsOf(op);
    Operation *clone = b.clone(op, map);
    for (int64_t dir = 0; dir < numDirs; ++dir) {
      SmallVector<Value> operandTangents;
      for (Value v : op.getOperands())
        operandTangents.push_back(tangents[dir].lookup(v));
      bool needed = llvm::any_of(operandTangents, [](Value t) { return t; });
      // Values captured by nested regions are operands too, for the rule.
      op.walk([&](Operation *nested) {
        if (nested != &op)
          for (Value v : nested->getOperands())
            needed |= tangents[dir].contains(v);
      });
      if (!needed)
        continue;
      const JvpRuleFn *rule = rules.lookup(clone);
      if (!rule || op.getNumRegions() != 0)
        return op.emitError()
               << "no JVP (forward-mode derivative) rule for '" << op.getName()
               << "'; it is needed because an operand depends on a "
                  "differentiated argument";
      SmallVector<Value> resultTangents;
      if (failed((*rule)(b, clone, operandTangents, resultTangents)))
        return failure();
      if (resultTangents.size() != op.getNumResults())
        return op.emitError() << "JVP rule of '" << op.getName() << "' gave "
                              << resultTangents.size() << " tangents for "
                              << op.getNumResults() << " results";
      for (auto [result, cloned, t] : llvm::zip_equal(
               op.getResults(), clone->getResults(), resultTangents)) {
        if (!t || !isFloatTensor(result.getType()))
          continue;
        FailureOr<Value> fitted = fitTangent(b, &op, t, cloned.getType());
        if (failed(fitted))
          return failure();
        tangents[dir][result] = *fitted;
      }
    }
  }
  return body.getParentOp()->emitError()
         << "buildJvp: the body does not end in a terminator";
}
