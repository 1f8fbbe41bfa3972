//===- CudaLockstep.cpp - the two forwards of a ZO step in lockstep ------===//
//
// A ZO step clones @forward at +eps and at -eps (lib/Train/ZerothOrder.cpp)
// and perturbs each weight right before its use. On the GPU a GEMM weight's
// perturbed copy must be written before cuBLAS reads it, so each forward
// reads W, writes W + eps z and reads that copy again: 3 weight volumes per
// forward, 6 for the pair. `zo-cuda-lockstep` (tensors, before
// bufferization) runs the two forwards side by side instead, so that one
// kernel reads W once and writes both copies (one Philox call per element,
// two stores) and each twin GEMM reads its own: 3 + 2 = 5 volumes.
//
//  1. Twins: the second clone's ops are found as the structural twins of
//     the first's. Walking the block in order, an op is the twin of an
//     earlier one when both are side-effect free, have the same name,
//     attributes, result types and (recursively) regions, and every pair of
//     corresponding values -- operands, and values a region captures from
//     above -- is either the same value, a pair of twin results, or a pair
//     of scalar float constants of opposite sign (the clones' +eps / -eps;
//     at least one pair must differ). Ops both clones share (CSE merged
//     what does not depend on a perturbed parameter) are nobody's twin.
//  2. Schedule: between ops with side effects (the parameter write-backs
//     after the forwards), the first clone's ops keep their order; the
//     twins of the ops since the last GEMM follow them right before the
//     next GEMM, and each GEMM is followed by its twin. So the two forwards
//     advance one stage (GEMM to GEMM) at a time, and the ops of a stage
//     stay neighbours (a layer norm's loops still form one row chain). A
//     twin is preceded by whatever it needs that was not placed yet
//     (normally nothing). Any such order is a topological order of the
//     same side-effect-free ops: the values computed do not change.
//  3. Fuse: twin linalg.generic ops with the same inputs (a weight, the
//     seed) and one result each, whose results feed a contraction (a GEMM
//     weight's perturbed copies, which cuBLAS reads from memory), become one
//     generic with two results at the first's place; CSE then leaves one
//     noise computation in its body. Smaller perturbed parameters (biases,
//     norm gains, an embedding only gathered from) stay apart:
//     zo-cuda-inline-generators recomputes them in their readers, which
//     needs one store per loop.
//
// Cost: the two forwards' activations are alive at the same time, and two
// perturbed copies of a GEMM weight instead of one (still no
// parameter-sized temporary); the CPU pipeline does not use this.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <deque>

using namespace mlir;

namespace {

/// The value of a scalar float constant (a FloatAttr or a splat), if `v` is
/// one.
std::optional<APFloat> scalarFloatConstant(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue();
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr))
    if (dense.isSplat())
      return dense.getSplatValue<APFloat>();
  return std::nullopt;
}

/// Whether `a` and `b` are float constants of the same type with values x
/// and -x, x != 0: the perturbation scales of the +eps and -eps clones.
bool areNegatedConstants(Value a, Value b) {
  if (a.getType() != b.getType())
    return false;
  std::optional<APFloat> x = scalarFloatConstant(a), y = scalarFloatConstant(b);
  if (!x || !y || x->isZero())
    return false;
  APFloat negated = *y;
  negated.changeSign();
  return x->bitwiseIsEqual(negated);
}

/// The twin ops of a block (step 1 of the file comment).
class Twins {
public:
  explicit Twins(Block &block);

  /// The twin placed after `first`, if any.
  Operation *secondOf(Operation *first) const { return seconds.lookup(first); }
  /// Pairs (first, second) in program order of the firsts.
  ArrayRef<std::pair<Operation *, Operation *>> pairs() const {
    return pairList;
  }

private:
  /// Whether `b` computes what `a` computes in the other clone. `inner`
  /// maps values defined inside `b`'s regions to `a`'s; `differs` is set
  /// when some pair of values is not identical.
  bool equivalent(Operation *a, Operation *b, IRMapping &inner,
                  bool &differs) const;
  bool equivalentValues(Value a, Value b, const IRMapping &inner,
                        bool &differs) const;
  /// A hash that twins share: operands by their first twin, constants by
  /// type only.
  llvm::hash_code key(Operation *op) const;

  /// A second's results -> its first's.
  DenseMap<Value, Value> firstValue;
  DenseMap<Operation *, Operation *> seconds;
  SmallVector<std::pair<Operation *, Operation *>> pairList;
};

bool Twins::equivalentValues(Value a, Value b, const IRMapping &inner,
                             bool &differs) const {
  if (Value mapped = inner.lookupOrNull(b))
    return mapped == a;
  if (a == b)
    return true;
  if (firstValue.lookup(b) == a || areNegatedConstants(a, b)) {
    differs = true;
    return true;
  }
  return false;
}

