//===- CudaRowChains.cpp - row-wise reduction chains as one kernel --------===//
//
// Softmax, layer norm, log-softmax and mean / variance come out of
// linalg-to-loops as a chain of loops over the same rows, each its own
// kernel, the reductions one thread per row:
//
//   scf.parallel (r) { A[r] = init; scf.for k { A[r] = A[r] + f(x[r, k]) } }
//   scf.parallel (r) { M[r] = A[r] / n }
//   scf.parallel (r, k) { y[r, k] = g(x[r, k], M[r]) }
//
// Two passes make such a chain one kernel with one block per row:
//
// `zo-cuda-fuse-row-chains` (loops stage, still run on the CPU by
// zo-cuda-loops-on-cpu): neighbouring loops whose leading dimensions are the
// same rows, connected through the buffers they write, become one
// scf.parallel over the rows (marked `zo.row_chain`). A loop with more
// dimensions becomes a nested scf.parallel over the rest of them; a
// reduction `scf.for` (load, combine with addf / mulf / maximumf / minimumf /
// maxnumf / minnumf, store, of one location) becomes a nested scf.parallel
// with that reduction (init: the location's value, which the sequential
// lowering combines in the same order: the CPU result is unchanged):
//
//   scf.parallel (r) {                                   // zo.row_chain
//     A[r] = init
//     %s = scf.parallel (k) init (A[r]) { scf.reduce(f(x[r, k])) {addf} }
//     A[r] = %s;  M[r] = A[r] / n
//     scf.parallel (k) { y[r, k] = g(x[r, k], M[r]) }
//   }
//
// Legal when every buffer the chain writes is accessed in it at the row
// indices of the enclosing loop first (0 at unit dimensions among them;
// directly or through reshapes keeping those dimensions): rows then
// never see each other's data, and each row's loops run in order. Only
// allocations, deallocations (moved after the fused loop), views and pure
// ops may sit between the loops.
//
// `zo-cuda-map-row-chains` (before the 1-D tiling): a marked loop becomes a
// gpu.launch with one block per row and a block of up to `block-size`
// threads (the longest nested loop, rounded up to a warp); a nested loop
// becomes a thread-strided scf.for followed by gpu.barrier, a nested
// reduction a thread-strided partial reduction and gpu.all_reduce (lowered
// to warp shuffles and shared memory by upstream's all-reduce patterns,
// `zo-cuda-lower-all-reduce`, in the gpu.module), combined with the init
// value. Row-level code runs in every thread of the row's block (the
// values are uniform). The reduction order on the GPU differs from the
// CPU's sequential one (float results within rounding).
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "zo/Analysis/BufferRoots.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using mlir::zo::getBufferRoot;

namespace {

constexpr StringLiteral kRowChain = "zo.row_chain";

std::optional<int64_t> constantIndex(Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  return std::nullopt;
}

/// Static trip counts of a loop from 0 with step 1 in every dimension.
std::optional<SmallVector<int64_t>> staticBounds(scf::ParallelOp loop) {
  SmallVector<int64_t> bounds;
  for (unsigned i = 0, e = loop.getNumLoops(); i < e; ++i) {
    if (constantIndex(loop.getLowerBound()[i]) != 0 ||
        constantIndex(loop.getStep()[i]) != 1)
      return std::nullopt;
    std::optional<int64_t> ub = constantIndex(loop.getUpperBound()[i]);
    if (!ub || *ub < 1)
      return std::nullopt;
    bounds.push_back(*ub);
  }
  return bounds;
}

/// A reduction written as a sequential loop over one memory location.
struct ForReduction {
  scf::ForOp loop;
  memref::LoadOp load;
  Operation *combine = nullptr;
  memref::StoreOp store;
  /// The value combined into the accumulator each iteration.
  Value value;
};

bool isCombiner(Operation *op) {
  return isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
             arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(op);
}

std::optional<ForReduction> matchForReduction(scf::ForOp loop) {
  if (constantIndex(loop.getLowerBound()) != 0 ||
      constantIndex(loop.getStep()) != 1 ||
      !constantIndex(loop.getUpperBound()) || loop.getNumRegionIterArgs())
    return std::nullopt;
  ForReduction r;
  r.loop = loop;
  Block *body = loop.getBody();
  for (Operation &op : body->without_terminator()) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (r.store)
        return std::nullopt;
      r.store = store;
    }
  }
  if (!r.store)
    return std::nullopt;
  r.combine = r.store.getValueToStore().getDefiningOp();
  if (!r.combine || r.combine->getBlock() != body || !isCombiner(r.combine) ||
      !r.combine->hasOneUse())
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i) {
    auto load = r.combine->getOperand(i).getDefiningOp<memref::LoadOp>();
    if (load && load->getBlock() == body &&
        load.getMemRef() == r.store.getMemRef() &&
        llvm::equal(load.getIndices(), r.store.getIndices()) &&
        load->hasOneUse()) {
      r.load = load;
      r.value = r.combine->getOperand(1 - i);
    }
  }
  if (!r.load || !isa<FloatType>(r.value.getType()))
    return std::nullopt;
  // The accumulator's location is fixed and read nowhere else in the loop.
  for (Value index : r.store.getIndices())
    if (loop->isAncestor(index.getParentBlock()->getParentOp()))
      return std::nullopt;
  Value root = getBufferRoot(r.store.getMemRef());
  bool other = false;
  body->walk([&](Operation *op) {
    if (op == r.load.getOperation() || op == r.store.getOperation())
      return;
    for (Value operand : op->getOperands())
      if (isa<BaseMemRefType>(operand.getType()) &&
          getBufferRoot(operand) == root)
        other = true;
  });
  if (other)
    return std::nullopt;
  return r;
}

