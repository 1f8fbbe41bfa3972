//===- LinalgNN.cpp - ONNX matmul, softmax and normalization -> graph -----===//
//
// MatMul, Gemm, Softmax/LogSoftmax (with the pre-13 "coerce to 2-D"
// semantics), LayerNormalization-17 and RMSNormalization-23.
//
//===----------------------------------------------------------------------===//

#include "../ImportInternal.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;
using namespace mlir::zo::graph;

static LogicalResult convertMatMul(NodeContext &nc) {
  FailureOr<Value> a = nc.requiredInput(0, "A"), b = nc.requiredInput(1, "B");
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> r = nc.create<MatMulOp>(*a, *b);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertGemm(NodeContext &nc) {
  FailureOr<Value> a = nc.requiredInput(0, "A"), b = nc.requiredInput(1, "B");
  if (failed(a) || failed(b))
    return failure();
  if (nc.inputType(0).getRank() != 2 || nc.inputType(1).getRank() != 2)
    return nc.error("A and B must be 2-D");
  OpBuilder &bb = nc.b;
  FailureOr<Value> r = nc.create<GemmOp>(
      *a, *b, nc.input(2), bb.getF32FloatAttr(nc.attrFloat("alpha", 1.0f)),
      bb.getF32FloatAttr(nc.attrFloat("beta", 1.0f)),
      bb.getBoolAttr(nc.attrInt("transA", 0) != 0),
      bb.getBoolAttr(nc.attrInt("transB", 0) != 0));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

/// Softmax-13 normalizes along one axis. Before 13 the input is coerced to
/// 2-D at `axis` (default 1) and normalized over the whole trailing block:
/// flatten, normalize the last axis, reshape back.
template <typename OpTy>
static LogicalResult convertSoftmax(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  RankedTensorType type = nc.inputType(0);
  int64_t rank = type.getRank();
  bool legacy = nc.opset < 13;
  FailureOr<int64_t> axis =
      nc.normalizeAxis(nc.attrInt("axis", legacy ? 1 : -1), rank, "axis");
  if (failed(axis))
    return failure();
  if (!legacy || *axis == rank - 1) {
    FailureOr<Value> r = nc.create<OpTy>(*x, nc.b.getI64IntegerAttr(*axis));
    if (failed(r))
      return failure();
    nc.setResult(0, *r);
    return success();
  }
  FailureOr<Value> flat =
      nc.create<FlattenOp>(*x, nc.b.getI64IntegerAttr(*axis));
  if (failed(flat))
    return failure();
  FailureOr<Value> r = nc.create<OpTy>(*flat, nc.b.getI64IntegerAttr(1));
  if (failed(r))
    return failure();
  FailureOr<Value> back = nc.createTyped<ReshapeOp>(type, *r);
  if (failed(back))
    return failure();
  nc.setResult(0, *back);
  return success();
}

static LogicalResult convertLayerNorm(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "X"),
                   scale = nc.requiredInput(1, "Scale");
  if (failed(x) || failed(scale))
    return failure();
  if (nc.hasOutput(1) || nc.hasOutput(2))
    return nc.error("the Mean and InvStdDev outputs are not supported");
  RankedTensorType type = nc.inputType(0);
  FailureOr<int64_t> axis =
      nc.normalizeAxis(nc.attrInt("axis", -1), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  FailureOr<Value> r = nc.createTyped<LayerNormOp>(
      type, *x, *scale, nc.input(2), nc.b.getI64IntegerAttr(*axis),
      nc.b.getF32FloatAttr(nc.attrFloat("epsilon", 1e-5f)));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertRmsNorm(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "X"),
                   scale = nc.requiredInput(1, "scale");
  if (failed(x) || failed(scale))
    return failure();
  RankedTensorType type = nc.inputType(0);
  FailureOr<int64_t> axis =
      nc.normalizeAxis(nc.attrInt("axis", -1), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  FailureOr<Value> r = nc.createTyped<RmsNormOp>(
      type, *x, *scale, nc.b.getI64IntegerAttr(*axis),
      nc.b.getF32FloatAttr(nc.attrFloat("epsilon", 1e-5f)));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

void mlir::zo::import::addLinalgNNConverters(ConverterTable &t) {
  t["MatMul"] = convertMatMul;
  t["Gemm"] = convertGemm;
  t["Softmax"] = convertSoftmax<SoftmaxOp>;
  t["LogSoftmax"] = convertSoftmax<LogSoftmaxOp>;
  t["LayerNormalization"] = convertLayerNorm;
  t["RMSNormalization"] = convertRmsNorm;
}
