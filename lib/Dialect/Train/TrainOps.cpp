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

/// Noise is f32 and its counters address elements with 64 bits. add_noise
/// also takes bf16 / f16 tensors (`narrow`): x + alpha z is computed in f32
/// and rounded once to the element type.
static LogicalResult verifyNoise(Operation *op, Type type, int64_t paramId,
                                 int64_t stream, bool narrow = false) {
  auto tensor = cast<RankedTensorType>(type);
  Type elt = tensor.getElementType();
  if (narrow && !elt.isF32() && !elt.isBF16() && !elt.isF16())
    return op->emitOpError("takes f32, bf16 or f16 tensors (noise and "
                           "arithmetic in f32), not ")
           << elt;
  if (!narrow && !elt.isF32())
    return op->emitOpError("noise is generated as f32, not ") << elt;
  if (paramId < 0 || paramId > UINT32_MAX || stream < 0 || stream > UINT32_MAX)
    return op->emitOpError("param_id and stream must fit in 32 bits");
  return success();
}

/// The sparse mask: a sparsity in [0, 1) with its epoch operand, and a
/// domain (2^53 at most, where float64 still counts exactly: the compiler
/// and python/zo/sparse_mask.py must agree on floor(s n)) that holds the
/// tensor.
template <typename OpTy>
static LogicalResult verifyMask(OpTy op) {
  std::optional<double> sparsity;
  if (FloatAttr attr = op.getMaskSparsityAttr())
    sparsity = attr.getValueAsDouble();
  std::optional<uint64_t> domain = op.getMaskDomain();
  std::optional<uint64_t> offset = op.getMaskOffset();
  if (!op.getMaskEpoch()) {
    if (sparsity || domain || offset)
      return op.emitOpError("mask attributes need a mask(%epoch) operand");
    return success();
  }
  if (!sparsity)
    return op.emitOpError("a mask needs mask_sparsity");
  if (!(*sparsity >= 0.0 && *sparsity < 1.0))
    return op.emitOpError("mask_sparsity must be in [0, 1), got ")
           << *sparsity;
  if (domain.has_value() != offset.has_value())
    return op.emitOpError("mask_domain and mask_offset come together");
  constexpr int64_t kMaxDomain = int64_t(1) << 53;
  int64_t size = cast<RankedTensorType>(op.getType()).getNumElements();
  if (!domain) {
    if (size > kMaxDomain)
      return op.emitOpError("a mask domain has at most 2^53 elements, got ")
             << size;
    return success();
  }
  int64_t n = static_cast<int64_t>(*domain);
  int64_t o = static_cast<int64_t>(*offset);
  if (n < 0 || n > kMaxDomain)
    return op.emitOpError("mask_domain must be in [0, 2^53], got ") << n;
  if (o < 0 || o > n - size)
    return op.emitOpError("the tensor's ")
           << size << " elements at mask_offset " << o
           << " do not fit in mask_domain " << n;
  return success();
}

LogicalResult NormalOp::verify() {
  if (failed(verifyNoise(*this, getType(), static_cast<int64_t>(getParamId()),
                         static_cast<int64_t>(getStream()))))
    return failure();
  return verifyMask(*this);
}

LogicalResult AddNoiseOp::verify() {
  if (failed(verifyNoise(*this, getType(), static_cast<int64_t>(getParamId()),
                         static_cast<int64_t>(getStream()),
                         /*narrow=*/true)))
    return failure();
  return verifyMask(*this);
}

#define GET_OP_CLASSES
#include "zo/Dialect/Train/TrainOps.cpp.inc"