bool Twins::equivalent(Operation *a, Operation *b, IRMapping &inner,
                       bool &differs) const {
  if (a->getName() != b->getName() ||
      a->getNumOperands() != b->getNumOperands() ||
      a->getNumRegions() != b->getNumRegions() || a->getNumSuccessors() != 0 ||
      b->getNumSuccessors() != 0 || a->getResultTypes() != b->getResultTypes())
    return false;
  if (a->getAttrDictionary() != b->getAttrDictionary()) {
    // A constant inside a region: the clones' eps folded into a body.
    if (!matchPattern(a, m_Constant()) || a->getNumResults() != 1 ||
        !areNegatedConstants(a->getResult(0), b->getResult(0)))
      return false;
    differs = true;
  }
  for (auto [x, y] : llvm::zip_equal(a->getOperands(), b->getOperands()))
    if (!equivalentValues(x, y, inner, differs))
      return false;
  for (auto [ra, rb] : llvm::zip_equal(a->getRegions(), b->getRegions())) {
    if (ra.getBlocks().size() != rb.getBlocks().size())
      return false;
    for (auto [ba, bb] : llvm::zip_equal(ra, rb)) {
      if (ba.getArgumentTypes() != bb.getArgumentTypes() ||
          ba.getOperations().size() != bb.getOperations().size())
        return false;
      inner.map(bb.getArguments(), ba.getArguments());
      for (auto [oa, ob] : llvm::zip_equal(ba, bb)) {
        if (!equivalent(&oa, &ob, inner, differs))
          return false;
        inner.map(ob.getResults(), oa.getResults());
      }
    }
  }
  return true;
}

llvm::hash_code Twins::key(Operation *op) const {
  llvm::hash_code h =
      llvm::hash_combine(op->getName(), op->getNumRegions(),
                         llvm::hash_combine_range(op->getResultTypes().begin(),
                                                  op->getResultTypes().end()));
  for (Value v : op->getOperands()) {
    if (matchPattern(v, m_Constant()))
      h = llvm::hash_combine(h, v.getType());
    else if (Value first = firstValue.lookup(v))
      h = llvm::hash_combine(h, first);
    else
      h = llvm::hash_combine(h, v);
  }
  return h;
}

Twins::Twins(Block &block) {
  DenseMap<llvm::hash_code, SmallVector<Operation *, 2>> candidates;
  for (Operation &op : block) {
    if (op.getNumResults() == 0 || matchPattern(&op, m_Constant()) ||
        !isMemoryEffectFree(&op))
      continue;
    SmallVector<Operation *, 2> &bucket = candidates[key(&op)];
    Operation *first = nullptr;
    for (Operation *candidate : bucket) {
      if (seconds.count(candidate))
        continue;
      IRMapping inner;
      bool differs = false;
      if (equivalent(candidate, &op, inner, differs) && differs) {
        first = candidate;
        break;
      }
    }
    if (!first) {
      bucket.push_back(&op);
      continue;
    }
    seconds[first] = &op;
    pairList.push_back({first, &op});
    for (auto [x, y] : llvm::zip_equal(first->getResults(), op.getResults()))
      firstValue[y] = x;
  }
}

/// A GEMM (what LinalgToBlas makes a cuBLAS call).
bool isContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalg::isaContractionOpInterface(linalgOp);
}

/// Step 2: each second right after its first, within the runs of
/// side-effect-free ops of `block`.
void schedule(Block &block, const Twins &twins) {
  Block::iterator it = block.begin();
  while (it != block.end()) {
    // A segment: [it, end) of side-effect-free ops; `end` stays in place.
    Block::iterator begin = it;
    while (it != block.end() && isMemoryEffectFree(&*it) &&
           !it->hasTrait<OpTrait::IsTerminator>())
      ++it;
    Block::iterator end = it;
    if (it != block.end())
      ++it;
    llvm::DenseSet<Operation *> segment;
    for (Operation &op : llvm::make_range(begin, end))
      segment.insert(&op);
    if (segment.size() < 2)
      continue;

    llvm::SetVector<Operation *> order;
    // Seconds of the current stage, placed before the next GEMM.
    std::deque<Operation *> pending;
    std::function<void(Operation *)> place;
    auto flush = [&] {
      while (!pending.empty()) {
        Operation *second = pending.front();
        pending.pop_front();
        place(second);
      }
    };
    place = [&](Operation *op) {
      if (!segment.count(op) || order.contains(op))
        return;
      // What it uses (operands, values its regions capture) first.
      op->walk([&](Operation *nested) {
        for (Value v : nested->getOperands()) {
          Operation *def = v.getDefiningOp();
          if (def && def != op && def->getBlock() == &block)
            place(def);
        }
      });
      Operation *second = twins.secondOf(op);
      if (!second) {
        order.insert(op);
        return;
      }
      if (!isContraction(op)) {
        order.insert(op);
        pending.push_back(second);
        return;
      }
      flush();
      order.insert(op);
      place(second);
    };
    for (Operation &op : llvm::make_range(begin, end))
      place(&op);
    flush();
    Operation *anchor = end == block.end() ? nullptr : &*end;
    for (Operation *op : order) {
      if (anchor)
        op->moveBefore(anchor);
      else
        op->moveBefore(&block, block.end());
    }
  }
}

