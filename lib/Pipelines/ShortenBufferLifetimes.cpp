//===- ShortenBufferLifetimes.cpp - free each buffer after its last use ---===//
//
// Three rewrites that make the compiled code's peak its live working set,
// not the sum of its allocations:
//
// zo-rematerialize-inputs (tensors, before zo-split-empty-tensors):
//   a small value computed from function arguments and constants alone (the
//   labels shifted by one position for a causal-LM loss) that several ops
//   read is recomputed right before each of them. CSE merges the two
//   forward clones' copies of it in a ZO step, and the one buffer then stays
//   alive from the first forward's loss through the second forward's peak.
//   Recomputing it reads only values that are alive anyway, so it never
//   extends another buffer's life.
//
// zo-split-empty-tensors (tensors, right before one-shot bufferization):
//   CSE merges equal `tensor.empty` ops, and one-shot bufferization then
//   gives every loop writing into the merged value one buffer, live from its
//   first to its last use. In a training step that is, e.g., one scratch per
//   weight shape shared by the perturbed weights of both forward clones, so
//   it lives across the clones. Likewise a CSE'd zero `linalg.fill` (a GEMM
//   accumulator) is filled once and copied for every GEMM of the step. Each
//   use gets its own `tensor.empty` / `linalg.fill`, placed right before it,
//   so its own short-lived allocation (and a fill instead of a copy).
//
// zo-dealloc-at-last-use (buffers, after the deallocation pipeline):
//   the ownership-based deallocation pipeline frees function-local buffers
//   at the end of the block. Each `memref.dealloc %a` of a `memref.alloc`
//   in the same block moves to right after the last op of that block that
//   uses %a or a value derived from it (views, casts, anything taking it
//   but a load). Skipped if any derived value leaves through a terminator.
//
// zo-reuse-freed-buffers (buffers, after zo-dealloc-at-last-use; CPU):
//   `memref.dealloc %a` followed, with no allocation in between, by
//   `%b = memref.alloc()` of the same type and alignment in the same block
//   becomes a reuse: the dealloc and the alloc go, %b's uses take %a. %a is
//   dead after its dealloc (placed after its last use), so nothing sees the
//   two share memory; and since nothing was allocated between the two
//   points, the bytes live at every allocation are what they were: the peak
//   is unchanged and the allocation count drops. Chains of same-shaped
//   temporaries (SWAN's Newton-Schulz iterates: a product, then a scaled
//   copy, per iteration and matrix) then run in a fixed set of buffers
//   instead of an allocation each. An allocation event is a memref.alloc
//   that is not reused, an op with nested allocations, or a call of a
//   function defined in the module.
//
// zo-elementwise-in-place (buffers, after zo-dealloc-at-last-use; CPU):
//   an all-parallel linalg.generic that writes a fresh `memref.alloc` %b and
//   reads, at the same index, a buffer %a of the same type that dies right
//   there (its next use is its dealloc) writes %a instead: %b's alloc and
//   %a's dealloc go, %b's uses take %a. Each point reads its inputs before
//   it stores, and no other operand is a view of %a, so no point reads
//   what another point wrote. The two were both alive during the loop;
//   now one is, so the peak can only drop (SWAN: the gradient, its
//   centered copy and G~ share one buffer; the backward pass's elementwise
//   chains run in the cotangent's buffer).
//
//===----------------------------------------------------------------------===//

#include "ShortenBufferLifetimes.h"

#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

struct SplitEmptyTensorsPass
    : PassWrapper<SplitEmptyTensorsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SplitEmptyTensorsPass)

  StringRef getArgument() const override { return "zo-split-empty-tensors"; }
  StringRef getDescription() const override {
    return "Give each use of a tensor.empty its own tensor.empty, so that "
           "bufferization gives each its own short-lived buffer";
  }
  void runOnOperation() override {
    // Zero-filled accumulators first: one fill per use (a fill is cheaper
    // than the copy one-shot would make of a shared one), then one empty per
    // use. Each clone goes right before its user; the original goes away.
    SmallVector<Operation *> shared;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::FillOp>(op) && op->getNumResults() == 1 &&
          !op->getResult(0).hasOneUse() && !op->getResult(0).use_empty())
        shared.push_back(op);
    });
    splitPerUse(shared);
    shared.clear();
    getOperation().walk([&](tensor::EmptyOp e) {
      if (!e->getResult(0).hasOneUse() && !e->getResult(0).use_empty())
        shared.push_back(e);
    });
    splitPerUse(shared);
  }

  static void splitPerUse(ArrayRef<Operation *> ops) {
    for (Operation *op : ops) {
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : op->getResult(0).getUses())
        uses.push_back(&use);
      for (OpOperand *use : uses) {
        OpBuilder b(use->getOwner());
        use->set(b.clone(*op)->getResult(0));
      }
      op->erase();
    }
  }
};

