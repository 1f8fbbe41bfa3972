//===- Elementwise.cpp - ONNX elementwise ops -> graph --------------------===//
//
// Unary and broadcasting binary ops, variadic Max/Min/Sum (chains of binary
// ops), Where, Cast/CastLike, and the elementwise activations.
//
//===----------------------------------------------------------------------===//

#include "../ImportInternal.h"

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;
using namespace mlir::zo::graph;

template <typename OpTy>
static LogicalResult convertUnary(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "X");
  if (failed(x))
    return failure();
  FailureOr<Value> r = nc.create<OpTy>(*x);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

template <typename OpTy>
static LogicalResult convertBinary(NodeContext &nc) {
  FailureOr<Value> a = nc.requiredInput(0, "A"), b = nc.requiredInput(1, "B");
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> r = nc.create<OpTy>(*a, *b);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

/// Max, Min and Sum take any number of operands: fold them left to right.
template <typename OpTy>
static LogicalResult convertVariadic(NodeContext &nc) {
  FailureOr<Value> acc = nc.requiredInput(0, "data_0");
  if (failed(acc))
    return failure();
  for (unsigned i = 1; i < nc.getNumInputs(); ++i) {
    FailureOr<Value> next = nc.requiredInput(i, "data_" + std::to_string(i));
    if (failed(next))
      return failure();
    acc = nc.create<OpTy>(*acc, *next);
    if (failed(acc))
      return failure();
  }
  nc.setResult(0, *acc);
  return success();
}

static FailureOr<Value> castTo(NodeContext &nc, Value v, Type elt) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == elt)
    return v;
  return nc.createTyped<CastOp>(type.clone(elt), v);
}

/// ONNX Pow allows an exponent of another type; graph.pow does not.
static LogicalResult convertPow(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "X"), y = nc.requiredInput(1, "Y");
  if (failed(x) || failed(y))
    return failure();
  FailureOr<Value> yc = castTo(nc, *y, nc.inputType(0).getElementType());
  if (failed(yc))
    return failure();
  FailureOr<Value> r = nc.create<PowOp>(*x, *yc);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertWhere(NodeContext &nc) {
  FailureOr<Value> c = nc.requiredInput(0, "condition"),
                   x = nc.requiredInput(1, "X"), y = nc.requiredInput(2, "Y");
  if (failed(c) || failed(x) || failed(y))
    return failure();
  FailureOr<Value> r = nc.create<WhereOp>(*c, *x, *y);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertCast(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  Type elt;
  if (nc.node.op_type() == "CastLike") {
    FailureOr<Value> like = nc.requiredInput(1, "target_type");
    if (failed(like))
      return failure();
    elt = nc.inputType(1).getElementType();
  } else {
    int64_t to = nc.attrInt("to", 0);
    elt = getElementType(nc.b.getContext(), (int32_t)to);
    if (!elt)
      return nc.error("unsupported element type '" +
                      getOnnxDTypeName((int32_t)to) + "' in attribute 'to'");
  }
  FailureOr<Value> r = castTo(nc, *x, elt);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertGelu(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "X");
  if (failed(x))
    return failure();
  std::string approx = nc.attrString("approximate", "none");
  FailureOr<Value> r = nc.create<GeluOp>(*x, nc.b.getStringAttr(approx));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

/// Swish-24 with alpha = 1 is SiLU.
static LogicalResult convertSwish(NodeContext &nc) {
  if (nc.attrFloat("alpha", 1.0f) != 1.0f)
    return nc.error("only alpha = 1 (SiLU) is supported");
  return convertUnary<SiluOp>(nc);
}

static LogicalResult convertIdentity(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  FailureOr<Value> r = nc.createUnfolded<IdentityOp>(*x);
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

static LogicalResult convertDropout(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  float ratio = nc.attrFloat("ratio", 0.5f);
  if (nc.input(1)) {
    FailureOr<SmallVector<double>> r = nc.constFloats(1, "ratio");
    if (failed(r))
      return failure();
    ratio = r->empty() ? 0.5f : (float)r->front();
  }
  if (nc.input(2)) {
    std::optional<SmallVector<int64_t>> training = nc.tryConstInts(nc.input(2));
    if (!training || (!training->empty() && training->front() != 0))
      return nc.error("training_mode must be a constant false (only "
                      "inference-mode Dropout is imported)");
  }
  if (nc.hasOutput(1))
    return nc.error("the mask output is not supported");
  FailureOr<Value> r =
      nc.createUnfolded<DropoutOp>(*x, nc.b.getF32FloatAttr(ratio));
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

/// Clip(x, min, max) = Min(Max(x, min), max); absent bounds are skipped.
static LogicalResult convertClip(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  Value acc = *x;
  if (nc.opset < 11 || nc.hasAttr("min") || nc.hasAttr("max"))
    return nc.error("Clip with min/max attributes (opset < 11) is not "
                    "supported");
  if (Value lo = nc.input(1)) {
    FailureOr<Value> r = nc.create<MaxOp>(acc, lo);
    if (failed(r))
      return failure();
    acc = *r;
  }
  if (Value hi = nc.input(2)) {
    FailureOr<Value> r = nc.create<MinOp>(acc, hi);
    if (failed(r))
      return failure();
    acc = *r;
  }
  nc.setResult(0, acc);
  return success();
}

void mlir::zo::import::addElementwiseConverters(ConverterTable &t) {
  t["Neg"] = convertUnary<NegOp>;
  t["Abs"] = convertUnary<AbsOp>;
  t["Exp"] = convertUnary<ExpOp>;
  t["Log"] = convertUnary<LogOp>;
  t["Sqrt"] = convertUnary<SqrtOp>;
  t["Reciprocal"] = convertUnary<ReciprocalOp>;
  t["Erf"] = convertUnary<ErfOp>;
  t["Tanh"] = convertUnary<TanhOp>;
  t["Sigmoid"] = convertUnary<SigmoidOp>;
  t["Relu"] = convertUnary<ReluOp>;
  t["Sin"] = convertUnary<SinOp>;
  t["Cos"] = convertUnary<CosOp>;
  t["Not"] = convertUnary<NotOp>;
  t["Identity"] = convertIdentity;
  t["Gelu"] = convertGelu;
  t["Swish"] = convertSwish;
  t["Dropout"] = convertDropout;
  t["Cast"] = convertCast;
  t["CastLike"] = convertCast;
  t["Clip"] = convertClip;

  t["Add"] = convertBinary<AddOp>;
  t["Sub"] = convertBinary<SubOp>;
  t["Mul"] = convertBinary<MulOp>;
  t["Div"] = convertBinary<DivOp>;
  t["Pow"] = convertPow;
  t["And"] = convertBinary<AndOp>;
  t["Or"] = convertBinary<OrOp>;
  t["Equal"] = convertBinary<EqualOp>;
  t["Less"] = convertBinary<LessOp>;
  t["LessOrEqual"] = convertBinary<LessOrEqualOp>;
  t["Greater"] = convertBinary<GreaterOp>;
  t["GreaterOrEqual"] = convertBinary<GreaterOrEqualOp>;
  t["Max"] = convertVariadic<MaxOp>;
  t["Min"] = convertVariadic<MinOp>;
  t["Sum"] = convertVariadic<AddOp>;
  t["Where"] = convertWhere;
}