/// A reduction over several dimensions (a layer norm's variance over a row
/// that elementwise fusion split in two, [8, 4] for 32) comes out of
/// linalg-to-loops as perfectly nested scf.for loops around one
/// load-combine-store of a fixed location. Collapsed into one scf.for over
/// the product, with the original indices recovered by divui / remui, it is
/// a ForReduction; the iterations and their order are the same (the CPU
/// result is unchanged). Innermost pairs first; returns whether it changed
/// `outer`.
bool collapseNestedReduction(scf::ForOp outer) {
  if (constantIndex(outer.getLowerBound()) != 0 ||
      constantIndex(outer.getStep()) != 1 ||
      !constantIndex(outer.getUpperBound()) || outer.getNumRegionIterArgs())
    return false;
  Block *body = outer.getBody();
  if (!llvm::hasSingleElement(body->without_terminator()))
    return false;
  auto inner = dyn_cast<scf::ForOp>(body->front());
  if (!inner)
    return false;
  if (collapseNestedReduction(inner))
    inner = dyn_cast<scf::ForOp>(body->front());
  std::optional<ForReduction> r = matchForReduction(inner);
  if (!r)
    return false;
  for (Value index : r->store.getIndices())
    if (outer->isAncestor(index.getParentBlock()->getParentOp()))
      return false;
  int64_t n1 = *constantIndex(outer.getUpperBound());
  int64_t n2 = *constantIndex(inner.getUpperBound());
  OpBuilder b(outer);
  Location loc = outer.getLoc();
  auto collapsed = scf::ForOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0),
      arith::ConstantIndexOp::create(b, loc, n1 * n2),
      arith::ConstantIndexOp::create(b, loc, 1));
  OpBuilder nb(collapsed.getBody()->getTerminator());
  Value iv = collapsed.getInductionVar();
  Value width = arith::ConstantIndexOp::create(nb, loc, n2);
  IRMapping map;
  map.map(outer.getInductionVar(), arith::DivUIOp::create(nb, loc, iv, width));
  map.map(inner.getInductionVar(), arith::RemUIOp::create(nb, loc, iv, width));
  for (Operation &op : inner.getBody()->without_terminator())
    nb.clone(op, map);
  outer.erase();
  return true;
}

/// Product of `shape`.
int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The number of leading dimensions of `bounds` that span `total` rows (the
/// most: unit dimensions right after the rows count as rows), if some
/// prefix does. A chain's loops may see the same rows with different
/// shapes: 16 rows, or 2 x 8 (batch, sequence).
std::optional<unsigned> rowPrefix(ArrayRef<int64_t> bounds, int64_t total) {
  std::optional<unsigned> prefix;
  int64_t n = 1;
  for (unsigned p = 0; p < bounds.size(); ++p) {
    n *= bounds[p];
    if (n == total)
      prefix = p + 1;
    else if (n > total)
      break;
  }
  return prefix;
}

/// A loop that may be part of a chain over `rows` (checked by the caller).
bool isCandidate(scf::ParallelOp loop) {
  return loop.getNumReductions() == 0 && staticBounds(loop) &&
         !loop->hasAttr(kRowChain);
}

/// A loop over exactly the rows whose body holds reduction loops only of the
/// form above (and at least one): the seed of a chain.
bool isSeed(scf::ParallelOp loop) {
  if (!isCandidate(loop))
    return false;
  bool any = false, bad = false;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto forOp = dyn_cast<scf::ForOp>(op)) {
      if (matchForReduction(forOp))
        any = true;
      else
        bad = true;
    }
  }
  return any && !bad;
}

/// Whether `loop` iterates over `rows` first, in any shape of the same
/// number of rows (and, if exactly the rows, has only reduction loops in its
/// body).
bool fitsRows(scf::ParallelOp loop, ArrayRef<int64_t> rows) {
  if (!isCandidate(loop))
    return false;
  SmallVector<int64_t> bounds = *staticBounds(loop);
  std::optional<unsigned> numRows = rowPrefix(bounds, product(rows));
  if (!numRows)
    return false;
  if (bounds.size() == *numRows)
    for (Operation &op : loop.getBody()->without_terminator())
      if (auto forOp = dyn_cast<scf::ForOp>(op))
        if (!matchForReduction(forOp))
          return false;
  return true;
}