/// At most this many elements per value of a recomputed chain, and this many
/// ops: recomputing costs a copy of a few KiB per use.
constexpr int64_t kMaxRematElements = int64_t(1) << 16;
constexpr size_t kMaxRematOps = 16;

/// An op a recomputed chain may contain: constants (globals: free to
/// repeat), and reshapes, slices, fills and short all-parallel arithmetic
/// loops with static shapes of at most kMaxRematElements elements.
bool isRematerializable(Operation *op) {
  if (isa<arith::ConstantOp>(op))
    return true;
  for (Value r : op->getResults()) {
    auto t = dyn_cast<RankedTensorType>(r.getType());
    if (!t || !t.hasStaticShape() || t.getNumElements() > kMaxRematElements)
      return false;
  }
  if (isa<tensor::EmptyOp, tensor::InsertSliceOp, tensor::ExtractSliceOp,
          tensor::CollapseShapeOp, tensor::ExpandShapeOp, linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  Block &body = generic.getRegion().front();
  return body.getOperations().size() <= 9 &&
         llvm::all_of(body.without_terminator(), [](Operation &inner) {
           return isa<arith::ArithDialect>(inner.getDialect()) ||
                  isa<linalg::IndexOp, tensor::ExtractOp>(inner);
         });
}

/// The ops computing `v` from arguments of `fn`'s body and constants only,
/// in block order, or nothing if another value feeds it or it is too big.
SmallVector<Operation *> rematerializableChain(Value v, Block *body) {
  llvm::SetVector<Operation *> chain;
  SmallVector<Value> work{v};
  while (!work.empty()) {
    Value cur = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(cur)) {
      if (arg.getOwner() != body)
        return {};
      continue;
    }
    Operation *def = cur.getDefiningOp();
    if (def->getBlock() != body || !isRematerializable(def))
      return {};
    if (!chain.insert(def))
      continue;
    if (chain.size() > kMaxRematOps)
      return {};
    def->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (operand.getParentBlock() == body ||
            !nested->getParentRegion()->isAncestor(operand.getParentRegion()))
          work.push_back(operand);
    });
  }
  SmallVector<Operation *> ordered(chain.begin(), chain.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  return ordered;
}

struct RematerializeInputsPass
    : PassWrapper<RematerializeInputsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(RematerializeInputsPass)

  StringRef getArgument() const override { return "zo-rematerialize-inputs"; }
  StringRef getDescription() const override {
    return "Recompute small values derived only from function arguments and "
           "constants right before each op that reads them";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, linalg::LinalgDialect,
                    tensor::TensorDialect>();
  }
  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp fn) {
      if (fn.isExternal())
        return;
      Block *body = &fn.getBody().front();
      // Values read by ops in two or more places of the body (constants are
      // globals, not buffers: only computed values count).
      SmallVector<Operation *> candidates;
      for (Operation &op : *body)
        if (op.getNumResults() == 1 && !isa<arith::ConstantOp>(op) &&
            isRematerializable(&op) && readers(op.getResult(0), body).size() > 1)
          candidates.push_back(&op);
      for (Operation *op : llvm::reverse(candidates))
        rematerialize(op->getResult(0), body);
    });
  }

  /// The ops of `body` reading `v` (directly or in a nested region), in
  /// block order, terminators excluded.
  static SmallVector<Operation *> readers(Value v, Block *body) {
    llvm::SetVector<Operation *> found;
    for (Operation *user : v.getUsers())
      if (Operation *anc = body->findAncestorOpInBlock(*user))
        if (!anc->hasTrait<OpTrait::IsTerminator>())
          found.insert(anc);
    SmallVector<Operation *> ordered(found.begin(), found.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    return ordered;
  }

  static void rematerialize(Value v, Block *body) {
    SmallVector<Operation *> chain = rematerializableChain(v, body);
    SmallVector<Operation *> users = readers(v, body);
    // Reshapes and slices of arguments bufferize to views: sharing them
    // holds no buffer.
    bool allocates = llvm::any_of(chain, [](Operation *op) {
      return !isa<arith::ConstantOp, tensor::CollapseShapeOp,
                  tensor::ExpandShapeOp, tensor::ExtractSliceOp>(op);
    });
    if (chain.empty() || !allocates || users.size() < 2)
      return;
    // The first reader keeps the original; each later one gets its own copy.
    for (Operation *user : llvm::drop_begin(users)) {
      OpBuilder b(user);
      IRMapping map;
      for (Operation *op : chain)
        b.clone(*op, map);
      Value copy = map.lookup(v);
      v.replaceUsesWithIf(copy, [&](OpOperand &use) {
        return body->findAncestorOpInBlock(*use.getOwner()) == user;
      });
    }
  }
};

