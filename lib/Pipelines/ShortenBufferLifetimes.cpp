//===- ShortenBufferLifetimes.cpp - free each buffer after its last use ---===//
//
// Two rewrites that make the compiled code's peak its live working set, not
// the sum of its allocations:
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
//===----------------------------------------------------------------------===//

#include "ShortenBufferLifetimes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

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
} // namespace

std::unique_ptr<Pass> mlir::zo::createSplitEmptyTensorsPass() {
  return std::make_unique<SplitEmptyTensorsPass>();
}

std::unique_ptr<Pass> mlir::zo::createDeallocAtLastUsePass() {
  return std::make_unique<DeallocAtLastUsePass>();
}
