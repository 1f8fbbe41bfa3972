//===- Vjp.cpp - the reverse-mode driver and the rule registry ------------===//
//
// `buildVjp` clones the body (the primal), then sweeps its ops last to
// first. Two static passes decide where cotangents flow before anything is
// built: a value is *varied* if it depends on a requested argument and
// *useful* if a seeded result depends on it; only values that are both get
// a cotangent, so frozen branches and the shape arithmetic cost nothing. A
// value with several uses receives one contribution per use, summed as they
// arrive. The memory schedule is left to the caller, which learns through
// `onGradient` when each argument's gradient is final.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::vjputil;

const VjpRuleFn *VjpRuleSet::lookup(Operation *op) const {
  auto it = rules.find(op->getName().getTypeID());
  return it == rules.end() ? nullptr : &it->second;
}

SmallVector<Type, 2> VjpRuleSet::lookupResiduals(Operation *op) const {
  auto it = residuals.find(op->getName().getTypeID());
  return it == residuals.end() ? SmallVector<Type, 2>() : it->second(op);
}

/// `op` cloned at `b` with `extra` result types appended (its operands
/// mapped through `map`, its results mapped to the clone's first ones).
static Operation *cloneWithResults(OpBuilder &b, Operation &op, IRMapping &map,
                                   ArrayRef<Type> extra) {
  OperationState state(op.getLoc(), op.getName());
  for (Value v : op.getOperands())
    state.addOperands(map.lookupOrDefault(v));
  state.addAttributes(op.getAttrs());
  state.addTypes(op.getResultTypes());
  state.addTypes(extra);
  Operation *clone = b.create(state);
  for (auto [from, to] : llvm::zip(op.getResults(), clone->getResults()))
    map.map(from, to);
  return clone;
}

const VjpRuleSet &mlir::zo::getGraphVjpRules() {
  static const VjpRuleSet rules = [] {
    VjpRuleSet set;
    populateElementwiseVjpRules(set);
    populateLinalgVjpRules(set);
    populateNormalizationVjpRules(set);
    populateReductionVjpRules(set);
    populateDataMovementVjpRules(set);
    populateLossVjpRules(set);
    return set;
  }();
  return rules;
}

/// Calls `fn` on every value `op` reads: its operands and the values its
/// regions capture.
static void forEachInput(Operation &op, llvm::function_ref<void(Value)> fn) {
  op.walk([&](Operation *nested) {
    for (Value v : nested->getOperands())
      fn(v);
  });
}

/// Makes a rule's cotangent fit `operandType`: sums over broadcast
/// dimensions when the rule returned it in a broadcast shape.
static FailureOr<Value> fitCotangent(OpBuilder &b, Operation *op, Value ct,
                                     Type operandType) {
  if (ct.getType() == operandType)
    return ct;
  auto have = dyn_cast<RankedTensorType>(ct.getType());
  auto want = dyn_cast<RankedTensorType>(operandType);
  if (have && want && have.getElementType() == want.getElementType())
    if (Value fitted = sumToShape(b, op->getLoc(), ct, want))
      return fitted;
  return op->emitError() << "VJP rule of '" << op->getName()
                         << "' built a cotangent of type " << ct.getType()
                         << " for an operand of type " << operandType;
}

/// Erases the backward ops that only computed `v` (a cotangent the driver
/// drops: an operand that needs none), so rules may compute every operand's
/// cotangent without checking which are wanted.
static void eraseIfDead(Value v, const llvm::DenseSet<Operation *> &keep,
                        const llvm::DenseSet<Value> &held) {
  Operation *def = v ? v.getDefiningOp() : nullptr;
  if (!def || keep.contains(def) || !def->use_empty() ||
      !isMemoryEffectFree(def) || llvm::any_of(def->getResults(), [&](Value r) {
        return held.contains(r);
      }))
    return;
  SmallVector<Value> operands(def->getOperands());
  def->erase();
  for (Value o : operands)
    eraseIfDead(o, keep, held);
}

