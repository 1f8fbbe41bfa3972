//===- CudaInlineGenerators.cpp - recompute small loops in their readers --===//
//
// A ZO step writes, before each kernel that reads a bias or a norm gain, the
// perturbed copy `p + eps z` (Philox noise) into a small buffer:
//
//   scf.parallel (%i, %j) = (0, 0) to (8, 4) {      // a kernel of its own
//     %p = memref.load %bias[%i, %j]; %z = <Philox of %i, %j, seed>
//     memref.store %p + eps * %z, %copy[%i, %j]
//   }
//   scf.parallel (%r, %h, %d) ... {                 // the bias add
//     %b = memref.load %copy_view[%h, %d] ...
//
// The copy's kernel depends on nothing the previous kernel writes, but the
// next one reads it, so it can be merged with neither and costs a launch;
// and the noise touches memory, which issue 4 forbids for anything but a
// GEMM operand. `zo-cuda-inline-generators` (on the loops, before the host
// accesses are wrapped) recomputes such a loop's element in each load of its
// buffer instead, and drops the loop and the buffer:
//
//   scf.parallel (%r, %h, %d) ... {
//     %l = affine.linearize_index disjoint [%h, %d] by (4, 8)
//     %i, %j = affine.delinearize_index %l into (8, 4)
//     %p = memref.load %bias[%i, %j]; %z = <Philox of %i, %j, seed> ...
//
// A loop is inlined when: it has no reductions, runs from 0 with step 1
// over exactly the static shape of a buffer it allocates (memref.alloc in
// the same block; unit dimensions it indexes with 0 aside) and stores one
// value into it at its induction variables;
// everything else in it is pure or a load of a function argument (a
// parameter, the seed) or a constant global (so its value depends on indices
// and arguments only; the attention mask built from the input's
// attention_mask is recomputed in the softmax too);
// every other use of the buffer, through reshapes and casts, is a load
// inside a later scf.parallel or its dealloc; and nothing between the loop
// and the last of those loads may write an argument it reads (cuBLAS calls
// count as writing all their operands). A GEMM weight's perturbed copy is
// read by a cuBLAS call, so it stays in memory. The arithmetic is the same
// as the stored copy's, so results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "zo/Analysis/BufferRoots.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using mlir::zo::getBufferRoot;

namespace {

/// A loop that fills a buffer from its indices and function arguments.
struct Generator {
  scf::ParallelOp loop;
  memref::StoreOp store;
  memref::AllocOp alloc;
  /// The buffer dimension each induction variable indexes.
  SmallVector<unsigned> ivDims;
  /// Function arguments the loop reads.
  llvm::DenseSet<Value> reads;
  /// Loads of the buffer (through views) in later loops.
  SmallVector<memref::LoadOp> loads;
  /// Views of the buffer and its deallocations, erased with it.
  SmallVector<Operation *> views, deallocs;
};

std::optional<int64_t> constantIndex(Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  return std::nullopt;
}

/// The op of `block` that is or contains `op`.
Operation *ancestorIn(Block *block, Operation *op) {
  return block->findAncestorOpInBlock(*op);
}

/// A function argument or a constant global (position ids, tables).
bool isArgumentOrConstant(Value root) {
  if (auto arg = dyn_cast<BlockArgument>(root))
    return isa<func::FuncOp>(arg.getOwner()->getParentOp());
  auto get = root.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return false;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  return global && global.getConstant();
}

/// Fills `g` if `loop` is a generator; see the file comment.
bool matchLoop(scf::ParallelOp loop, Generator &g) {
  if (loop.getNumReductions() != 0)
    return false;
  g.loop = loop;
  bool ok = true;
  loop.getBody()->walk([&](Operation *op) {
    if (!ok || op->hasTrait<OpTrait::IsTerminator>())
      return;
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (g.store || store->getBlock() != loop.getBody())
        ok = false;
      g.store = store;
      return;
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      Value root = getBufferRoot(load.getMemRef());
      if (!isArgumentOrConstant(root))
        ok = false;
      g.reads.insert(root);
      return;
    }
    if (!isMemoryEffectFree(op))
      ok = false;
  });
  if (!ok || !g.store)
    return false;
  g.alloc = g.store.getMemRef().getDefiningOp<memref::AllocOp>();
  if (!g.alloc || g.alloc->getBlock() != loop->getBlock())
    return false;
  MemRefType type = g.alloc.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getRank() == 0)
    return false;
  // Each induction variable indexes one dimension of the buffer (in any
  // order: a noise loop iterates [..., 16 blocks, 4 lanes] and stores to
  // [..., 4, 16]); the other dimensions have size 1 and index 0.
  auto ivs = loop.getInductionVars();
  constexpr unsigned kUnset = ~0u;
  g.ivDims.assign(ivs.size(), kUnset);
  for (auto [dim, index] : llvm::enumerate(g.store.getIndices())) {
    auto iv = llvm::find(ivs, index);
    if (iv != ivs.end()) {
      unsigned k = static_cast<unsigned>(iv - ivs.begin());
      if (g.ivDims[k] != kUnset ||
          constantIndex(loop.getLowerBound()[k]) != 0 ||
          constantIndex(loop.getStep()[k]) != 1 ||
          constantIndex(loop.getUpperBound()[k]) != type.getDimSize(dim))
        return false;
      g.ivDims[k] = static_cast<unsigned>(dim);
      continue;
    }
    if (type.getDimSize(dim) != 1 || constantIndex(index) != 0)
      return false;
  }
  return llvm::none_of(g.ivDims, [](unsigned d) { return d == kUnset; });
}

