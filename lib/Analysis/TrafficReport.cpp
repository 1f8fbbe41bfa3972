//===- TrafficReport.cpp - static kernel / traffic / FLOP model -----------===//
//
// See include/zo/Analysis/TrafficReport.h. The footprint of a memref
// operand of a loop is the number of distinct elements its indexing map
// reaches over the loop's static ranges: the product of the ranges of the
// dims it uses when the map is a projected permutation (a broadcast bias
// read by every token counts once), else at most one element per iteration.
// Loads inside a body (a gather: an embedding row lookup) count one element
// per iteration, capped by the buffer's size. An input the body never reads
// moves no data.
//
//===----------------------------------------------------------------------===//

#include "zo/Analysis/TrafficReport.h"
#include "zo/Analysis/BufferRoots.h"
#include "zo/Analysis/NoiseLanes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::zo;

int64_t FunctionCost::bytesRead() const {
  int64_t sum = 0;
  for (const KernelCost &k : kernels)
    sum += k.bytesRead;
  return sum;
}

int64_t FunctionCost::bytesWritten() const {
  int64_t sum = 0;
  for (const KernelCost &k : kernels)
    sum += k.bytesWritten;
  return sum;
}

int64_t FunctionCost::flops() const {
  int64_t sum = 0;
  for (const KernelCost &k : kernels)
    sum += k.flops;
  return sum;
}

int64_t FunctionCost::gemmCount() const {
  return llvm::count_if(kernels,
                        [](const KernelCost &k) { return k.kind == "gemm"; });
}

double FunctionCost::rooflineSeconds(const DeviceModel &device) const {
  double seconds = 0;
  for (const KernelCost &k : kernels) {
    double memory = (k.bytesRead + k.bytesWritten) / device.bytesPerSecond;
    double math = k.kind == "gemm"
                      ? k.flops / device.gemmFlopsPerSecond
                      : k.flops / device.flopsPerSecond +
                            k.intOps / device.intOpsPerSecond;
    seconds += std::max(memory, math);
  }
  return seconds;
}

void FunctionCost::append(const FunctionCost &other, int times) {
  for (int i = 0; i < times; ++i)
    kernels.insert(kernels.end(), other.kernels.begin(), other.kernels.end());
}

namespace {

int64_t elementBytes(Type t) {
  Type element = cast<ShapedType>(t).getElementType();
  if (element.isIntOrFloat())
    return std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
  return 8; // index
}

/// Elements of a static memref (1 for rank 0), or -1 when dynamic.
int64_t numElements(Type t) {
  auto shaped = dyn_cast<MemRefType>(t);
  if (!shaped || !shaped.hasStaticShape())
    return -1;
  return shaped.getNumElements();
}

/// Distinct elements `map` reaches over `ranges`, at most the buffer's size.
int64_t footprint(AffineMap map, ArrayRef<int64_t> ranges, Type type,
                  int64_t iterations) {
  int64_t size = numElements(type);
  int64_t reached = 1;
  if (map.isProjectedPermutation(/*allowZeroInResults=*/true)) {
    for (AffineExpr e : map.getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(e))
        reached *= ranges[dim.getPosition()];
  } else {
    reached = iterations;
  }
  return size < 0 ? reached : std::min(reached, size);
}

/// Float and integer operations one iteration of `body` performs.
void opArithmetic(Operation *op, int64_t &flops, int64_t &intOps) {
  {
    if (isa<math::FmaOp>(op)) {
      flops += 2;
    } else if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
                   arith::RemFOp, arith::MaximumFOp, arith::MinimumFOp,
                   arith::MaxNumFOp, arith::MinNumFOp, arith::NegFOp,
                   arith::CmpFOp>(op) ||
               (op->getDialect() &&
                op->getDialect()->getNamespace() == "math")) {
      // A transcendental left unexpanded counts as one operation.
      flops += 1;
    } else if (isa<arith::MulUIExtendedOp, arith::MulSIExtendedOp>(op)) {
      intOps += 2; // low and high halves
    } else if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::XOrIOp,
                   arith::AndIOp, arith::OrIOp, arith::ShLIOp, arith::ShRUIOp,
                   arith::ShRSIOp, arith::CmpIOp, arith::RemUIOp,
                   arith::RemSIOp, arith::DivUIOp, arith::DivSIOp,
                   arith::SelectOp>(op)) {
      intOps += 1;
    }
  }
}

