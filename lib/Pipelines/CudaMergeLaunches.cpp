//===- CudaMergeLaunches.cpp - independent kernels launched as one --------===//
//
// A ZO step on the GPU launches, beside the kernels of its forward clones,
// small independent ones: the perturbed copy of each GEMM weight (read by
// cuBLAS, so it has to be written before the GEMM), and one update sweep
// per parameter at the end. Each costs a launch. This pass merges a
// `gpu.launch` into the one before it when neither touches what the other
// writes:
//
//   gpu.launch blocks in (G1) threads in (T1) { body1 }
//   gpu.launch blocks in (G2) threads in (T2) { body2 }
//   ->
//   gpu.launch blocks in (G1 + G2) threads in (max(T1, T2)) {
//     if (bx < G1) { if (tx < T1) body1 }
//     else         { if (tx < T2) body2 [bx := bx - G1] }
//   }
//
// so a weight's perturbation rides along with the kernel that precedes its
// GEMM (a layer norm, a bias add), and all the updates of a step become one
// launch. Each part keeps its own grid and block sizes inside the merged
// launch (uses of the grid/block size arguments are replaced by its own).
//
// A launch right after GEMM calls that does not touch their buffers (the
// perturbed copy of the second of two weights applied to the same input)
// first moves above them, next to the launch it can merge into.
//
// Legal when: both launches are 1-D (y, z sizes 1), synchronous, without
// workgroup/private memory or clusters, at most one of them synchronizes
// its threads (gpu.barrier, gpu.all_reduce: a row-chain kernel, which keeps
// its block size; the other part's threads are then spread over blocks of
// that size by flat index), and their bodies are one block; every buffer
// one body writes (traced through views to a function argument or an
// allocation) is neither read nor written by the other; and
// the ops between them are side-effect free, allocations (which the merged
// launch, placed where the second was, still follows) or deallocations
// (moved after it); and the merged kernel's parameters (each memref an
// expanded descriptor) fit in the 4352 bytes PTX before ISA 8.1 allows
// (ZO-Adam's 41 bert updates, m, v and the parameter each, do not: 6960
// bytes). Anything else stays as it is.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "zo/Analysis/BufferRoots.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using mlir::zo::getBufferRoot;

namespace {

/// Buffers a launch body reads and writes, by root. `known` is false when
/// some access cannot be attributed to a buffer (an effect without a value,
/// or a root that is neither an argument nor an allocation).
struct Accesses {
  llvm::DenseSet<Value> reads, writes;
  bool known = true;