/// Collects the uses of the buffer; false if one is not a load in a later
/// parallel loop, a reshape / cast view, a dealloc or the generator's store.
bool matchUses(Generator &g) {
  Block *block = g.loop->getBlock();
  SmallVector<Value> worklist = {g.alloc.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user == g.store.getOperation())
        continue;
      if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp>(
              user)) {
        auto type = dyn_cast<MemRefType>(user->getResult(0).getType());
        if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
          return false;
        g.views.push_back(user);
        worklist.push_back(user->getResult(0));
        continue;
      }
      if (isa<memref::DeallocOp>(user)) {
        g.deallocs.push_back(user);
        continue;
      }
      auto load = dyn_cast<memref::LoadOp>(user);
      if (!load || !load->getParentOfType<scf::ParallelOp>())
        return false;
      Operation *at = ancestorIn(block, load);
      if (!at || !g.loop->isBeforeInBlock(at))
        return false;
      g.loads.push_back(load);
    }
  }
  return !g.loads.empty();
}

/// Whether an op in (loop, last load] may write an argument the loop reads.
bool argumentsChange(const Generator &g) {
  Block *block = g.loop->getBlock();
  Operation *last = g.loop;
  for (memref::LoadOp load : g.loads) {
    Operation *at = ancestorIn(block, load);
    if (last->isBeforeInBlock(at))
      last = at;
  }
  bool changes = false;
  auto writes = [&](Value v) {
    if (g.reads.contains(getBufferRoot(v)))
      changes = true;
  };
  for (Operation *op = g.loop->getNextNode(); op; op = op->getNextNode()) {
    op->walk([&](Operation *inner) {
      if (changes)
        return;
      if (isa<CallOpInterface>(inner)) {
        for (Value operand : inner->getOperands())
          if (isa<BaseMemRefType>(operand.getType()))
            writes(operand);
        return;
      }
      if (isMemoryEffectFree(inner) ||
          inner->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        return;
      auto iface = dyn_cast<MemoryEffectOpInterface>(inner);
      if (!iface) {
        changes = true;
        return;
      }
      SmallVector<MemoryEffects::EffectInstance> effects;
      iface.getEffects(effects);
      for (const MemoryEffects::EffectInstance &e : effects) {
        if (!isa<MemoryEffects::Write, MemoryEffects::Free>(e.getEffect()))
          continue;
        if (!e.getValue())
          changes = true;
        else
          writes(e.getValue());
      }
    });
    if (changes || op == last)
      break;
  }
  return changes;
}

/// Replaces each load of the buffer with the generator's value for that
/// element, then erases the loop and the buffer.
void inlineGenerator(Generator &g) {
  MemRefType type = g.alloc.getType();
  for (memref::LoadOp load : g.loads) {
    OpBuilder b(load);
    Location loc = load.getLoc();
    auto viewType = cast<MemRefType>(load.getMemRef().getType());
    SmallVector<Value> indices;
    if (viewType.getShape() == type.getShape()) {
      indices.assign(load.getIndices().begin(), load.getIndices().end());
    } else {
      Value linear;
      if (viewType.getRank() == 0)
        linear = arith::ConstantIndexOp::create(b, loc, 0);
      else
        linear = affine::AffineLinearizeIndexOp::create(
            b, loc, load.getIndices(), viewType.getShape(), /*disjoint=*/true);
      auto delin = affine::AffineDelinearizeIndexOp::create(
          b, loc, linear, type.getShape(), /*hasOuterBound=*/true);
      indices.assign(delin.getResults().begin(), delin.getResults().end());
    }
    IRMapping map;
    for (auto [iv, dim] : llvm::zip(g.loop.getInductionVars(), g.ivDims))
      map.map(iv, indices[dim]);
    for (Operation &op : g.loop.getBody()->without_terminator()) {
      if (&op == g.store.getOperation())
        continue;
      b.clone(op, map);
    }
    load.replaceAllUsesWith(map.lookupOrDefault(g.store.getValueToStore()));
    load.erase();
  }
  g.loop.erase();
  for (Operation *d : g.deallocs)
    d->erase();
  // Views are collected breadth-first; erase what is left once unused.
  bool erased = true;
  while (erased) {
    erased = false;
    for (Operation *&view : g.views) {
      if (view && view->use_empty()) {
        view->erase();
        view = nullptr;
        erased = true;
      }
    }
  }
  if (g.alloc->use_empty())
    g.alloc.erase();
}

struct CudaInlineGeneratorsPass
    : PassWrapper<CudaInlineGeneratorsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaInlineGeneratorsPass)

  StringRef getArgument() const override {
    return "zo-cuda-inline-generators";
  }
  StringRef getDescription() const override {
    return "Recompute a parallel loop that fills a buffer from its indices "
           "and function arguments (a perturbed bias) in each later loop "
           "reading that buffer, and drop the loop and the buffer";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, arith::ArithDialect>();
  }
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    for (Block &block : getOperation().getBody())
      for (Operation &op : block)
        if (auto loop = dyn_cast<scf::ParallelOp>(op))
          loops.push_back(loop);
    for (scf::ParallelOp loop : loops) {
      Generator g;
      if (!matchLoop(loop, g) || !matchUses(g) || argumentsChange(g))
        continue;
      inlineGenerator(g);
    }
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaInlineGeneratorsPass() {
  return std::make_unique<CudaInlineGeneratorsPass>();
}