void countArithmetic(Block &body, int64_t &flops, int64_t &intOps) {
  body.walk([&](Operation *op) { opArithmetic(op, flops, intOps); });
}

/// The static trip count of a loop from its constant bounds (all dims).
std::optional<int64_t> tripCount(Operation *loop) {
  auto constant = [](Value v) -> std::optional<int64_t> {
    APInt value;
    if (matchPattern(v, m_ConstantInt(&value)))
      return value.getSExtValue();
    return std::nullopt;
  };
  auto trips = [&](Value lb, Value ub, Value step) -> std::optional<int64_t> {
    auto l = constant(lb), u = constant(ub), s = constant(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    return std::max<int64_t>(0, (*u - *l + *s - 1) / *s);
  };
  if (auto forOp = dyn_cast<scf::ForOp>(loop))
    return trips(forOp.getLowerBound(), forOp.getUpperBound(),
                 forOp.getStep());
  auto par = cast<scf::ParallelOp>(loop);
  int64_t n = 1;
  for (unsigned i = 0, e = par.getNumLoops(); i < e; ++i) {
    auto t = trips(par.getLowerBound()[i], par.getUpperBound()[i],
                   par.getStep()[i]);
    if (!t)
      return std::nullopt;
    n *= *t;
  }
  return n;
}

/// How many times `op` runs in the kernel `kernel` (the loops around it,
/// the kernel's own included).
std::optional<int64_t> executions(Operation *op, scf::ParallelOp kernel) {
  int64_t n = 1;
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp()) {
    if (isa<scf::ForOp, scf::ParallelOp>(p)) {
      std::optional<int64_t> t = tripCount(p);
      if (!t)
        return std::nullopt;
      n *= *t;
    }
    if (p == kernel.getOperation())
      break;
  }
  return n;
}

/// The distinct elements an access reaches: when every index is a constant
/// or an induction variable of a loop of the kernel, the product of those
/// loops' trip counts (per distinct variable); else one per execution.
int64_t accessFootprint(Operation *access, ValueRange indices,
                        int64_t runs) {
  llvm::SmallDenseSet<Value> ivs;
  int64_t reached = 1;
  for (Value index : indices) {
    APInt c;
    if (matchPattern(index, m_ConstantInt(&c)))
      continue;
    auto arg = dyn_cast<BlockArgument>(index);
    Operation *owner = arg ? arg.getOwner()->getParentOp() : nullptr;
    if (!owner || !isa<scf::ForOp, scf::ParallelOp>(owner) ||
        !owner->isProperAncestor(access))
      return runs;
    if (auto forOp = dyn_cast<scf::ForOp>(owner)) {
      if (arg != forOp.getInductionVar())
        return runs;
    }
    if (!ivs.insert(arg).second)
      continue;
    // One dimension of the loop: its own range.
    std::optional<int64_t> trips;
    if (auto forOp = dyn_cast<scf::ForOp>(owner)) {
      trips = tripCount(forOp);
    } else {
      auto par = cast<scf::ParallelOp>(owner);
      unsigned d = arg.getArgNumber();
      APInt l, u, s;
      if (d < par.getNumLoops() &&
          matchPattern(par.getLowerBound()[d], m_ConstantInt(&l)) &&
          matchPattern(par.getUpperBound()[d], m_ConstantInt(&u)) &&
          matchPattern(par.getStep()[d], m_ConstantInt(&s)) &&
          s.getSExtValue() > 0)
        trips = std::max<int64_t>(
            0, (u.getSExtValue() - l.getSExtValue() + s.getSExtValue() - 1) /
                   s.getSExtValue());
    }
    if (!trips)
      return runs;
    reached *= *trips;
  }
  return std::min(reached, runs);
}

std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName().getStringRef();
  if (auto call = dyn_cast<func::CallOp>(op))
    os << " @" << call.getCallee();
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    os << " (" << name.getName().getValue() << ")";
  else if (auto fused = dyn_cast<FusedLoc>(op->getLoc()))
    for (Location l : fused.getLocations())
      if (auto n = dyn_cast<NameLoc>(l)) {
        os << " (" << n.getName().getValue() << ")";
        break;
      }
  return text;
}