/// Ops that may sit between the loops of a chain.
bool isTransparent(Operation *op) {
  return isa<memref::AllocOp, memref::DeallocOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::CastOp>(op) ||
         isMemoryEffectFree(op);
}

/// Buffer roots a loop reads and writes.
void rootsOf(scf::ParallelOp loop, llvm::DenseSet<Value> &reads,
             llvm::DenseSet<Value> &writes) {
  loop.getBody()->walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op))
      reads.insert(getBufferRoot(load.getMemRef()));
    else if (auto store = dyn_cast<memref::StoreOp>(op))
      writes.insert(getBufferRoot(store.getMemRef()));
  });
}

/// An index of a buffer root as seen through views: a value, 0 (a unit
/// dimension a reshape added or dropped) or unknown.
struct RootIndex {
  enum Kind { Known, Zero, Unknown } kind;
  Value value;
};

/// The root indices an access at `indices` of `memref` reaches, through
/// casts and reshapes whose groups hold at most one non-unit dimension (the
/// rest of a group is unit dimensions, index 0); any other group or view
/// makes those indices unknown.
SmallVector<RootIndex> rootIndices(Value memref, ValueRange indices) {
  SmallVector<RootIndex> idx;
  for (Value v : indices) {
    if (constantIndex(v) == 0)
      idx.push_back({RootIndex::Zero, {}});
    else
      idx.push_back({RootIndex::Known, v});
  }
  while (Operation *def = memref.getDefiningOp()) {
    if (auto castOp = dyn_cast<memref::CastOp>(def)) {
      memref = castOp.getSource();
      continue;
    }
    auto expand = dyn_cast<memref::ExpandShapeOp>(def);
    auto collapse = dyn_cast<memref::CollapseShapeOp>(def);
    if (!expand && !collapse) {
      if (isa<ViewLikeOpInterface>(def))
        for (RootIndex &r : idx)
          r = {RootIndex::Unknown, {}};
      break;
    }
    Value src = expand ? expand.getSrc() : collapse.getSrc();
    auto srcType = cast<MemRefType>(src.getType());
    auto viewType = cast<MemRefType>(memref.getType());
    SmallVector<ReassociationIndices> groups =
        expand ? expand.getReassociationIndices()
               : collapse.getReassociationIndices();
    SmallVector<RootIndex> next(srcType.getRank(),
                                RootIndex{RootIndex::Zero, {}});
    for (auto [g, group] : llvm::enumerate(groups)) {
      // The one dimension of the group that is not a unit dimension.
      MemRefType groupType = expand ? viewType : srcType;
      std::optional<int64_t> nonUnit;
      bool several = false;
      for (int64_t d : group) {
        if (groupType.getDimSize(d) != 1) {
          several |= nonUnit.has_value();
          nonUnit = d;
        }
      }
      if (expand) {
        // Source dim g from view dims `group`.
        if (several)
          next[g] = {RootIndex::Unknown, {}};
        else if (nonUnit)
          next[g] = idx[*nonUnit];
        continue;
      }
      // View dim g from source dims `group`.
      for (int64_t d : group)
        next[d] = several ? RootIndex{RootIndex::Unknown, {}}
                          : RootIndex{RootIndex::Zero, {}};
      if (!several && nonUnit)
        next[*nonUnit] = idx[g];
    }
    idx = std::move(next);
    memref = src;
  }
  return idx;
}

/// Whether an access to `memref` at `indices` selects its row by the row
/// induction variables: the root's leading indices are those variables in
/// order, with 0 at unit dimensions among them (a batch of 1).
bool selectsRow(Value memref, ValueRange indices, ArrayRef<Value> rowIvs) {
  auto rootType = cast<MemRefType>(getBufferRoot(memref).getType());
  SmallVector<RootIndex> idx = rootIndices(memref, indices);
  unsigned next = 0;
  for (auto [pos, r] : llvm::enumerate(idx)) {
    if (next == rowIvs.size())
      return true;
    if (r.kind == RootIndex::Known && r.value == rowIvs[next]) {
      ++next;
      continue;
    }
    if (r.kind == RootIndex::Zero && rootType.getDimSize(pos) == 1)
      continue;
    return false;
  }
  return next == rowIvs.size();
}

/// The prefix lengths of `shape` spanning `total` elements: [lo, hi] (unit
/// dimensions make several), or lo > hi if none.
std::pair<unsigned, unsigned> prefixRange(ArrayRef<int64_t> shape,
                                          int64_t total) {
  unsigned lo = 1, hi = 0;
  int64_t n = 1;
  if (total == 1)
    lo = 0, hi = 0;
  for (unsigned p = 0; p < shape.size(); ++p) {
    n *= shape[p];
    if (n == total) {
      if (lo > hi)
        lo = p + 1;
      hi = p + 1;
    } else if (n > total) {
      break;
    }
  }
  return {lo, hi};
}

