//===- Reductions.cpp - ONNX Reduce* and CumSum -> graph ------------------===//
//
// Reduction axes are an attribute before opset 18 (ReduceSum: 13) and an
// input after; either way they end up normalized and sorted on the op.
//
//===----------------------------------------------------------------------===//

#include "../ImportInternal.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;
using namespace mlir::zo::graph;

template <typename OpTy>
static LogicalResult convertReduce(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  RankedTensorType type = nc.inputType(0);
  int64_t axesInputSince = nc.node.op_type() == "ReduceSum" ? 13 : 18;
  SmallVector<int64_t> axes;
  if (nc.hasAttr("axes") || nc.opset < axesInputSince) {
    axes = nc.attrInts("axes");
  } else if (nc.input(1)) {
    FailureOr<SmallVector<int64_t>> a = nc.constInts(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  if (axes.empty() && nc.attrInt("noop_with_empty_axes", 0) != 0) {
    nc.setResult(0, *x);
    return success();
  }
  for (int64_t &a : axes) {
    FailureOr<int64_t> n = nc.normalizeAxis(a, type.getRank(), "axis");
    if (failed(n))
      return failure();
    a = *n;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  FailureOr<Value> r =
      nc.create<OpTy>(*x, nc.b.getDenseI64ArrayAttr(axes),
                      nc.b.getBoolAttr(nc.attrInt("keepdims", 1) != 0));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertCumSum(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "x");
  FailureOr<SmallVector<int64_t>> axisVals = nc.constInts(1, "axis");
  if (failed(x) || failed(axisVals))
    return failure();
  if (axisVals->size() != 1)
    return nc.error("axis must be a scalar");
  FailureOr<int64_t> axis = nc.normalizeAxis(
      axisVals->front(), nc.inputType(0).getRank(), "axis");
  if (failed(axis))
    return failure();
  FailureOr<Value> r = nc.create<CumSumOp>(
      *x, nc.b.getI64IntegerAttr(*axis),
      nc.b.getBoolAttr(nc.attrInt("exclusive", 0) != 0),
      nc.b.getBoolAttr(nc.attrInt("reverse", 0) != 0));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

void mlir::zo::import::addReductionConverters(ConverterTable &t) {
  t["ReduceSum"] = convertReduce<ReduceSumOp>;
  t["ReduceMean"] = convertReduce<ReduceMeanOp>;
  t["ReduceMax"] = convertReduce<ReduceMaxOp>;
  t["ReduceMin"] = convertReduce<ReduceMinOp>;
  t["ReduceProd"] = convertReduce<ReduceProdOp>;
  t["CumSum"] = convertCumSum;
}
