//===- Losses.cpp - ONNX loss ops -> graph --------------------------------===//
//
// SoftmaxCrossEntropyLoss (its optional log_prob output becomes a
// graph.log_softmax over the class axis) and NegativeLogLikelihoodLoss.
//
//===----------------------------------------------------------------------===//

#include "../ImportInternal.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;
using namespace mlir::zo::graph;

template <typename OpTy>
static LogicalResult convertLoss(NodeContext &nc) {
  FailureOr<Value> scores = nc.requiredInput(0, "scores"),
                   labels = nc.requiredInput(1, "labels");
  if (failed(scores) || failed(labels))
    return failure();
  std::string reduction = nc.attrString("reduction", "mean");
  IntegerAttr ignore;
  if (nc.hasAttr("ignore_index"))
    ignore = nc.b.getI64IntegerAttr(nc.attrInt("ignore_index", 0));
  FailureOr<Value> loss =
      nc.create<OpTy>(*scores, *labels, nc.input(2),
                      nc.b.getStringAttr(reduction), ignore);
  if (failed(loss))
    return failure();
  nc.setResult(0, *loss);
  if (nc.hasOutput(1)) {
    if (!std::is_same_v<OpTy, SoftmaxCrossEntropyLossOp>)
      return nc.error("has no second output");
    FailureOr<Value> logProb =
        nc.create<LogSoftmaxOp>(*scores, nc.b.getI64IntegerAttr(1));
    if (failed(logProb))
      return failure();
    nc.setResult(1, *logProb);
  }
  return success();
}

void mlir::zo::import::addLossConverters(ConverterTable &t) {
  t["SoftmaxCrossEntropyLoss"] = convertLoss<SoftmaxCrossEntropyLossOp>;
  t["NegativeLogLikelihoodLoss"] = convertLoss<NegativeLogLikelihoodLossOp>;
}