  bool conflictsWith(const Accesses &o) const {
    if (!known || !o.known)
      return true;
    for (Value w : writes)
      if (o.reads.contains(w) || o.writes.contains(w))
        return true;
    for (Value w : o.writes)
      if (reads.contains(w))
        return true;
    return false;
  }
  void add(const Accesses &o) {
    reads.insert(o.reads.begin(), o.reads.end());
    writes.insert(o.writes.begin(), o.writes.end());
    known &= o.known;
  }
};

Accesses accessesOf(gpu::LaunchOp launch) {
  Accesses a;
  launch.getBody().walk([&](Operation *op) {
    // Synchronization within a block touches no buffer.
    if (isMemoryEffectFree(op) || op->hasTrait<OpTrait::IsTerminator>() ||
        isa<gpu::BarrierOp, gpu::AllReduceOp>(op))
      return;
    auto iface = dyn_cast<MemoryEffectOpInterface>(op);
    if (!iface) {
      if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        a.known = false;
      return;
    }
    SmallVector<MemoryEffects::EffectInstance> effects;
    iface.getEffects(effects);
    for (const MemoryEffects::EffectInstance &e : effects) {
      Value v = e.getValue();
      if (!v) {
        a.known = false;
        continue;
      }
      Value root = getBufferRoot(v);
      // A buffer allocated inside the body is private to it.
      if (launch.getBody().isAncestor(root.getParentRegion()))
        continue;
      if (!zo::isDistinctBuffer(root)) {
        a.known = false;
        continue;
      }
      if (isa<MemoryEffects::Read>(e.getEffect()))
        a.reads.insert(root);
      else if (isa<MemoryEffects::Write, MemoryEffects::Free>(e.getEffect()))
        a.writes.insert(root);
    }
  });
  return a;
}

std::optional<int64_t> constantIndex(Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  return std::nullopt;
}

/// A mergeable launch's sizes; `sync` when its threads synchronize (a
/// barrier or a block reduction: a row-chain kernel). Such a launch keeps
/// its block size in a merge, so all its threads reach its barriers.
struct Shape {
  int64_t grid, block;
  bool sync;
};

/// A launch this pass can merge: 1-D, static sizes, nothing but one block of
/// code.
std::optional<Shape> mergeableSizes(gpu::LaunchOp l) {
  if (!l.getAsyncDependencies().empty() || l.getAsyncToken() ||
      l.getDynamicSharedMemorySize() || l.getClusterSizeX() ||
      l.getNumWorkgroupAttributions() != 0 ||
      l.getNumPrivateAttributions() != 0 || !l.getBody().hasOneBlock())
    return std::nullopt;
  bool sync = false;
  l.getBody().walk([&](Operation *op) {
    if (isa<gpu::BarrierOp, gpu::AllReduceOp>(op))
      sync = true;
  });
  gpu::KernelDim3 grid = l.getGridSizeOperandValues();
  gpu::KernelDim3 block = l.getBlockSizeOperandValues();
  auto gx = constantIndex(grid.x), gy = constantIndex(grid.y),
       gz = constantIndex(grid.z), bx = constantIndex(block.x),
       by = constantIndex(block.y), bz = constantIndex(block.z);
  if (!gx || !gy || !gz || !bx || !by || !bz || *gy != 1 || *gz != 1 ||
      *by != 1 || *bz != 1)
    return std::nullopt;
  return Shape{*gx, *bx, sync};
}

/// Clones `from`'s body into the current insertion point of `b` (inside the
/// merged launch `into`), with its block and thread x ids mapped to
/// `blockX`, `threadX` and its sizes to constants.
void cloneBody(OpBuilder &b, gpu::LaunchOp from, gpu::LaunchOp into,
               Value blockX, Value threadX, int64_t grid, int64_t block) {
  Location loc = from.getLoc();
  IRMapping map;
  Block &src = from.getBody().front();
  gpu::KernelDim3 ids = from.getBlockIds(), tids = from.getThreadIds(),
                  gsz = from.getGridSize(), bsz = from.getBlockSize();
  gpu::KernelDim3 nids = into.getBlockIds(), ntids = into.getThreadIds();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  map.map(ids.x, blockX);
  map.map(ids.y, nids.y);
  map.map(ids.z, nids.z);
  map.map(tids.x, threadX);
  map.map(tids.y, ntids.y);
  map.map(tids.z, ntids.z);
  map.map(gsz.x, arith::ConstantIndexOp::create(b, loc, grid));
  map.map(gsz.y, one);
  map.map(gsz.z, one);
  map.map(bsz.x, arith::ConstantIndexOp::create(b, loc, block));
  map.map(bsz.y, one);
  map.map(bsz.z, one);
  for (Operation &op : src.without_terminator())
    b.clone(op, map);
}

/// The blocks a part takes in a merged launch of `threads` threads a block:
/// its own grid, or (a part without synchronization whose block is larger)
/// its threads spread over blocks of the merged size.
int64_t partGrid(Shape s, int64_t threads) {
  if (s.block <= threads)
    return s.grid;
  return (s.grid * s.block + threads - 1) / threads;
}

/// Merges `second` into `first` (which precedes it, at most one of them
/// synchronizes); returns the new launch and its shape.
std::pair<gpu::LaunchOp, Shape> merge(gpu::LaunchOp first,
                                      gpu::LaunchOp second, Shape s1,
                                      Shape s2) {
  int64_t threads = s1.sync   ? s1.block
                    : s2.sync ? s2.block
                              : std::max(s1.block, s2.block);
  int64_t g1 = partGrid(s1, threads), g2 = partGrid(s2, threads);
  OpBuilder b(second);
  Location loc = second.getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto merged = gpu::LaunchOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, g1 + g2), one, one,
      arith::ConstantIndexOp::create(b, loc, threads), one, one);
  Block &body = merged.getBody().front();
  b.setInsertionPointToStart(&body);
  Value bx = merged.getBlockIds().x, tx = merged.getThreadIds().x;
  Value firstPart = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ult, bx,
      arith::ConstantIndexOp::create(b, loc, g1));
  auto ifOp = scf::IfOp::create(b, loc, firstPart, /*withElseRegion=*/true);

  // Each part runs on its own threads only: a guard when its block was
  // smaller; when it was larger (merged with a synchronizing kernel), each
  // of its original threads is one of the merged launch's, by flat index.
  auto emitPart = [&](OpBuilder &pb, gpu::LaunchOp from, Value blockX,
                      Shape s) {
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(pb, loc, v);
    };
    if (s.block > threads) {
      Value flat = arith::AddIOp::create(
          pb, loc, arith::MulIOp::create(pb, loc, blockX, index(threads)),
          tx);
      Value inRange = arith::CmpIOp::create(
          pb, loc, arith::CmpIPredicate::ult, flat, index(s.grid * s.block));
      auto guard = scf::IfOp::create(pb, loc, inRange, false);
      OpBuilder gb = guard.getThenBodyBuilder();
      Value vb = arith::DivUIOp::create(gb, loc, flat,
                                        arith::ConstantIndexOp::create(
                                            gb, loc, s.block));
      Value vt = arith::RemUIOp::create(gb, loc, flat,
                                        arith::ConstantIndexOp::create(
                                            gb, loc, s.block));
      cloneBody(gb, from, merged, vb, vt, s.grid, s.block);
    } else if (s.block < threads) {
      Value inBlock = arith::CmpIOp::create(
          pb, loc, arith::CmpIPredicate::ult, tx, index(s.block));
      auto guard = scf::IfOp::create(pb, loc, inBlock, false);
      OpBuilder gb = guard.getThenBodyBuilder();
      cloneBody(gb, from, merged, blockX, tx, s.grid, s.block);
    } else {
      cloneBody(pb, from, merged, blockX, tx, s.grid, s.block);
    }
  };
  OpBuilder thenB = ifOp.getThenBodyBuilder();
  emitPart(thenB, first, bx, s1);
  OpBuilder elseB = ifOp.getElseBodyBuilder();
  Value rebased = arith::SubIOp::create(
      elseB, loc, bx, arith::ConstantIndexOp::create(elseB, loc, g1));
  emitPart(elseB, second, rebased, s2);
  b.setInsertionPointToEnd(&body);
  gpu::TerminatorOp::create(b, loc);
  first.erase();
  second.erase();
  return {merged, Shape{g1 + g2, threads, s1.sync || s2.sync}};
}