/// Whether an access to `memref` at `indices` selects the row of the loop
/// whose row induction variables (bounds `rowBounds`) are `rowIvs`, by
/// linear row index: the view's leading indices are those variables in
/// order (0 at unit dimensions) over dimensions of the same sizes, and
/// every reshape between the view and its root keeps the boundary after
/// those rows (a row-major reshape then keeps each row's elements in its
/// row of the root, whatever shape the root gives the rows).
bool selectsRowLinear(Value memref, ValueRange indices, ArrayRef<Value> rowIvs,
                      ArrayRef<int64_t> rowBounds) {
  auto viewType = cast<MemRefType>(memref.getType());
  ArrayRef<int64_t> shape = viewType.getShape();
  unsigned next = 0, dim = 0;
  auto skipUnitIvs = [&] {
    while (next < rowIvs.size() && rowBounds[next] == 1)
      ++next;
  };
  skipUnitIvs();
  while (next < rowIvs.size()) {
    if (dim == shape.size())
      return false;
    if (indices[dim] == rowIvs[next] && shape[dim] == rowBounds[next]) {
      ++next, ++dim;
      skipUnitIvs();
      continue;
    }
    if (shape[dim] == 1) {
      ++dim;
      continue;
    }
    return false;
  }
  int64_t total = product(rowBounds);
  auto [lo, hi] = prefixRange(shape, total);
  if (dim < lo || dim > hi)
    return false;
  while (Operation *def = memref.getDefiningOp()) {
    if (auto castOp = dyn_cast<memref::CastOp>(def)) {
      memref = castOp.getSource();
      continue;
    }
    auto expand = dyn_cast<memref::ExpandShapeOp>(def);
    auto collapse = dyn_cast<memref::CollapseShapeOp>(def);
    if (!expand && !collapse)
      return !isa<ViewLikeOpInterface>(def);
    Value src = expand ? expand.getSrc() : collapse.getSrc();
    SmallVector<ReassociationIndices> groups =
        expand ? expand.getReassociationIndices()
               : collapse.getReassociationIndices();
    // A group boundary inside the view's row range; the source's rows end
    // there too (the products agree at every boundary).
    bool found = total == 1 && lo == 0;
    unsigned viewDims = 0;
    for (const ReassociationIndices &group : groups) {
      viewDims += expand ? group.size() : 1;
      if (viewDims >= lo && viewDims <= hi)
        found = true;
    }
    if (!found)
      return false;
    auto srcShape = cast<MemRefType>(src.getType()).getShape();
    std::tie(lo, hi) = prefixRange(srcShape, total);
    if (lo > hi)
      return false;
    memref = src;
  }
  return true;
}

/// The row induction variables of a chain's loop and their bounds.
unsigned numRowDims(scf::ParallelOp loop, int64_t totalRows) {
  return *rowPrefix(*staticBounds(loop), totalRows);
}

bool legalChain(MutableArrayRef<scf::ParallelOp> chain, int64_t totalRows) {
  llvm::DenseSet<Value> writes;
  for (scf::ParallelOp loop : chain) {
    bool ok = true;
    loop.getBody()->walk([&](Operation *op) {
      if (auto store = dyn_cast<memref::StoreOp>(op)) {
        writes.insert(getBufferRoot(store.getMemRef()));
        return;
      }
      if (isa<memref::LoadOp>(op) || op->hasTrait<OpTrait::IsTerminator>() ||
          isMemoryEffectFree(op) ||
          op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        return;
      ok = false;
    });
    if (!ok)
      return false;
  }
  for (Value root : writes)
    if (!zo::isDistinctBuffer(root))
      return false;
  // selectsRow compares the buffer's indices with the loop's own row
  // variables, which says nothing about rows of another loop seen in
  // another shape: with mixed shapes, rows are compared by linear index.
  auto rowShape = [&](scf::ParallelOp loop) {
    SmallVector<int64_t> shape = *staticBounds(loop);
    shape.resize(numRowDims(loop, totalRows));
    return shape;
  };
  bool uniform = llvm::all_of(chain, [&](scf::ParallelOp loop) {
    return rowShape(loop) == rowShape(chain.front());
  });
  for (scf::ParallelOp loop : chain) {
    SmallVector<Value> ivs = loop.getInductionVars();
    unsigned numRows = numRowDims(loop, totalRows);
    auto rowIvs = ArrayRef<Value>(ivs).take_front(numRows);
    SmallVector<int64_t> rowBounds = *staticBounds(loop);
    rowBounds.resize(numRows);
    bool ok = true;
    loop.getBody()->walk([&](Operation *op) {
      Value memref;
      ValueRange indices;
      if (auto load = dyn_cast<memref::LoadOp>(op)) {
        memref = load.getMemRef();
        indices = load.getIndices();
      } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
        memref = store.getMemRef();
        indices = store.getIndices();
      } else {
        return;
      }
      Value root = getBufferRoot(memref);
      if (!writes.contains(root))
        return;
      if (!(uniform && selectsRow(memref, indices, rowIvs)) &&
          !selectsRowLinear(memref, indices, rowIvs, rowBounds))
        ok = false;
    });
    if (!ok)
      return false;
  }
  return true;
}