/// The op of `block` that is or contains the last use of `root` or of a
/// value derived from it; null if a derived value leaves through a
/// terminator or is used outside `block`.
Operation *lastUse(Value root, Block *block, bool &escapes) {
  Operation *last = nullptr;
  SmallVector<Value> work{root};
  DenseSet<Value> seen{root};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() &&
          !isa<memref::DeallocOp>(user)) {
        escapes = true;
        return nullptr;
      }
      Operation *anc = block->findAncestorOpInBlock(*user);
      if (!anc) {
        escapes = true;
        return nullptr;
      }
      if (!isa<memref::DeallocOp>(user) &&
          (!last || last->isBeforeInBlock(anc)))
        last = anc;
      // A load reads through the buffer; its result is no reference to it.
      if (isa<memref::LoadOp, affine::AffineLoadOp>(user))
        continue;
      for (Value r : user->getResults())
        if (seen.insert(r).second)
          work.push_back(r);
    }
  }
  return last;
}

struct DeallocAtLastUsePass
    : PassWrapper<DeallocAtLastUsePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DeallocAtLastUsePass)

  StringRef getArgument() const override { return "zo-dealloc-at-last-use"; }
  StringRef getDescription() const override {
    return "Move each memref.dealloc of a block-local memref.alloc to right "
           "after the buffer's last use";
  }
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](memref::DeallocOp d) { deallocs.push_back(d); });
    for (memref::DeallocOp d : deallocs) {
      auto alloc = d.getMemref().getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc->getBlock() != d->getBlock())
        continue;
      // Exactly one dealloc of this buffer (else it is not ours to move).
      if (llvm::count_if(alloc->getUsers(), [](Operation *u) {
            return isa<memref::DeallocOp>(u);
          }) != 1)
        continue;
      bool escapes = false;
      Operation *last = lastUse(alloc.getResult(), d->getBlock(), escapes);
      if (escapes)
        continue;
      if (!last)
        last = alloc;
      if (last->isBeforeInBlock(d))
        d->moveAfter(last);
    }
  }
};
/// True if `op` may allocate a buffer the runtime accounts for: an
/// allocation nested in its regions, or a call of a function with a body
/// here (external functions, the BLAS and runtime entry points, are the
/// runtime's own).
bool mayAllocate(Operation *op, SymbolTableCollection &symbols) {
  bool found = false;
  op->walk([&](Operation *nested) {
    if (isa<memref::AllocOp, memref::AllocaOp>(nested))
      found = true;
    if (auto call = dyn_cast<CallOpInterface>(nested)) {
      auto callee = dyn_cast_if_present<FunctionOpInterface>(
          call.resolveCallableInTable(&symbols));
      if (!callee || !callee.isExternal())
        found = true;
    }
    return found ? WalkResult::interrupt() : WalkResult::advance();
  });
  return found;
}

struct ReuseFreedBuffersPass
    : PassWrapper<ReuseFreedBuffersPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReuseFreedBuffersPass)

  StringRef getArgument() const override { return "zo-reuse-freed-buffers"; }
  StringRef getDescription() const override {
    return "Reuse a buffer freed right before an allocation of the same type "
           "(no allocation in between: the peak is unchanged)";
  }
  void runOnOperation() override {
    SymbolTableCollection symbols;
    SmallVector<Block *> blocks;
    getOperation().walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks) {
      // Deallocs of this block's allocations since the last allocation.
      SmallVector<memref::DeallocOp> freed;
      for (Operation &op : llvm::make_early_inc_range(*block)) {
        if (auto d = dyn_cast<memref::DeallocOp>(op)) {
          auto a = d.getMemref().getDefiningOp<memref::AllocOp>();
          if (a && a->getBlock() == block)
            freed.push_back(d);
          continue;
        }
        auto alloc = dyn_cast<memref::AllocOp>(op);
        if (!alloc) {
          if (mayAllocate(&op, symbols))
            freed.clear();
          continue;
        }
        auto same = llvm::find_if(freed, [&](memref::DeallocOp d) {
          auto a = d.getMemref().getDefiningOp<memref::AllocOp>();
          return alloc.getDynamicSizes().empty() &&
                 alloc.getSymbolOperands().empty() &&
                 a.getType() == alloc.getType() &&
                 a.getAlignment() == alloc.getAlignment();
        });
        if (same == freed.end()) {
          freed.clear();
          continue;
        }
        Value reused = same->getMemref();
        same->erase();
        freed.erase(same);
        alloc.getResult().replaceAllUsesWith(reused);
        alloc.erase();
      }
    }
  }
};
} // namespace