/// Whether `v`, through reshapes, is an operand of a contraction (a GEMM:
/// what LinalgToBlas makes a cuBLAS call).
bool feedsContraction(Value v) {
  SmallVector<Value> worklist{v};
  llvm::DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value w = worklist.pop_back_val();
    if (!seen.insert(w).second)
      continue;
    for (Operation *user : w.getUsers()) {
      if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp>(
              user)) {
        worklist.push_back(user->getResult(0));
        continue;
      }
      if (isContraction(user))
        return true;
    }
  }
  return false;
}

/// Step 3: twin generics with the same inputs and one result each, whose
/// results are GEMM operands, as one generic with two results at the
/// first's place. Returns whether it fused.
bool fuseTwinGenerics(linalg::GenericOp first, linalg::GenericOp second) {
  if (first->getBlock() != second->getBlock() || first.getNumResults() != 1 ||
      second.getNumResults() != 1 || first.getNumDpsInits() != 1 ||
      first.getInputs() != second.getInputs() ||
      first.getIndexingMapsArray() != second.getIndexingMapsArray() ||
      first.getIteratorTypesArray() != second.getIteratorTypesArray() ||
      !feedsContraction(first.getResult(0)) ||
      !feedsContraction(second.getResult(0)))
    return false;
  // Only within the run of side-effect-free ops that schedule() interleaved
  // (never across a parameter's write-back).
  if (!first->isBeforeInBlock(second))
    return false;
  for (Operation *op = first->getNextNode(); op != second;
       op = op->getNextNode())
    if (!isMemoryEffectFree(op))
      return false;
  // The fused op goes to `first`'s place: what `second` reads must be
  // there already (its inputs are `first`'s; its init and what its body
  // captures normally come from the top of the function).
  bool available = true;
  second->walk([&](Operation *nested) {
    for (Value v : nested->getOperands()) {
      Operation *def = v.getDefiningOp();
      if (def && def->getBlock() == first->getBlock() &&
          !def->isBeforeInBlock(first))
        available = false;
    }
  });
  if (!available)
    return false;

  OpBuilder b(first);
  SmallVector<AffineMap> maps = first.getIndexingMapsArray();
  maps.push_back(second.getIndexingMapsArray().back());
  SmallVector<Value> inits{first.getDpsInits()[0], second.getDpsInits()[0]};
  SmallVector<Type> types{first.getResult(0).getType(),
                          second.getResult(0).getType()};
  auto fused =
      linalg::GenericOp::create(b, first.getLoc(), types, first.getInputs(),
                                inits, maps, first.getIteratorTypesArray());
  fused->setDiscardableAttrs(first->getDiscardableAttrDictionary());
  Block *body = b.createBlock(&fused.getRegion());
  unsigned numInputs = first.getNumDpsInputs();
  Block &firstSrc = first.getRegion().front();
  for (unsigned i = 0; i < numInputs; ++i)
    body->addArgument(firstSrc.getArgument(i).getType(),
                      firstSrc.getArgument(i).getLoc());
  for (linalg::GenericOp part : {first, second}) {
    BlockArgument out = part.getRegion().front().getArgument(numInputs);
    body->addArgument(out.getType(), out.getLoc());
  }
  SmallVector<Value> yields;
  b.setInsertionPointToStart(body);
  for (auto [index, part] :
       llvm::enumerate(std::array<linalg::GenericOp, 2>{first, second})) {
    Block &src = part.getRegion().front();
    IRMapping map;
    for (unsigned i = 0; i < numInputs; ++i)
      map.map(src.getArgument(i), body->getArgument(i));
    map.map(src.getArgument(numInputs), body->getArgument(numInputs + index));
    for (Operation &op : src.without_terminator())
      b.clone(op, map);
    for (Value v : src.getTerminator()->getOperands())
      yields.push_back(map.lookupOrDefault(v));
  }
  linalg::YieldOp::create(b, first.getLoc(), yields);
  first.getResult(0).replaceAllUsesWith(fused.getResult(0));
  second.getResult(0).replaceAllUsesWith(fused.getResult(1));
  first.erase();
  second.erase();
  return true;
}

struct CudaLockstepPass
    : PassWrapper<CudaLockstepPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaLockstepPass)

  StringRef getArgument() const override { return "zo-cuda-lockstep"; }
  StringRef getDescription() const override {
    return "Run the twin forward clones of a ZO step in lockstep (each "
           "-eps op right after its +eps twin) and make the two perturbed "
           "copies of a GEMM weight one generic with two results";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    for (Block &block : fn.getBody()) {
      Twins twins(block);
      if (twins.pairs().empty())
        continue;
      schedule(block, twins);
      for (auto [first, second] : twins.pairs()) {
        auto a = dyn_cast<linalg::GenericOp>(first);
        auto b = dyn_cast<linalg::GenericOp>(second);
        if (a && b)
          fuseTwinGenerics(a, b);
      }
    }
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaLockstepPass() {
  return std::make_unique<CudaLockstepPass>();
}