/// Rewrites the reduction loop `r` (already inside the fused loop) into a
/// nested scf.parallel with a reduction.
void rewriteReduction(ForReduction r) {
  OpBuilder b(r.loop);
  Location loc = r.loop.getLoc();
  auto init = memref::LoadOp::create(b, loc, r.load.getMemRef(),
                                     r.load.getIndices());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Operation *combine = r.combine;
  auto par = scf::ParallelOp::create(
      b, loc, ValueRange{zero}, ValueRange{r.loop.getUpperBound()},
      ValueRange{one}, ValueRange{init.getResult()},
      [&](OpBuilder &nb, Location nloc, ValueRange ivs, ValueRange) {
        IRMapping map;
        map.map(r.loop.getInductionVar(), ivs[0]);
        for (Operation &op : r.loop.getBody()->without_terminator()) {
          if (&op == r.load.getOperation() || &op == combine ||
              &op == r.store.getOperation())
            continue;
          nb.clone(op, map);
        }
        Value v = map.lookupOrDefault(r.value);
        auto reduce = scf::ReduceOp::create(nb, nloc, ValueRange{v});
        Block &block = reduce.getReductions()[0].front();
        OpBuilder rb = OpBuilder::atBlockEnd(&block);
        IRMapping cmap;
        Operation *c = rb.clone(*combine, cmap);
        c->setOperands({block.getArgument(0), block.getArgument(1)});
        scf::ReduceReturnOp::create(rb, nloc, c->getResult(0));
      });
  memref::StoreOp::create(b, loc, par.getResult(0), r.store.getMemRef(),
                          r.store.getIndices());
  r.loop.erase();
}

/// Fuses `chain` (in block order) into one loop over its `totalRows` rows,
/// shaped as the first loop's, placed where the last loop was. A loop
/// seeing the rows in another shape gets its row indices from the linear
/// row index.
void fuseChain(MutableArrayRef<scf::ParallelOp> chain, int64_t totalRows) {
  scf::ParallelOp last = chain.back();
  OpBuilder b(last);
  Location loc = chain.front().getLoc();
  // Deallocations between the loops go after the fused loop.
  SmallVector<Operation *> deallocs;
  for (Operation *op = chain.front(); op != last; op = op->getNextNode())
    if (isa<memref::DeallocOp>(op))
      deallocs.push_back(op);
  scf::ParallelOp first = chain.front();
  unsigned firstRows = numRowDims(first, totalRows);
  SmallVector<int64_t> fusedShape = *staticBounds(first);
  fusedShape.resize(firstRows);
  auto fused = scf::ParallelOp::create(
      b, loc, first.getLowerBound().take_front(firstRows),
      first.getUpperBound().take_front(firstRows),
      first.getStep().take_front(firstRows),
      [&](OpBuilder &nb, Location nloc, ValueRange rowIvs) {
        Value linear;
        for (scf::ParallelOp loop : chain) {
          IRMapping map;
          SmallVector<Value> ivs = loop.getInductionVars();
          unsigned numRows = numRowDims(loop, totalRows);
          SmallVector<int64_t> shape = *staticBounds(loop);
          shape.resize(numRows);
          if (shape == fusedShape) {
            map.map(ArrayRef<Value>(ivs).take_front(numRows), rowIvs);
          } else {
            if (!linear) {
              linear = arith::ConstantIndexOp::create(nb, nloc, 0);
              for (auto [iv, size] : llvm::zip(rowIvs, fusedShape)) {
                Value scaled = arith::MulIOp::create(
                    nb, nloc, linear,
                    arith::ConstantIndexOp::create(nb, nloc, size));
                linear = arith::AddIOp::create(nb, nloc, scaled, iv);
              }
            }
            Value rest = linear;
            for (unsigned d = numRows; d-- > 0;) {
              Value size = arith::ConstantIndexOp::create(nb, nloc, shape[d]);
              map.map(ivs[d], d == 0 ? rest
                                     : arith::RemUIOp::create(nb, nloc, rest,
                                                              size));
              if (d > 0)
                rest = arith::DivUIOp::create(nb, nloc, rest, size);
            }
          }
          if (loop.getNumLoops() == numRows) {
            for (Operation &op : loop.getBody()->without_terminator())
              nb.clone(op, map);
            continue;
          }
          scf::ParallelOp::create(
              nb, loop.getLoc(), loop.getLowerBound().drop_front(numRows),
              loop.getUpperBound().drop_front(numRows),
              loop.getStep().drop_front(numRows),
              [&](OpBuilder &ib, Location, ValueRange inner) {
                map.map(ArrayRef<Value>(ivs).drop_front(numRows), inner);
                for (Operation &op : loop.getBody()->without_terminator())
                  ib.clone(op, map);
              });
        }
      });
  fused->setAttr(kRowChain, b.getUnitAttr());
  for (Operation *d : deallocs)
    d->moveAfter(fused);
  for (scf::ParallelOp loop : chain)
    loop.erase();
  SmallVector<scf::ForOp> fors;
  for (Operation &op : fused.getBody()->without_terminator())
    if (auto forOp = dyn_cast<scf::ForOp>(op))
      fors.push_back(forOp);
  for (scf::ForOp forOp : fors)
    rewriteReduction(*matchForReduction(forOp));
}