/// Whether `op` is a call of a cuBLAS GEMM wrapper (zo_cuda_*).
bool isGemmCall(Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  return call && call.getCallee().starts_with("zo_cuda_");
}

/// Moves `launch` above the GEMM calls right before it (with the
/// allocations and views it uses) when it touches nothing a call writes and
/// writes nothing a call reads: the perturbed copy of a weight whose GEMM
/// follows another GEMM (the second of two projections of the same input)
/// then sits next to the launch before both and can ride along with it.
/// Only allocations, views, deallocations and pure ops may be passed.
void hoistOverGemms(gpu::LaunchOp launch) {
  if (!mergeableSizes(launch))
    return;
  Accesses accesses = accessesOf(launch);
  if (!accesses.known)
    return;
  while (true) {
    Operation *call = nullptr;
    for (Operation *op = launch->getPrevNode(); op; op = op->getPrevNode()) {
      if (isGemmCall(op)) {
        call = op;
        break;
      }
      if (!isMemoryEffectFree(op) &&
          !isa<memref::AllocOp, gpu::AllocOp, memref::DeallocOp,
               gpu::DeallocOp>(op))
        return;
    }
    if (!call)
      return;
    for (Value operand : call->getOperands()) {
      if (!isa<BaseMemRefType>(operand.getType()))
        continue;
      Value root = getBufferRoot(operand);
      // The call reads A and B and writes C (any of them, to be safe).
      if (!zo::isDistinctBuffer(root) || accesses.writes.contains(root) ||
          accesses.reads.contains(root))
        return;
    }
    // What the launch uses that is defined between the call and it moves
    // too (in order): allocations, views and constants only.
    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(launch.getBody(), used);
    used.insert(launch->getOperands().begin(), launch->getOperands().end());
    llvm::DenseSet<Operation *> toMove;
    SmallVector<Value> work(used.begin(), used.end());
    while (!work.empty()) {
      Operation *def = work.pop_back_val().getDefiningOp();
      if (!def || def->getBlock() != launch->getBlock() ||
          !call->isBeforeInBlock(def) || !toMove.insert(def).second)
        continue;
      if (isa<memref::DeallocOp, gpu::DeallocOp>(def))
        return;
      work.append(def->operand_begin(), def->operand_end());
    }
    SmallVector<Operation *> ordered;
    for (Operation *op = call->getNextNode(); op != launch.getOperation();
         op = op->getNextNode())
      if (toMove.contains(op))
        ordered.push_back(op);
    for (Operation *op : ordered)
      op->moveBefore(call);
    launch->moveBefore(call);
  }
}