FailureOr<KernelCost> loopCost(linalg::LinalgOp op) {
  KernelCost k;
  k.kind = "loop";
  k.what = describe(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return op->emitError("traffic report: dynamic loop range");
  k.iterations = 1;
  for (int64_t r : ranges)
    k.iterations *= r;
  for (OpOperand *in : op.getDpsInputOperands()) {
    // An input the body never reads (an in-place update reads its parameter
    // through the output) is not loaded.
    if (!isa<MemRefType>(in->get().getType()) ||
        !op.payloadUsesValueFromOperand(in))
      continue;
    k.bytesRead += footprint(op.getMatchingIndexingMap(in), ranges,
                             in->get().getType(), k.iterations) *
                   elementBytes(in->get().getType());
  }
  for (OpOperand &out : op.getDpsInitsMutable()) {
    int64_t bytes = footprint(op.getMatchingIndexingMap(&out), ranges,
                              out.get().getType(), k.iterations) *
                    elementBytes(out.get().getType());
    k.bytesWritten += bytes;
    if (op.payloadUsesValueFromOperand(&out))
      k.bytesRead += bytes;
  }
  if (op->getNumRegions() == 1 && !op->getRegion(0).empty()) {
    Block &body = op->getRegion(0).front();
    body.walk([&](memref::LoadOp load) {
      int64_t size = numElements(load.getMemRef().getType());
      int64_t reads = size < 0 ? k.iterations : std::min(k.iterations, size);
      k.bytesRead += reads * elementBytes(load.getMemRef().getType());
    });
    int64_t flops = 0, intOps = 0;
    countArithmetic(body, flops, intOps);
    k.flops = flops * k.iterations;
    k.intOps = intOps * k.iterations;
  }
  return k;
}

/// A kernel of the CUDA pipeline's loop stage: a top-level scf.parallel
/// (a fused loop nest, a row chain with nested loops and reductions, or a
/// one-iteration wrapper of scalar work). Each buffer counts once per
/// kernel, read and written: its largest footprint over the kernel's
/// accesses (a row chain re-reading its row in three loops reads it once;
/// repeated reads of a row a block just touched come from cache), capped by
/// its size. Arithmetic counts every execution; in a loop whose noise lane
/// is one of its dimensions, the lane-invariant part of the body (the Philox
/// call) runs once per four elements, as zo-cuda-tile-parallel-loops maps it
/// (one thread per Philox block).
FailureOr<KernelCost> parallelLoopCost(scf::ParallelOp loop) {
  KernelCost k;
  k.kind = "loop";
  k.what = describe(loop);
  std::optional<int64_t> trips = tripCount(loop);
  if (!trips)
    return loop.emitError("traffic report: dynamic loop range");
  k.iterations = *trips;
  llvm::DenseMap<Value, int64_t> reads, writes;
  llvm::DenseMap<Value, int64_t> bytesOf;
  bool unknown = false;
  std::optional<NoiseLaneLoop> lanes = findNoiseLaneLoop(loop);
  loop.getBody()->walk([&](Operation *op) {
    std::optional<int64_t> runs = executions(op, loop);
    if (!runs) {
      unknown = true;
      return;
    }
    if (lanes && lanes->laneInvariant.contains(op))
      *runs /= lanes->lanes;
    int64_t flops = 0, intOps = 0;
    opArithmetic(op, flops, intOps);
    k.flops += flops * *runs;
    k.intOps += intOps * *runs;
    Value memref;
    ValueRange indices;
    bool isRead = false;
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      memref = load.getMemRef();
      indices = load.getIndices();
      isRead = true;
    } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
      memref = store.getMemRef();
      indices = store.getIndices();
    } else {
      return;
    }
    int64_t elems = accessFootprint(op, indices, *runs);
    int64_t size = numElements(memref.getType());
    if (size >= 0)
      elems = std::min(elems, size);
    Value root = getBufferRoot(memref);
    bytesOf[root] = elementBytes(memref.getType());
    auto &slot = isRead ? reads[root] : writes[root];
    slot = std::max(slot, elems);
  });
  if (unknown)
    return loop.emitError("traffic report: dynamic loop range");
  for (auto &[root, n] : reads)
    k.bytesRead += n * bytesOf[root];
  for (auto &[root, n] : writes)
    k.bytesWritten += n * bytesOf[root];
  return k;
}