/// Whether a loop's accesses are all plain loads and stores (so rootsOf
/// sees every buffer it touches).
bool onlyLoadsAndStores(scf::ParallelOp loop) {
  return !loop.getBody()
              ->walk([](Operation *op) {
                if (isa<memref::LoadOp, memref::StoreOp>(op) ||
                    op->hasTrait<OpTrait::IsTerminator>() ||
                    isMemoryEffectFree(op) ||
                    op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
                  return WalkResult::advance();
                return WalkResult::interrupt();
              })
              .wasInterrupted();
}

/// Buffers a set of loops reads and writes.
struct Roots {
  llvm::DenseSet<Value> reads, writes;
  explicit Roots(scf::ParallelOp loop) { rootsOf(loop, reads, writes); }
  Roots() = default;
  void add(const Roots &o) {
    reads.insert(o.reads.begin(), o.reads.end());
    writes.insert(o.writes.begin(), o.writes.end());
  }
  /// Whether the two may run in either order.
  bool independentOf(const Roots &o) const {
    for (Value w : writes)
      if (o.reads.contains(w) || o.writes.contains(w))
        return false;
    for (Value w : o.writes)
      if (reads.contains(w))
        return false;
    return true;
  }
};

/// Grows a chain around the seed `seed` in its block; empty if none. Loops
/// independent of the chain (a GEMM weight's perturbed copy) may sit between
/// its loops: they stay where they are, the chain runs after them.
SmallVector<scf::ParallelOp> growChain(scf::ParallelOp seed) {
  constexpr unsigned kMaxSkipped = 4;
  SmallVector<int64_t> rows = *staticBounds(seed);
  SmallVector<scf::ParallelOp> chain = {seed};
  Roots chainRoots(seed);
  // Backward: loops writing what the chain reads. A loop added here moves
  // after the loops skipped so far.
  Roots skipped;
  unsigned numSkipped = 0;
  for (Operation *op = seed->getPrevNode(); op; op = op->getPrevNode()) {
    auto loop = dyn_cast<scf::ParallelOp>(op);
    if (!loop) {
      if (isTransparent(op))
        continue;
      break;
    }
    if (!onlyLoadsAndStores(loop))
      break;
    Roots r(loop);
    bool connected = llvm::any_of(
        r.writes, [&](Value v) { return chainRoots.reads.contains(v); });
    if (connected && fitsRows(loop, rows) && r.independentOf(skipped)) {
      chain.insert(chain.begin(), loop);
      if (!legalChain(chain, product(rows))) {
        chain.erase(chain.begin());
        break;
      }
      chainRoots.add(r);
      continue;
    }
    if (numSkipped == kMaxSkipped || !r.independentOf(chainRoots))
      break;
    skipped.add(r);
    ++numSkipped;
  }
  // Forward: loops reading what the chain writes.
  numSkipped = 0;
  for (Operation *op = seed->getNextNode(); op; op = op->getNextNode()) {
    auto loop = dyn_cast<scf::ParallelOp>(op);
    if (!loop) {
      if (isTransparent(op))
        continue;
      break;
    }
    if (!onlyLoadsAndStores(loop))
      break;
    Roots r(loop);
    bool connected = llvm::any_of(
        r.reads, [&](Value v) { return chainRoots.writes.contains(v); });
    if (connected && fitsRows(loop, rows)) {
      chain.push_back(loop);
      if (!legalChain(chain, product(rows))) {
        chain.pop_back();
        break;
      }
      chainRoots.add(r);
      continue;
    }
    if (numSkipped == kMaxSkipped || !r.independentOf(chainRoots))
      break;
    ++numSkipped;
  }
  if (!legalChain(chain, product(rows)))
    return {};
  return chain;
}

struct CudaFuseRowChainsPass
    : PassWrapper<CudaFuseRowChainsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaFuseRowChainsPass)

  StringRef getArgument() const override { return "zo-cuda-fuse-row-chains"; }
  StringRef getDescription() const override {
    return "Fuse neighbouring loops over the same rows around a row "
           "reduction (softmax, layer norm, ...) into one loop over the rows "
           "with nested loops and reductions";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, memref::MemRefDialect,
                    scf::SCFDialect>();
  }
  void runOnOperation() override {
    // Multi-dimensional row reductions first become one-loop ones.
    for (Block &block : getOperation().getBody())
      for (auto loop : block.getOps<scf::ParallelOp>())
        for (auto forOp : llvm::make_early_inc_range(
                 loop.getBody()->getOps<scf::ForOp>()))
          collapseNestedReduction(forOp);
    for (Block &block : getOperation().getBody()) {
      for (Operation *op = &block.front(); op;) {
        auto seed = dyn_cast<scf::ParallelOp>(op);
        if (!seed || !isSeed(seed)) {
          op = op->getNextNode();
          continue;
        }
        SmallVector<scf::ParallelOp> chain = growChain(seed);
        if (chain.empty()) {
          op = op->getNextNode();
          continue;
        }
        Operation *next = chain.back()->getNextNode();
        fuseChain(chain, product(*staticBounds(seed)));
        op = next;
      }
    }
  }
};

