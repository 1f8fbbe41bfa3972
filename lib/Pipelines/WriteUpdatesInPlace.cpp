//===- WriteUpdatesInPlace.cpp - updates computed in the donated buffers --===//
//
// A training step writes each new parameter value with a tensor-form
// `materialize_in_destination %new in %p` (lib/Train/ZerothOrder.cpp). The
// loop computing `%new` iterates a reshaped view of the parameter (noise is
// generated four lanes per Philox call, on a [..., d/64, 4, 16] view), so
// one-shot bufferization gives it a scratch buffer and the write-back
// becomes `memref.copy %scratch -> %p`: an extra read and write of every
// parameter per step, and for parameters that are not GEMM weights an extra
// parameter-sized allocation.
//
// This pass runs right after one-shot bufferization and rewrites
//
//   linalg.generic ins(..., view(%p)) outs(view(%scratch))   // all parallel
//   <ops without memory effects (views, scalars)>
//   memref.copy view(%scratch), %p                           // %p: argument
//
// into `linalg.generic ins(...) outs(view(%p))` whose body reads the
// parameter through its output operand, and erases the copy. Legal when
//  - the generic is the last op before the copy that writes the scratch,
//    and the ops in between neither read nor write %p and only read the
//    scratch (through reshapes): those reads are redirected to %p. This is
//    how stateful updates chain: MMT's p' = p - lr b' reads the new
//    momentum b' between b's loop and b's copy; both loops then write their
//    arguments and the parameter loop reads b' from the momentum buffer;
//  - it writes every element of the scratch exactly once (all-parallel,
//    a permutation output map, a reshape of the whole allocation) and neither
//    its body nor any input reads the scratch;
//  - any input that reads %p is a reshape of %p of the output's shape read
//    with the same indexing map (each element is read at the point that
//    writes it, so reading the output operand instead is the same value);
//    every other input is another argument, an allocation or a global,
//    which does not alias %p (arguments are distinct buffers by the ABI);
//  - nothing uses the scratch after the copy.
// Copies are visited last first: two updates sharing one scratch (CSE merges
// equal tensor.empty ops) are then both rewritten. Whatever does not match
// keeps its copy, which is correct, only slower.
//
// The CPU pipeline runs the pass a second time after
// buffer-results-to-out-params: a result computed on a reshaped view (a
// noise loop's [..., n/64, 4, 16]) is then copied into its out-param, an
// argument like any other, and the loop writes the out-param instead (out-
// params never alias the other arguments: docs/runtime.md, "Ownership").
//
//===----------------------------------------------------------------------===//

#include "WriteUpdatesInPlace.h"

#include "zo/Analysis/BufferRoots.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using mlir::zo::isDistinctBuffer;

namespace {

/// The buffer `v` is a view of, and whether every view on the way is an
/// expand/collapse_shape (which keep row-major element order).
struct Traced {
  Value root;
  bool reshapesOnly = true;
};

Traced trace(Value v) {
  Traced t;
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view || view.getViewSource() == v)
      break;
    t.reshapesOnly &= isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def);
    v = view.getViewSource();
  }
  t.root = v;
  return t;
}

bool isContiguous(MemRefType t) {
  return t && t.hasStaticShape() && t.getLayout().isIdentity();
}

/// Values that may alias `root` (itself and its views), transitively.
SmallVector<Value> aliasSet(Value root) {
  SmallVector<Value> set{root};
  for (size_t i = 0; i < set.size(); ++i)
    for (Operation *user : set[i].getUsers())
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == set[i])
          set.append(user->result_begin(), user->result_end());
  return set;
}

/// `dst` viewed with `type`'s shape (both contiguous, same element count):
/// collapse to 1-d, expand to the target; canonicalization composes the
/// two into one reshape.
Value reshapeTo(OpBuilder &b, Location loc, Value dst, MemRefType type) {
  auto dstType = cast<MemRefType>(dst.getType());
  if (dstType.getShape() == type.getShape())
    return dst;
  Value flat = dst;
  if (dstType.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < dstType.getRank(); ++d)
      all.push_back(d);
    flat = memref::CollapseShapeOp::create(b, loc, dst,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return memref::ExpandShapeOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), flat,
      ArrayRef<ReassociationIndices>{all});
}

/// Checks an op between the writer and the copy: it must not touch `dst`
/// and may only read `scratch`, through a reshape of it; those operands are
/// appended to `reads` (they are redirected to `dst` once the writer writes
/// there). Every memory effect must name its buffer.
bool onlyReadsScratch(Operation *op, Value scratch, Value dst,
                      SmallVectorImpl<OpOperand *> &reads) {
  auto iface = dyn_cast<MemoryEffectOpInterface>(op);
  if (!iface)
    return false;
  // A body (a loop's payload) only computes values.
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps())
      if (!isMemoryEffectFree(&nested))
        return false;
  SmallVector<MemoryEffects::EffectInstance> effects;
  iface.getEffects(effects);
  for (const MemoryEffects::EffectInstance &e : effects) {
    Value v = e.getValue();
    if (!v)
      return false;
    Traced t = trace(v);
    if (t.root == dst)
      return false;
    if (t.root != scratch) {
      if (!isDistinctBuffer(t.root))
        return false;
      continue;
    }
    if (!isa<MemoryEffects::Read>(e.getEffect()) || !t.reshapesOnly ||
        !isContiguous(dyn_cast<MemRefType>(v.getType())))
      return false;
    for (OpOperand &operand : op->getOpOperands())
      if (operand.get() == v && !llvm::is_contained(reads, &operand))
        reads.push_back(&operand);
  }
  return true;
}