namespace {
/// True if `v` may be `alloc` or a view of it: followed through the memref
/// operands of whatever op made `v` (views, casts, transposes); a block
/// argument or another allocation or global is not.
bool mayViewOf(Value v, memref::AllocOp alloc) {
  if (v == alloc.getResult())
    return true;
  Operation *def = v.getDefiningOp();
  if (!def || isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(def))
    return false;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return isa<BaseMemRefType>(operand.getType()) && mayViewOf(operand, alloc);
  });
}

/// The input of `op` (an all-parallel generic writing the fresh `out`) whose
/// buffer may become the output: same type and alignment as `out`, the
/// identity map, owned by this block, not otherwise read by `op`, and
/// freed right after `op`. Returns that dealloc.
memref::DeallocOp findDyingInput(linalg::GenericOp op, memref::AllocOp out) {
  if (op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return {};
  for (OpOperand *in : op.getDpsInputOperands()) {
    auto alloc = in->get().getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc.getType() != out.getType() ||
        alloc->getBlock() != op->getBlock() ||
        alloc.getAlignment() < out.getAlignment() ||
        !op.getMatchingIndexingMap(in).isIdentity())
      continue;
    bool aliased = llvm::any_of(op->getOpOperands(), [&](OpOperand &other) {
      return &other != in && mayViewOf(other.get(), alloc);
    });
    if (aliased)
      continue;
    // It is freed among the deallocs right after `op`, and nothing else
    // uses it after `op`.
    memref::DeallocOp dealloc;
    for (Operation *next = op->getNextNode(); next && !dealloc;
         next = next->getNextNode()) {
      auto d = dyn_cast<memref::DeallocOp>(next);
      if (!d)
        break;
      if (d.getMemref() == alloc.getResult())
        dealloc = d;
    }
    if (!dealloc)
      continue;
    bool usedLater = llvm::any_of(alloc->getUsers(), [&](Operation *user) {
      Operation *at = op->getBlock()->findAncestorOpInBlock(*user);
      return user != op && user != dealloc.getOperation() &&
             (!at || op->isBeforeInBlock(at));
    });
    if (!usedLater)
      return dealloc;
  }
  return {};
}

struct ElementwiseInPlacePass
    : PassWrapper<ElementwiseInPlacePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ElementwiseInPlacePass)

  StringRef getArgument() const override { return "zo-elementwise-in-place"; }
  StringRef getDescription() const override {
    return "An elementwise loop writing a fresh buffer writes instead the "
           "same-typed input buffer that dies right after it";
  }
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> loops;
    getOperation().walk([&](linalg::GenericOp op) { loops.push_back(op); });
    for (linalg::GenericOp op : loops) {
      if (!op.hasPureBufferSemantics())
        continue;
      auto out = op.getDpsInitOperand(0)->get().getDefiningOp<memref::AllocOp>();
      if (!out || out->getBlock() != op->getBlock() ||
          !out.getDynamicSizes().empty() || !out.getSymbolOperands().empty())
        continue;
      // Nothing may have written or read `out` before the loop: the loop
      // does not read it (an init with an identity map that the body does
      // not use) and is its first user.
      if (op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
          llvm::any_of(out->getUsers(), [&](Operation *user) {
            Operation *at = op->getBlock()->findAncestorOpInBlock(*user);
            return user != op.getOperation() &&
                   (!at || at->isBeforeInBlock(op));
          }))
        continue;
      memref::DeallocOp dying = findDyingInput(op, out);
      if (!dying)
        continue;
      out.getResult().replaceAllUsesWith(dying.getMemref());
      dying.erase();
      out.erase();
    }
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createElementwiseInPlacePass() {
  return std::make_unique<ElementwiseInPlacePass>();
}

std::unique_ptr<Pass> mlir::zo::createReuseFreedBuffersPass() {
  return std::make_unique<ReuseFreedBuffersPass>();
}

std::unique_ptr<Pass> mlir::zo::createRematerializeInputsPass() {
  return std::make_unique<RematerializeInputsPass>();
}

std::unique_ptr<Pass> mlir::zo::createSplitEmptyTensorsPass() {
  return std::make_unique<SplitEmptyTensorsPass>();
}

std::unique_ptr<Pass> mlir::zo::createDeallocAtLastUsePass() {
  return std::make_unique<DeallocAtLastUsePass>();
}
