//===- NodeContext.cpp - what a node converter works with -----------------===//
//
// Operand, attribute and constant access for converters, and the one place
// ops are built: inference and verification failures become diagnostics at
// the node, folding turns shape arithmetic into constants.
//
//===----------------------------------------------------------------------===//

#include "ImportInternal.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;

LogicalResult NodeContext::error(const Twine &message) {
  emitError(loc) << message;
  return failure();
}

FailureOr<Value> NodeContext::requiredInput(unsigned i, StringRef what) {
  if (Value v = input(i))
    return v;
  return error("missing required input " + Twine(i) + " ('" + what + "')");
}

FailureOr<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank,
                                              StringRef what) {
  if (axis < -rank || axis >= rank) {
    (void)error(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

std::optional<SmallVector<int64_t>> NodeContext::tryConstInts(Value v) {
  DenseElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> out;
  Type elt = attr.getElementType();
  if (isa<FloatType>(elt)) {
    for (APFloat f : attr.getValues<APFloat>())
      out.push_back((int64_t)f.convertToDouble());
  } else if (elt.isInteger(1)) {
    for (APInt i : attr.getValues<APInt>())
      out.push_back(i.getZExtValue());
  } else {
    for (APInt i : attr.getValues<APInt>())
      out.push_back(i.getSExtValue());
  }
  return out;
}

FailureOr<SmallVector<int64_t>> NodeContext::constInts(unsigned i,
                                                       StringRef what) {
  FailureOr<Value> v = requiredInput(i, what);
  if (failed(v))
    return failure();
  if (std::optional<SmallVector<int64_t>> c = tryConstInts(*v))
    return *c;
  (void)error("input " + Twine(i) + " ('" + what +
              "') must be a constant after shape folding; it depends on "
              "runtime values (static specialization needs it at import)");
  return failure();
}

FailureOr<SmallVector<double>> NodeContext::constFloats(unsigned i,
                                                        StringRef what) {
  FailureOr<Value> v = requiredInput(i, what);
  if (failed(v))
    return failure();
  DenseElementsAttr attr;
  if (!matchPattern(*v, m_Constant(&attr))) {
    (void)error("input " + Twine(i) + " ('" + what +
                "') must be a constant after shape folding");
    return failure();
  }
  SmallVector<double> out;
  if (isa<FloatType>(attr.getElementType())) {
    for (APFloat f : attr.getValues<APFloat>())
      out.push_back(f.convertToDouble());
  } else {
    for (APInt i : attr.getValues<APInt>())
      out.push_back(attr.getElementType().isInteger(1)
                        ? (double)i.getZExtValue()
                        : (double)i.getSExtValue());
  }
  return out;
}

const onnx::AttributeProto *NodeContext::getAttr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::attrInt(StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = getAttr(name);
  return a ? a->i() : dflt;
}

float NodeContext::attrFloat(StringRef name, float dflt) const {
  const onnx::AttributeProto *a = getAttr(name);
  return a ? a->f() : dflt;
}

std::string NodeContext::attrString(StringRef name, StringRef dflt) const {
  const onnx::AttributeProto *a = getAttr(name);
  return a ? a->s() : dflt.str();
}

SmallVector<int64_t> NodeContext::attrInts(StringRef name) const {
  SmallVector<int64_t> out;
  if (const onnx::AttributeProto *a = getAttr(name))
    out.assign(a->ints().begin(), a->ints().end());
  return out;
}

FailureOr<ElementsAttr> NodeContext::attrTensor(StringRef name) {
  const onnx::AttributeProto *a = getAttr(name);
  if (!a || !a->has_t()) {
    (void)error("attribute '" + name + "' must be a tensor");
    return failure();
  }
  llvm::Expected<InitializerData> data = decoder.decode(a->t());
  if (!data) {
    (void)error(llvm::toString(data.takeError()));
    return failure();
  }
  Type elt = getElementType(b.getContext(), (int32_t)data->dtype);
  auto type = RankedTensorType::get(data->dims, elt);
  // Small constants stay dense so shape arithmetic folds; big float
  // constants become blobs.
  int64_t n = data->getNumElements();
  bool dense = isa<FloatType>(elt) ? n <= 16 : n <= 1024;
  std::string blob = node.output_size() ? node.output(0) : "constant";
  return makeConstantAttr(*data, type, dense, blob);
}

Value NodeContext::constant(ElementsAttr attr) {
  return graph::ConstantOp::create(b, loc, attr);
}

Value NodeContext::i64Constant(ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{(int64_t)values.size()},
      b.getI64Type());
  return constant(DenseElementsAttr::get(type, values));
}

FailureOr<SmallVector<Value>> NodeContext::finish(Operation *op, bool fold) {
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  SmallVector<Value> results;
  if (fold && succeeded(b.tryFold(op, results)) && !results.empty()) {
    op->erase();
    return results;
  }
  return SmallVector<Value>(op->getResults());
}