/// Rewrites the loop feeding `copy` to write into the copy's target; returns
/// false (changing nothing) when that is not provably the same.
bool writeInPlace(memref::CopyOp copy) {
  // The target: a contiguous argument of the enclosing function.
  auto dst = dyn_cast<BlockArgument>(copy.getTarget());
  if (!dst || !isa<FunctionOpInterface>(dst.getOwner()->getParentOp()) ||
      copy->getBlock() != dst.getOwner())
    return false;
  auto dstType = dyn_cast<MemRefType>(dst.getType());
  if (!isContiguous(dstType) || dstType.getRank() == 0)
    return false;

  // The source: a reshape of a whole allocation.
  Traced src = trace(copy.getSource());
  if (!src.reshapesOnly || !src.root.getDefiningOp<memref::AllocOp>())
    return false;

  // The writer: the last op before the copy that writes the scratch. Ops in
  // between may read the scratch (the next update reading the new momentum)
  // and touch other buffers, but not `dst`.
  SmallVector<OpOperand *> laterReads;
  Operation *writer = copy->getPrevNode();
  for (; writer; writer = writer->getPrevNode()) {
    if (isMemoryEffectFree(writer))
      continue;
    auto g = dyn_cast<linalg::GenericOp>(writer);
    if (g && g.hasPureBufferSemantics() &&
        llvm::any_of(g.getDpsInits(),
                     [&](Value v) { return trace(v).root == src.root; }))
      break;
    if (!onlyReadsScratch(writer, src.root, dst, laterReads))
      return false;
  }
  auto generic = dyn_cast_or_null<linalg::GenericOp>(writer);
  if (!generic || generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  // The result written into the scratch; a loop with several results (a
  // ZO-SGD-MMT sweep: the new momentum and the parameter) has its other
  // outputs in buffers distinct from `dst`.
  OpOperand *out = nullptr;
  for (OpOperand &init : generic.getDpsInitsMutable()) {
    Traced t = trace(init.get());
    if (t.root == src.root)
      out = &init;
    else if (t.root == dst || !isDistinctBuffer(t.root))
      return false;
  }
  Traced outTrace = trace(out->get());
  auto outType = dyn_cast<MemRefType>(out->get().getType());
  if (outTrace.root != src.root || !outTrace.reshapesOnly ||
      !isContiguous(outType) || outType.getRank() == 0 ||
      outType.getNumElements() != dstType.getNumElements() ||
      outType.getElementType() != dstType.getElementType())
    return false;
  AffineMap outMap = generic.getMatchingIndexingMap(out);
  BlockArgument outArg = generic.getMatchingBlockArgument(out);
  if (!outMap.isPermutation() || !outArg.use_empty())
    return false;
  for (Operation &op : generic.getRegion().front())
    if (!isMemoryEffectFree(&op))
      return false;

  // Inputs: the parameter only elementwise, the scratch never.
  SmallVector<OpOperand *> readsDst;
  for (OpOperand *in : generic.getDpsInputOperands()) {
    Traced t = trace(in->get());
    if (t.root == dst) {
      if (!t.reshapesOnly || in->get().getType() != outType ||
          generic.getMatchingIndexingMap(in) != outMap)
        return false;
      readsDst.push_back(in);
      continue;
    }
    if (t.root == src.root || !isDistinctBuffer(t.root))
      return false;
  }

  // Nothing uses the scratch after the copy.
  Block *block = copy->getBlock();
  for (Value v : aliasSet(src.root))
    for (Operation *user : v.getUsers()) {
      if (user == copy.getOperation() || isa<ViewLikeOpInterface>(user))
        continue;
      Operation *anc = block->findAncestorOpInBlock(*user);
      if (!anc || copy->isBeforeInBlock(anc))
        return false;
    }

  OpBuilder b(generic);
  Value view = reshapeTo(b, copy.getLoc(), dst, outType);
  out->set(view);
  for (OpOperand *in : readsDst)
    generic.getMatchingBlockArgument(in).replaceAllUsesWith(outArg);
  // Later readers of the new value read it where it now lives.
  for (OpOperand *read : laterReads) {
    b.setInsertionPoint(read->getOwner());
    read->set(reshapeTo(b, copy.getLoc(), dst,
                        cast<MemRefType>(read->get().getType())));
  }
  copy.erase();
  return true;
}

struct WriteUpdatesInPlacePass
    : PassWrapper<WriteUpdatesInPlacePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(WriteUpdatesInPlacePass)

  StringRef getArgument() const override {
    return "zo-write-updates-in-place";
  }
  StringRef getDescription() const override {
    return "On bufferized IR, make a loop whose scratch result is only "
           "copied into a function argument write into that argument";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<memref::MemRefDialect>();
  }
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp c) { copies.push_back(c); });
    for (memref::CopyOp c : llvm::reverse(copies))
      (void)writeInPlace(c);
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createWriteUpdatesInPlacePass() {
  return std::make_unique<WriteUpdatesInPlacePass>();
}