//===----------------------------------------------------------------------===//
// Mapping to a kernel.
//===----------------------------------------------------------------------===//

std::optional<gpu::AllReduceOperation> allReduceKind(Operation *combine) {
  if (isa<arith::AddFOp>(combine))
    return gpu::AllReduceOperation::ADD;
  if (isa<arith::MulFOp>(combine))
    return gpu::AllReduceOperation::MUL;
  if (isa<arith::MaximumFOp>(combine))
    return gpu::AllReduceOperation::MAXIMUMF;
  if (isa<arith::MinimumFOp>(combine))
    return gpu::AllReduceOperation::MINIMUMF;
  if (isa<arith::MaxNumFOp>(combine))
    return gpu::AllReduceOperation::MAXNUMF;
  if (isa<arith::MinNumFOp>(combine))
    return gpu::AllReduceOperation::MINNUMF;
  return std::nullopt;
}

/// The identity of `combine` (a thread without elements contributes it).
Value neutral(OpBuilder &b, Location loc, Operation *combine, FloatType t) {
  const llvm::fltSemantics &sem = t.getFloatSemantics();
  APFloat v = APFloat::getZero(sem, /*Negative=*/true);
  if (isa<arith::MulFOp>(combine))
    v = APFloat::getOne(sem);
  else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine))
    v = APFloat::getInf(sem, /*Negative=*/true);
  else if (isa<arith::MinimumFOp, arith::MinNumFOp>(combine))
    v = APFloat::getInf(sem, /*Negative=*/false);
  return arith::ConstantFloatOp::create(b, loc, t, v);
}

/// The multi-index of `linear` in `shape` (row-major).
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                               ArrayRef<int64_t> shape) {
  if (shape.size() == 1)
    return {linear};
  auto op = affine::AffineDelinearizeIndexOp::create(b, loc, linear, shape,
                                                     /*hasOuterBound=*/true);
  return SmallVector<Value>(op.getResults());
}


