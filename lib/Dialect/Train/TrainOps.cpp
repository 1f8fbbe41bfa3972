//===- TrainOps.cpp - the zo training dialect -----------------------------===//

#include "zo/Dialect/Train/TrainDialect.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::zo::train;

#include "zo/Dialect/Train/TrainOpsDialect.cpp.inc"

void TrainDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "zo/Dialect/Train/TrainOps.cpp.inc"
      >();
}

/// Noise is f32 and its counters address elements with 64 bits.
static LogicalResult verifyNoise(Operation *op, Type type, int64_t paramId,
                                 int64_t stream) {
  auto tensor = cast<RankedTensorType>(type);
  if (!tensor.getElementType().isF32())
    return op->emitOpError("noise is generated as f32, not ")
           << tensor.getElementType();
  if (paramId < 0 || paramId > UINT32_MAX || stream < 0 || stream > UINT32_MAX)
    return op->emitOpError("param_id and stream must fit in 32 bits");
  return success();
}

LogicalResult NormalOp::verify() {
  return verifyNoise(*this, getType(), static_cast<int64_t>(getParamId()),
                     static_cast<int64_t>(getStream()));
}

LogicalResult AddNoiseOp::verify() {
  return verifyNoise(*this, getType(), static_cast<int64_t>(getParamId()),
                     static_cast<int64_t>(getStream()));
}

#define GET_OP_CLASSES
#include "zo/Dialect/Train/TrainOps.cpp.inc"
