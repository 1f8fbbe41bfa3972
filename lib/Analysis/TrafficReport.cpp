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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
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
void countArithmetic(Block &body, int64_t &flops, int64_t &intOps) {
  body.walk([&](Operation *op) {
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
  });
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
      noteWrite(call.getOperand(2));
      continue;
    }
    if (isa<memref::StoreOp>(&op)) {
      auto store = cast<memref::StoreOp>(&op);
      int64_t eb = elementBytes(store.getMemRef().getType());
      cost.kernels.push_back({"scalar", describe(&op), 0, eb, 0, 0, 1, ""});
      noteWrite(store.getMemRef());
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