void mapRowChain(scf::ParallelOp loop, unsigned blockSize) {
  SmallVector<int64_t> rows = *staticBounds(loop);
  int64_t longest = 1;
  for (Operation &op : loop.getBody()->without_terminator())
    if (auto nested = dyn_cast<scf::ParallelOp>(op))
      longest = std::max(longest, product(*staticBounds(nested)));
  int64_t threads =
      std::clamp<int64_t>((longest + 31) / 32 * 32, 32, blockSize);

  OpBuilder b(loop);
  Location loc = loop.getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, product(rows)), one, one,
      arith::ConstantIndexOp::create(b, loc, threads), one, one);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  Value tx = launch.getThreadIds().x;
  Value step = arith::ConstantIndexOp::create(b, loc, threads);
  IRMapping map;
  map.map(loop.getInductionVars(),
          delinearize(b, loc, launch.getBlockIds().x, rows));
  for (Operation &op : loop.getBody()->without_terminator()) {
    auto nested = dyn_cast<scf::ParallelOp>(op);
    if (!nested) {
      b.clone(op, map);
      continue;
    }
    SmallVector<int64_t> shape = *staticBounds(nested);
    Value total = arith::ConstantIndexOp::create(b, loc, product(shape));
    if (nested.getNumReductions() == 0) {
      scf::ForOp::create(
          b, loc, tx, total, step, ValueRange{},
          [&](OpBuilder &fb, Location floc, Value e, ValueRange) {
            map.map(nested.getInductionVars(),
                    delinearize(fb, floc, e, shape));
            for (Operation &inner : nested.getBody()->without_terminator())
              fb.clone(inner, map);
            scf::YieldOp::create(fb, floc);
          });
      gpu::BarrierOp::create(b, loc);
      continue;
    }
    // One reduction (made by zo-cuda-fuse-row-chains): per-thread partial,
    // block all-reduce, then combined with the init value.
    auto reduce = cast<scf::ReduceOp>(nested.getBody()->getTerminator());
    Block &combineBlock = reduce.getReductions()[0].front();
    Operation *combine = &combineBlock.front();
    auto type = cast<FloatType>(nested.getResult(0).getType());
    Value start = neutral(b, loc, combine, type);
    auto partial = scf::ForOp::create(
        b, loc, tx, total, step, ValueRange{start},
        [&](OpBuilder &fb, Location floc, Value e, ValueRange acc) {
          map.map(nested.getInductionVars(), delinearize(fb, floc, e, shape));
          for (Operation &inner : nested.getBody()->without_terminator())
            fb.clone(inner, map);
          IRMapping cmap;
          cmap.map(combineBlock.getArgument(0), acc[0]);
          cmap.map(combineBlock.getArgument(1),
                   map.lookupOrDefault(reduce.getOperands()[0]));
          Operation *c = fb.clone(*combine, cmap);
          scf::YieldOp::create(fb, floc, c->getResult(0));
        });
    auto all = gpu::AllReduceOp::create(
        b, loc, partial.getResult(0),
        gpu::AllReduceOperationAttr::get(b.getContext(),
                                         *allReduceKind(combine)),
        /*uniform=*/true);
    IRMapping cmap;
    cmap.map(combineBlock.getArgument(0),
             map.lookupOrDefault(nested.getInitVals()[0]));
    cmap.map(combineBlock.getArgument(1), all.getResult());
    Operation *c = b.clone(*combine, cmap);
    map.map(nested.getResult(0), c->getResult(0));
  }
  gpu::TerminatorOp::create(b, loc);
  loop.erase();
}

/// Whether a marked loop can be mapped: nested loops have static bounds and
/// at most one reduction of a known kind, and the rows fit the grid.
bool mappable(scf::ParallelOp loop) {
  if (!staticBounds(loop) || product(*staticBounds(loop)) > (1ll << 31) - 1)
    return false;
  for (Operation &op : loop.getBody()->without_terminator()) {
    auto nested = dyn_cast<scf::ParallelOp>(op);
    if (!nested)
      continue;
    if (!staticBounds(nested) || nested.getNumReductions() > 1)
      return false;
    if (nested.getNumReductions() == 1) {
      auto reduce = cast<scf::ReduceOp>(nested.getBody()->getTerminator());
      Block &block = reduce.getReductions()[0].front();
      if (!isa<FloatType>(nested.getResult(0).getType()) ||
          !allReduceKind(&block.front()))
        return false;
    }
  }
  return true;
}

struct CudaMapRowChainsPass
    : PassWrapper<CudaMapRowChainsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaMapRowChainsPass)

  CudaMapRowChainsPass() = default;
  CudaMapRowChainsPass(const CudaMapRowChainsPass &other)
      : PassWrapper(other) {}
  explicit CudaMapRowChainsPass(unsigned size) { blockSize = size; }

  StringRef getArgument() const override { return "zo-cuda-map-row-chains"; }
  StringRef getDescription() const override {
    return "Map each zo.row_chain loop to a gpu.launch with one block per "
           "row, thread-strided nested loops and gpu.all_reduce reductions";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, arith::ArithDialect,
                    gpu::GPUDialect, scf::SCFDialect>();
  }
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (loop->hasAttr(kRowChain))
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops) {
      if (!mappable(loop)) {
        loop.emitError() << "zo-cuda: row chain cannot be mapped to a kernel";
        return signalPassFailure();
      }
      mapRowChain(loop, blockSize);
    }
  }

  Option<unsigned> blockSize{*this, "block-size",
                             llvm::cl::desc("Most threads per block"),
                             llvm::cl::init(256)};
};

struct CudaLowerAllReducePass
    : PassWrapper<CudaLowerAllReducePass, OperationPass<gpu::GPUModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaLowerAllReducePass)

  StringRef getArgument() const override { return "zo-cuda-lower-all-reduce"; }
  StringRef getDescription() const override {
    return "Lower gpu.all_reduce to warp shuffles and workgroup memory "
           "(upstream's all-reduce patterns)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, gpu::GPUDialect, memref::MemRefDialect,
                    scf::SCFDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateGpuAllReducePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaFuseRowChainsPass() {
  return std::make_unique<CudaFuseRowChainsPass>();
}

std::unique_ptr<Pass> mlir::zo::createCudaMapRowChainsPass(unsigned blockSize) {
  return std::make_unique<CudaMapRowChainsPass>(blockSize);
}

std::unique_ptr<Pass> mlir::zo::createCudaLowerAllReducePass() {
  return std::make_unique<CudaLowerAllReducePass>();
}
