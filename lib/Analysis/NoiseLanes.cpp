//===- NoiseLanes.cpp - loops whose noise lane is one of their dims ------===//
//
// See include/zo/Analysis/NoiseLanes.h. A load counts as lane-invariant only
// when the body writes no buffer that could be the one it reads: every store
// goes to a distinct buffer (argument, allocation, global) other than the
// load's, and nothing else in the body writes memory.
//
//===----------------------------------------------------------------------===//

#include "zo/Analysis/NoiseLanes.h"
#include "zo/Analysis/BufferRoots.h"
#include "zo/Conversion/TrainToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace {
/// The Philox block width: one noise lane per 32-bit word.
constexpr int64_t kLanes = 4;

/// The buffers `body` stores to, or nullopt when something in it may write
/// memory that is not traced (an op other than memref.store with a write
/// effect, or a store into a view of something that is not a distinct
/// buffer).
std::optional<llvm::SmallDenseSet<Value>> writtenBuffers(Block &body) {
  llvm::SmallDenseSet<Value> written;
  bool unknown = false;
  body.walk([&](Operation *op) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      Value root = zo::getBufferRoot(store.getMemRef());
      if (!zo::isDistinctBuffer(root))
        unknown = true;
      written.insert(root);
      return;
    }
    if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return; // its nested ops are walked
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>())
      unknown = true;
  });
  if (unknown)
    return std::nullopt;
  return written;
}
} // namespace

std::optional<zo::NoiseLaneLoop> zo::findNoiseLaneLoop(scf::ParallelOp loop) {
  if (loop.getNumLoops() < 2 || loop.getNumReductions() != 0)
    return std::nullopt;
  Block *body = loop.getBody();
  std::optional<unsigned> laneDim;
  bool conflicting = false;
  body->walk([&](arith::IndexCastUIOp cast) {
    if (!cast->hasAttr(kNoiseLaneAttrName))
      return;
    auto iv = dyn_cast<BlockArgument>(cast.getIn());
    if (!iv || iv.getOwner() != body)
      return; // a lane computed from indices (a recomputed generator)
    if (laneDim && *laneDim != iv.getArgNumber())
      conflicting = true;
    laneDim = iv.getArgNumber();
  });
  if (!laneDim || conflicting)
    return std::nullopt;
  std::optional<int64_t> lb =
      getConstantIntValue(loop.getLowerBound()[*laneDim]);
  std::optional<int64_t> ub =
      getConstantIntValue(loop.getUpperBound()[*laneDim]);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep()[*laneDim]);
  if (lb != 0 || ub != kLanes || step != 1)
    return std::nullopt;

  std::optional<llvm::SmallDenseSet<Value>> written = writtenBuffers(*body);
  NoiseLaneLoop result;
  result.laneDim = *laneDim;
  result.lanes = kLanes;
  Value lane = body->getArgument(*laneDim);
  bool hoistsPhilox = false;
  for (Operation &op : body->without_terminator()) {
    if (op.getNumRegions() != 0)
      continue;
    bool independent = llvm::all_of(op.getOperands(), [&](Value v) {
      if (v == lane)
        return false;
      Operation *def = v.getDefiningOp();
      if (!def)
        return true; // another induction variable, or defined above
      return def->getBlock() != body || result.laneInvariant.contains(def);
    });
    if (!independent)
      continue;
    bool hoistable = isMemoryEffectFree(&op);
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      Value root = getBufferRoot(load.getMemRef());
      hoistable = written && isDistinctBuffer(root) && !written->contains(root);
    }
    if (!hoistable)
      continue;
    result.laneInvariant.insert(&op);
    hoistsPhilox |= isa<arith::MulUIExtendedOp>(op);
  }
  if (!hoistsPhilox)
    return std::nullopt;
  return result;
}