FailureOr<VjpValues> mlir::zo::buildVjp(OpBuilder &b, Block &body,
                                        IRMapping &map,
                                        const VjpOptions &options,
                                        const VjpRuleSet &rules) {
  Operation *terminator = body.empty() ? nullptr : &body.back();
  if (!terminator || !terminator->hasTrait<OpTrait::IsTerminator>())
    return body.getParentOp()->emitError()
           << "buildVjp: the body does not end in a terminator";
  auto ops = llvm::make_range(body.begin(), Block::iterator(terminator));

  // Varied: depends on a requested float argument.
  llvm::DenseSet<Value> varied;
  for (BlockArgument arg : options.wrt)
    if (isFloatTensor(arg.getType()))
      varied.insert(arg);
  for (Operation &op : ops) {
    bool any = false;
    forEachInput(op, [&](Value v) { any |= varied.contains(v); });
    if (any)
      for (Value r : op.getResults())
        if (isFloatTensor(r.getType()))
          varied.insert(r);
  }

  // The primal. Ops the backward pass may not erase: every clone (and the
  // seeds).
  llvm::DenseSet<Operation *> primalOps;
  DenseMap<Operation *, Operation *> cloneOf;
  for (Operation &op : ops) {
    // Ops with residuals (layer_norm's statistics) save them when they
    // will be differentiated.
    SmallVector<Type, 2> extra;
    if (op.getNumRegions() == 0 &&
        llvm::any_of(op.getResults(),
                     [&](Value r) { return varied.contains(r); }))
      extra = rules.lookupResiduals(&op);
    Operation *clone =
        extra.empty() ? b.clone(op, map) : cloneWithResults(b, op, map, extra);
    cloneOf[&op] = clone;
    clone->walk([&](Operation *nested) { primalOps.insert(nested); });
  }
  VjpValues out;
  for (Value v : terminator->getOperands())
    out.primals.push_back(map.lookup(v));

  // Seeds. ct: value of `body` -> its cotangent so far in the output.
  DenseMap<Value, Value> ct;
  auto accumulate = [&](Value v, Value c) {
    Value &slot = ct[v];
    slot = slot ? Value(g::AddOp::create(b, c.getLoc(), slot, c)) : c;
  };
  if (options.resultCotangent)
    for (auto [i, v] : llvm::enumerate(terminator->getOperands()))
      if (Value seed = options.resultCotangent(b, terminator->getLoc(), i,
                                               out.primals[i])) {
        if (Operation *def = seed.getDefiningOp())
          primalOps.insert(def); // the caller's: never erased
        if (varied.contains(v))
          accumulate(v, seed);
      }

  // Useful: a seeded result depends on it (only varied values qualify).
  llvm::DenseSet<Value> useful;
  for (auto &entry : ct)
    useful.insert(entry.first);
  for (Operation &op : llvm::reverse(ops))
    if (llvm::any_of(op.getResults(),
                     [&](Value r) { return useful.contains(r); }))
      forEachInput(op, [&](Value v) {
        if (varied.contains(v))
          useful.insert(v);
      });

  // When each requested argument's gradient is final: after the backward op
  // of its first use by an op on a seeded path; before the sweep if there is
  // none (then its gradient is its seed, when it is returned, or null).
  DenseMap<Operation *, SmallVector<unsigned>> completeAfter;
  DenseMap<Value, SmallVector<unsigned>> pending; // wrt argument -> indices
  for (auto [i, arg] : llvm::enumerate(options.wrt))
    if (useful.contains(arg))
      pending[arg].push_back(i);
  SmallVector<unsigned> completeFirst;
  for (Operation &op : ops) {
    if (pending.empty())
      break;
    if (llvm::none_of(op.getResults(),
                      [&](Value r) { return useful.contains(r); }))
      continue;
    forEachInput(op, [&](Value v) {
      auto it = pending.find(v);
      if (it == pending.end())
        return;
      llvm::append_range(completeAfter[&op], it->second);
      pending.erase(it);
    });
  }
  for (auto [i, arg] : llvm::enumerate(options.wrt))
    if (!useful.contains(arg) || pending.contains(arg))
      completeFirst.push_back(i);
  auto complete = [&](ArrayRef<unsigned> indices) {
    if (!options.onGradient)
      return;
    for (unsigned i : indices)
      options.onGradient(b, i, options.wrt[i], ct.lookup(options.wrt[i]));
  };
  complete(completeFirst);

  for (Operation &op : llvm::reverse(ops)) {
    SmallVector<Value> resultCts;
    for (Value r : op.getResults())
      resultCts.push_back(ct.lookup(r));
    bool needed = llvm::any_of(resultCts, [](Value c) { return c; });
    bool anyOperand = false;
    forEachInput(op, [&](Value v) { anyOperand |= useful.contains(v); });
    if (needed && anyOperand) {
      Operation *clone = cloneOf[&op];
      const VjpRuleFn *rule = rules.lookup(clone);
      if (!rule || op.getNumRegions() != 0)
        return op.emitError()
               << "no VJP (reverse-mode derivative) rule for '" << op.getName()
               << "'; it is needed because an operand depends on a "
                  "differentiated argument and a result on the seeded "
                  "results";
      SmallVector<Value> operandCts;
      if (failed((*rule)(b, clone, resultCts, operandCts)))
        return failure();
      if (operandCts.size() != op.getNumOperands())
        return op.emitError() << "VJP rule of '" << op.getName() << "' gave "
                              << operandCts.size() << " cotangents for "
                              << op.getNumOperands() << " operands";
      SmallVector<Value> dropped;
      for (auto [operand, c] : llvm::zip_equal(op.getOperands(), operandCts)) {
        if (!c)
          continue;
        if (!useful.contains(operand)) {
          dropped.push_back(c);
          continue;
        }
        FailureOr<Value> fitted =
            fitCotangent(b, &op, c, map.lookup(operand).getType());
        if (failed(fitted))
          return failure();
        accumulate(operand, *fitted);
      }
      // Cotangents the map holds have no IR use yet: never erase those.
      llvm::DenseSet<Value> held;
      for (auto &entry : ct)
        held.insert(entry.second);
      for (Value c : dropped)
        eraseIfDead(c, primalOps, held);
    }
    // The results' cotangents are dead in the sweep from here on.
    for (Value r : op.getResults())
      ct.erase(r);
    if (auto it = completeAfter.find(&op); it != completeAfter.end())
      complete(it->second);
  }

  for (BlockArgument arg : options.wrt)
    out.gradients.push_back(ct.lookup(arg));
  return out;
}