/// `v`'s type, or the static type it was cast from (library calls take
/// dynamically shaped descriptors).
MemRefType staticMemRefType(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  while (type && !type.hasStaticShape()) {
    auto cast = v.getDefiningOp<memref::CastOp>();
    if (!cast)
      break;
    v = cast.getSource();
    type = dyn_cast<MemRefType>(v.getType());
  }
  return type;
}

FailureOr<KernelCost> gemmCost(func::CallOp call) {
  KernelCost k;
  k.kind = "gemm";
  k.what = describe(call);
  k.iterations = 1;
  SmallVector<MemRefType> m;
  for (Value v : call.getOperands())
    if (auto t = staticMemRefType(v))
      m.push_back(t);
  if (m.size() != 3 || !m[0].hasStaticShape() || !m[2].hasStaticShape() ||
      m[0].getRank() != m[2].getRank() || m[0].getRank() < 2)
    return call.emitError("traffic report: unexpected GEMM call operands");
  int64_t rank = m[0].getRank();
  int64_t batch = 1;
  for (int64_t d = 0; d + 2 < rank; ++d)
    batch *= m[2].getDimSize(d);
  int64_t rows = m[2].getDimSize(rank - 2), cols = m[2].getDimSize(rank - 1);
  int64_t inner = m[0].getDimSize(rank - 1);
  k.flops = 2 * batch * rows * cols * inner;
  int64_t eb = elementBytes(m[0]);
  k.bytesRead = (m[0].getNumElements() + m[1].getNumElements()) * eb;
  k.bytesWritten = m[2].getNumElements() * eb;
  // beta != 0: C is read too.
  Value beta = call.getOperands().back();
  bool zeroBeta = false;
  if (auto c = beta.getDefiningOp<arith::ConstantOp>())
    if (auto f = dyn_cast<FloatAttr>(c.getValue()))
      zeroBeta = f.getValue().isZero();
  if (!zeroBeta)
    k.bytesRead += k.bytesWritten;
  return k;
}

/// The buffer `v` views, through a memref.transpose too (a GEMM's
/// transposed operand; not a ViewLikeOpInterface, so getBufferRoot stops
/// there, which keeps launch merging conservative around it).
Value operandRoot(Value v) {
  v = getBufferRoot(v);
  while (auto transpose = v.getDefiningOp<memref::TransposeOp>())
    v = getBufferRoot(transpose.getIn());
  return v;
}

/// The buffer roots whose loads inside `kernel` feed `v` (through any op of
/// the kernel); a block argument of a linalg body stands for its operand.
llvm::DenseSet<Value> loadedRoots(Value v, Operation *kernel) {
  llvm::DenseSet<Value> roots, seen;
  SmallVector<Value> work{v};
  auto linalgOp = dyn_cast<linalg::LinalgOp>(kernel);
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (!seen.insert(x).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(x)) {
      if (linalgOp && arg.getOwner()->getParentOp() == kernel &&
          arg.getArgNumber() < linalgOp->getNumOperands())
        roots.insert(getBufferRoot(linalgOp->getOperand(arg.getArgNumber())));
      continue;
    }
    Operation *def = x.getDefiningOp();
    if (!def || !kernel->isProperAncestor(def))
      continue;
    if (auto load = dyn_cast<memref::LoadOp>(def)) {
      roots.insert(getBufferRoot(load.getMemRef()));
      continue;
    }
    work.append(def->operand_begin(), def->operand_end());
  }
  return roots;
}

/// Tracks which allocated buffers hold a copy of a parameter: written by a
/// kernel whose every store into them is computed from loads of that one
/// parameter, of the same size and element type (a perturbed copy).
struct CopyTracker {
  const llvm::DenseMap<Value, std::string> &params;
  llvm::DenseMap<Value, std::string> copyOf;