/// Tries to merge each launch of `block` into the launch before it.
/// The kernel parameter space PTX before ISA 8.1 allows (ptxas rejects a
/// larger .entry; zo-cuda-lowering's default features are +ptx80), with a
/// margin for alignment padding.
constexpr int64_t kMaxKernelParamBytes = 4352 - 256;

/// The values the outlined kernel of a launch body takes as parameters:
/// those it uses from above, constants aside (they are sunk into it).
llvm::SetVector<Value> kernelOperands(gpu::LaunchOp launch) {
  llvm::SetVector<Value> used, operands;
  getUsedValuesDefinedAbove(launch.getBody(), used);
  for (Value v : used)
    if (!matchPattern(v, m_Constant()))
      operands.insert(v);
  return operands;
}

/// Upper bound of the parameter bytes of a kernel taking `operands`: a
/// memref is passed as its expanded descriptor (two pointers, the offset,
/// a size and a stride per dimension, 8 bytes each), a scalar in at most 8.
int64_t kernelParamBytes(const llvm::SetVector<Value> &operands) {
  int64_t bytes = 0;
  for (Value v : operands) {
    auto memref = dyn_cast<MemRefType>(v.getType());
    bytes += memref ? 8 * (3 + 2 * memref.getRank()) : 8;
  }
  return bytes;
}

void mergeLaunches(Block &block) {
  gpu::LaunchOp current;
  llvm::SetVector<Value> currentOperands;
  Accesses currentAccesses;
  Shape currentShape{0, 0, false};
  SmallVector<Operation *> deallocs;
  for (Operation *op = &block.front(); op;) {
    Operation *next = op->getNextNode();
    auto launch = dyn_cast<gpu::LaunchOp>(op);
    if (!launch) {
      if (current && isa<memref::DeallocOp, gpu::DeallocOp>(op)) {
        deallocs.push_back(op);
      } else if (current && !isMemoryEffectFree(op) &&
                 !isa<memref::AllocOp, gpu::AllocOp>(op)) {
        current = {};
        deallocs.clear();
      }
      op = next;
      continue;
    }
    std::optional<Shape> shape = mergeableSizes(launch);
    Accesses accesses = accessesOf(launch);
    llvm::SetVector<Value> operands = kernelOperands(launch);
    llvm::SetVector<Value> mergedOperands = currentOperands;
    mergedOperands.insert(operands.begin(), operands.end());
    if (current && shape && !(currentShape.sync && shape->sync) &&
        !currentAccesses.conflictsWith(accesses) &&
        kernelParamBytes(mergedOperands) <= kMaxKernelParamBytes) {
      // The deallocations seen since `current` free buffers it may use:
      // they go after the merged launch.
      auto [merged, mergedShape] =
          merge(current, launch, currentShape, *shape);
      for (Operation *d : deallocs)
        d->moveAfter(merged);
      deallocs.clear();
      current = merged;
      currentOperands = std::move(mergedOperands);
      currentAccesses.add(accesses);
      currentShape = mergedShape;
      op = merged->getNextNode();
      continue;
    }
    deallocs.clear();
    current = shape ? launch : gpu::LaunchOp();
    currentOperands = std::move(operands);
    currentAccesses = accesses;
    if (shape)
      currentShape = *shape;
    op = next;
  }
}

struct CudaMergeLaunchesPass
    : PassWrapper<CudaMergeLaunchesPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaMergeLaunchesPass)

  StringRef getArgument() const override { return "zo-cuda-merge-launches"; }
  StringRef getDescription() const override {
    return "Merge each gpu.launch into the one before it when they touch "
           "no common buffer that either writes (one launch, each part on "
           "its own blocks)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, gpu::GPUDialect, scf::SCFDialect>();
  }
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation().walk([&](gpu::LaunchOp launch) {
      if (!llvm::is_contained(blocks, launch->getBlock()))
        blocks.push_back(launch->getBlock());
    });
    for (Block *block : blocks) {
      SmallVector<gpu::LaunchOp> launches(block->getOps<gpu::LaunchOp>());
      for (gpu::LaunchOp launch : launches)
        hoistOverGemms(launch);
      mergeLaunches(*block);
    }
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaMergeLaunchesPass() {
  return std::make_unique<CudaMergeLaunchesPass>();
}