  /// The parameter `root` is a copy of after a write of `value` into it
  /// in `kernel` (null `value`: a write that is no copy).
  void noteWrite(Value root, Value value, Operation *kernel) {
    if (!isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(
            root.getDefiningOp()) ||
        !value) {
      copyOf.erase(root);
      return;
    }
    // The one parameter `value` is computed from (none if two).
    Value source;
    for (Value r : loadedRoots(value, kernel)) {
      if (!params.count(r))
        continue;
      if (source && source != r) {
        source = Value();
        break;
      }
      source = r;
    }
    auto type = cast<MemRefType>(root.getType());
    auto sourceType =
        source ? dyn_cast<MemRefType>(source.getType()) : MemRefType();
    if (!sourceType || !type.hasStaticShape() ||
        !sourceType.hasStaticShape() ||
        type.getNumElements() != sourceType.getNumElements() ||
        type.getElementType() != sourceType.getElementType()) {
      copyOf.erase(root);
      return;
    }
    // A second kernel writing a copy of another parameter into it (a
    // reused buffer) makes it that one's.
    copyOf[root] = params.lookup(source);
  }
};

} // namespace

FailureOr<FunctionCost> mlir::zo::analyzeFunctionCost(func::FuncOp fn) {
  FunctionCost cost;
  cost.function = fn.getSymName().str();
  if (fn.isExternal())
    return fn.emitError("traffic report: @") << fn.getSymName()
                                             << " has no body";
  llvm::DenseMap<Value, std::string> params;
  for (BlockArgument arg : fn.getArguments()) {
    auto role = fn.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "zo.role");
    if (!role || role.getValue() != "param")
      continue;
    int64_t n = numElements(arg.getType());
    if (n < 0)
      return fn.emitError("traffic report: argument ")
             << arg.getArgNumber() << " is not a static memref";
    auto name = fn.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "zo.name");
    params[arg] = name ? name.getValue().str()
                       : ("arg" + std::to_string(arg.getArgNumber()));
    cost.paramBytes += n * elementBytes(arg.getType());
  }
  llvm::DenseSet<Value> trained;
  CopyTracker copies{params, {}};
  // Counts a GEMM operand read of a parameter or of one of its copies.
  auto noteGemmRead = [&](Value operand) {
    Value root = operandRoot(operand);
    auto param = params.find(root);
    bool direct = param != params.end();
    auto copy = copies.copyOf.find(root);
    if (!direct && copy == copies.copyOf.end())
      return;
    std::string name = direct ? param->second : copy->second;
    FunctionCost::GemmWeight &w = cost.gemmWeights[name];
    (direct ? w.reads : w.copyReads) += 1;
    // A copy has its parameter's size and element type.
    w.bytes = numElements(root.getType()) * elementBytes(root.getType());
  };
  // Marks the kernel just added as writing `v`'s parameter, if it is one.
  auto noteWrite = [&](Value v) {
    Value root = getBufferRoot(v);
    auto it = params.find(root);
    if (it == params.end())
      return;
    trained.insert(root);
    cost.kernels.back().writesParam = it->second;
  };

  for (Operation &op : fn.getBody().front()) {
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op)) {
      if (!linalgOp.hasPureBufferSemantics())
        return op.emitError("traffic report: expects bufferized IR");
      auto k = loopCost(linalgOp);
      if (failed(k))
        return failure();
      cost.kernels.push_back(*k);
      for (Value out : linalgOp.getDpsInits())
        noteWrite(out);
      if (auto generic = dyn_cast<linalg::GenericOp>(&op)) {
        auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
        for (auto [out, value] :
             llvm::zip(generic.getDpsInits(), yield.getValues()))
          copies.noteWrite(getBufferRoot(out), value, &op);
      } else {
        for (Value out : linalgOp.getDpsInits())
          copies.noteWrite(getBufferRoot(out), Value(), &op);
      }
      continue;
    }
    if (auto par = dyn_cast<scf::ParallelOp>(&op)) {
      auto k = parallelLoopCost(par);
      if (failed(k))
        return failure();
      cost.kernels.push_back(*k);
      par.getBody()->walk(
          [&](memref::StoreOp store) { noteWrite(store.getMemRef()); });
      // Every store into a buffer must make it a copy of the same
      // parameter: roots are judged after all stores of the kernel.
      llvm::MapVector<Value, SmallVector<Value>> stored;
      par.getBody()->walk([&](memref::StoreOp store) {
        stored[getBufferRoot(store.getMemRef())].push_back(
            store.getValueToStore());
      });
      for (auto &[root, values] : stored) {
        std::optional<std::string> name;
        for (Value v : values) {
          copies.noteWrite(root, v, par);
          auto it = copies.copyOf.find(root);
          std::string now = it == copies.copyOf.end() ? "" : it->second;
          if (now.empty() || (name && *name != now)) {
            copies.copyOf.erase(root);
            break;
          }
          name = now;
        }
      }
      continue;
    }
    if (auto copy = dyn_cast<memref::CopyOp>(&op)) {
      int64_t n = numElements(copy.getSource().getType());
      if (n < 0)
        return op.emitError("traffic report: dynamic copy");
      int64_t bytes = n * elementBytes(copy.getSource().getType());
      cost.kernels.push_back(
          {"copy", describe(&op), bytes, bytes, 0, 0, n, ""});
      noteWrite(copy.getTarget());
      Value from = getBufferRoot(copy.getSource());
      Value to = getBufferRoot(copy.getTarget());
      if (params.count(from) &&
          isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(
              to.getDefiningOp()) &&
          numElements(to.getType()) == n)
        copies.copyOf[to] = params.lookup(from);
      else
        copies.copyOf.erase(to);
      continue;
    }
    if (auto call = dyn_cast<func::CallOp>(&op)) {
      if (!call.getCallee().contains("gemm"))
        return op.emitError("traffic report: call of @")
               << call.getCallee() << " (not a GEMM) cannot be modelled";
      auto k = gemmCost(call);
      if (failed(k))
        return failure();
      cost.kernels.push_back(*k);
      noteGemmRead(call.getOperand(0));
      noteGemmRead(call.getOperand(1));
      noteWrite(call.getOperand(2));
      copies.copyOf.erase(getBufferRoot(call.getOperand(2)));
      continue;
    }
    if (isa<memref::StoreOp>(&op)) {
      auto store = cast<memref::StoreOp>(&op);
      int64_t eb = elementBytes(store.getMemRef().getType());
      cost.kernels.push_back({"scalar", describe(&op), 0, eb, 0, 0, 1, ""});
      noteWrite(store.getMemRef());
      copies.copyOf.erase(getBufferRoot(store.getMemRef()));
      continue;
    }
    // Scalar loads (the seed, lr) are read by the kernels that use them;
    // allocations, views and constants move no data.
    if (isa<memref::LoadOp, memref::AllocOp, memref::AllocaOp,
            memref::DeallocOp, func::ReturnOp>(&op) ||
        isa<ViewLikeOpInterface>(&op) || isMemoryEffectFree(&op))
      continue;
    return op.emitError("traffic report: cannot model '")
           << op.getName() << "'";
  }
  for (Value p : trained)
    cost.trainedParamBytes += numElements(p.getType()) *
                              elementBytes(p.getType());
  return cost;
}

llvm::json::Value mlir::zo::toJSON(const FunctionCost &cost,
                                   const DeviceModel &device) {
  llvm::json::Array kernels;
  for (const KernelCost &k : cost.kernels)
    kernels.push_back(llvm::json::Object{{"kind", k.kind},
                                         {"what", k.what},
                                         {"bytes_read", k.bytesRead},
                                         {"bytes_written", k.bytesWritten},
                                         {"flops", k.flops},
                                         {"int_ops", k.intOps},
                                         {"iterations", k.iterations}});
  return llvm::json::Object{
      {"function", cost.function},
      {"launches", static_cast<int64_t>(cost.kernels.size())},
      {"gemm_launches", cost.gemmCount()},
      {"bytes_read", cost.bytesRead()},
      {"bytes_written", cost.bytesWritten()},
      {"flops", cost.flops()},
      {"param_bytes", cost.paramBytes},
      {"trained_param_bytes", cost.trainedParamBytes},
      {"roofline_seconds_model", cost.rooflineSeconds(device)},
      {"kernels", std::move(kernels)}};
}
