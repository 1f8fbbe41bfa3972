//===- GraphFolds.cpp - graph dialect: folders -----------------------------===//
//
// Folding is what turns ONNX shape arithmetic (Shape -> Gather -> Concat ->
// Reshape) into static types: the importer builds every op with createOrFold,
// so any op whose operands are constants becomes a constant right away.
// Constant evaluation is limited to small tensors; large float constants
// (weights) are never copied by a folder.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo::graph;

/// Tensors with more elements than this are not constant-evaluated.
static constexpr int64_t kMaxFoldElements = 1 << 16;

namespace {
/// A small constant tensor in a form that is easy to compute with: floats as
/// doubles (exact for f32/f16/bf16), integers and booleans as int64.
struct ConstTensor {
  RankedTensorType type;
  SmallVector<double> f;
  SmallVector<int64_t> i;

  bool isFloat() const { return isa<FloatType>(type.getElementType()); }
  int64_t size() const { return type.getNumElements(); }
  double getF(int64_t k) const { return isFloat() ? f[k] : (double)i[k]; }
  int64_t getI(int64_t k) const { return isFloat() ? (int64_t)f[k] : i[k]; }
};
} // namespace

static std::optional<ConstTensor> getConst(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(dense.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  ConstTensor c{type, {}, {}};
  Type elt = type.getElementType();
  if (isa<FloatType>(elt)) {
    for (APFloat v : dense.getValues<APFloat>())
      c.f.push_back(v.convertToDouble());
  } else if (auto it = dyn_cast<IntegerType>(elt)) {
    bool isBool = it.getWidth() == 1;
    for (APInt v : dense.getValues<APInt>())
      c.i.push_back(isBool || it.isUnsigned() ? (int64_t)v.getZExtValue()
                                              : v.getSExtValue());
  } else {
    return std::nullopt;
  }
  return c;
}

static DenseElementsAttr makeAttr(RankedTensorType type,
                                  ArrayRef<double> fvals,
                                  ArrayRef<int64_t> ivals) {
  Type elt = type.getElementType();
  if (auto ft = dyn_cast<FloatType>(elt)) {
    SmallVector<APFloat> vals;
    for (double d : fvals) {
      APFloat v(d);
      bool lost;
      v.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      vals.push_back(v);
    }
    return DenseElementsAttr::get(type, vals);
  }
  auto it = cast<IntegerType>(elt);
  SmallVector<APInt> vals;
  for (int64_t v : ivals)
    vals.push_back(APInt(it.getWidth(), v, /*isSigned=*/it.getWidth() > 1));
  return DenseElementsAttr::get(type, vals);
}

static DenseElementsAttr makeAttr(RankedTensorType type,
                                  const ConstTensor &values) {
  return makeAttr(type, values.f, values.i);
}

/// Row-major strides of a static shape.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = (int64_t)shape.size() - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

static void delinearize(int64_t linear, ArrayRef<int64_t> shape,
                        SmallVectorImpl<int64_t> &index) {
  index.assign(shape.size(), 0);
  for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
}

/// The linear index into an operand of shape `in` that broadcasts to the
/// output element at `outIndex`.
static int64_t broadcastSource(ArrayRef<int64_t> outIndex,
                               ArrayRef<int64_t> in) {
  int64_t offset = outIndex.size() - in.size(), linear = 0;
  for (size_t d = 0; d < in.size(); ++d)
    linear = linear * in[d] + (in[d] == 1 ? 0 : outIndex[d + offset]);
  return linear;
}

/// Evaluates an elementwise op over broadcast operands. `ff` computes floats,
/// `fi` integers; a missing one means the op does not fold for that type.
static OpFoldResult
foldElementwise(Operation *op, ArrayRef<Attribute> operands,
                function_ref<std::optional<double>(ArrayRef<double>)> ff,
                function_ref<std::optional<int64_t>(ArrayRef<int64_t>)> fi) {
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape() ||
      resultType.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<ConstTensor> args;
  for (Attribute a : operands) {
    std::optional<ConstTensor> c = getConst(a);
    if (!c)
      return {};
    args.push_back(std::move(*c));
  }
  // Compute in the operands' domain (the last operand decides for Where).
  bool floatDomain = args.back().isFloat();
  ConstTensor out{resultType, {}, {}};
  SmallVector<int64_t> index;
  SmallVector<double> fargs(args.size());
  SmallVector<int64_t> iargs(args.size());
  for (int64_t k = 0, e = resultType.getNumElements(); k < e; ++k) {
    delinearize(k, resultType.getShape(), index);
    for (size_t a = 0; a < args.size(); ++a) {
      int64_t src = broadcastSource(index, args[a].type.getShape());
      fargs[a] = args[a].getF(src);
      iargs[a] = args[a].getI(src);
    }
    if (floatDomain) {
      if (!ff)
        return {};
      std::optional<double> v = ff(fargs);
      if (!v)
        return {};
      if (out.isFloat())
        out.f.push_back(*v);
      else
        out.i.push_back((int64_t)*v);
    } else {
      if (!fi)
        return {};
      std::optional<int64_t> v = fi(iargs);
      if (!v)
        return {};
      if (out.isFloat())
        out.f.push_back((double)*v);
      else
        out.i.push_back(*v);
    }
  }
  return makeAttr(resultType, out);
}

//===----------------------------------------------------------------------===//
// Constants and shape computation
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  RankedTensorType in = getInput().getType();
  if (!in.hasStaticShape())
    return {};
  int64_t rank = in.getRank();
  auto clampDim = [&](int64_t d) {
    if (d < 0)
      d += rank;
    return std::clamp<int64_t>(d, 0, rank);
  };
  int64_t start = clampDim(getStart());
  int64_t end = getEnd() ? clampDim(*getEnd()) : rank;
  SmallVector<int64_t> dims;
  for (int64_t d = start; d < end; ++d)
    dims.push_back(in.getDimSize(d));
  return makeAttr(getType(), {}, dims);
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  auto value = cast<ElementsAttr>(getValue());
  auto type = cast<RankedTensorType>(getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return DenseElementsAttr::get(type, dense.getValues<Attribute>()[0]);
  return {};
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstTensor> start = getConst(adaptor.getStart()),
                             limit = getConst(adaptor.getLimit()),
                             delta = getConst(adaptor.getDelta());
  if (!start || !limit || !delta)
    return {};
  RankedTensorType type = getType();
  ConstTensor out{type, {}, {}};
  for (int64_t k = 0; k < type.getDimSize(0); ++k) {
    if (out.isFloat())
      out.f.push_back(start->f[0] + k * delta->f[0]);
    else
      out.i.push_back(start->i[0] + k * delta->i[0]);
  }
  return makeAttr(type, out);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldElementwise(
      *this, adaptor.getOperands(),
      [](ArrayRef<double> a) -> std::optional<double> { return -a[0]; },
      [](ArrayRef<int64_t> a) -> std::optional<int64_t> { return -a[0]; });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldElementwise(
      *this, adaptor.getOperands(),
      [](ArrayRef<double> a) -> std::optional<double> {
        return std::sqrt(a[0]);
      },
      nullptr);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  return foldElementwise(
      *this, adaptor.getOperands(), nullptr,
      [](ArrayRef<int64_t> a) -> std::optional<int64_t> { return !a[0]; });
}

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }
OpFoldResult DropoutOp::fold(FoldAdaptor) { return getInput(); }

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  Type to = getType().getElementType();
  bool toBool = to.isInteger(1);
  return foldElementwise(
      *this, adaptor.getOperands(),
      [&](ArrayRef<double> a) -> std::optional<double> {
        if (toBool)
          return a[0] != 0.0;
        return isa<FloatType>(to) ? a[0] : std::trunc(a[0]);
      },
      [&](ArrayRef<int64_t> a) -> std::optional<int64_t> {
        return toBool ? a[0] != 0 : a[0];
      });
}

#define ZO_BINARY_FOLD(OP, FEXPR, IEXPR)                                       \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldElementwise(                                                    \
        *this, adaptor.getOperands(),                                          \
        [](ArrayRef<double> v) -> std::optional<double> {                      \
          double a = v[0], b = v[1];                                           \
          (void)a;                                                             \
          (void)b;                                                             \
          return FEXPR;                                                        \
        },                                                                     \
        [](ArrayRef<int64_t> v) -> std::optional<int64_t> {                    \
          int64_t a = v[0], b = v[1];                                          \
          (void)a;                                                             \
          (void)b;                                                             \
          return IEXPR;                                                        \
        });                                                                    \
  }

// Integer division and power follow ONNX (truncating division); division by
// zero is left to run time.
ZO_BINARY_FOLD(AddOp, a + b, a + b)
ZO_BINARY_FOLD(SubOp, a - b, a - b)
ZO_BINARY_FOLD(MulOp, a *b, a *b)
ZO_BINARY_FOLD(DivOp, a / b,
               b == 0 ? std::optional<int64_t>() : std::optional(a / b))
ZO_BINARY_FOLD(PowOp, std::pow(a, b),
               b < 0 ? std::optional<int64_t>()
                     : std::optional((int64_t)std::llround(std::pow(a, b))))
ZO_BINARY_FOLD(MaxOp, std::max(a, b), std::max(a, b))
ZO_BINARY_FOLD(MinOp, std::min(a, b), std::min(a, b))
ZO_BINARY_FOLD(AndOp, std::optional<double>(), a && b)
ZO_BINARY_FOLD(OrOp, std::optional<double>(), a || b)
ZO_BINARY_FOLD(EqualOp, a == b, a == b)
ZO_BINARY_FOLD(LessOp, a < b, a < b)
ZO_BINARY_FOLD(LessOrEqualOp, a <= b, a <= b)
ZO_BINARY_FOLD(GreaterOp, a > b, a > b)
ZO_BINARY_FOLD(GreaterOrEqualOp, a >= b, a >= b)
#undef ZO_BINARY_FOLD

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  // Condition in operand 0 is i1; evaluate on the branches' domain.
  return foldElementwise(
      *this, adaptor.getOperands(),
      [](ArrayRef<double> v) -> std::optional<double> {
        return v[0] != 0 ? v[1] : v[2];
      },
      [](ArrayRef<int64_t> v) -> std::optional<int64_t> {
        return v[0] ? v[1] : v[2];
      });
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename ReduceOpT>
static OpFoldResult foldReduce(ReduceOpT op, Attribute input, double init,
                               function_ref<double(double, double)> combine,
                               bool mean) {
  std::optional<ConstTensor> in = getConst(input);
  auto outType = cast<RankedTensorType>(op.getType());
  if (!in)
    return {};
  ArrayRef<int64_t> inShape = in->type.getShape();
  llvm::SmallBitVector reduced(inShape.size(), op.getAxes().empty());
  for (int64_t a : op.getAxes())
    reduced.set(a);
  // Accumulate every input element into its output slot.
  SmallVector<int64_t> keptShape;
  for (size_t d = 0; d < inShape.size(); ++d)
    keptShape.push_back(reduced.test(d) ? 1 : inShape[d]);
  int64_t outSize = outType.getNumElements();
  SmallVector<double> acc(outSize, init);
  SmallVector<int64_t> index;
  for (int64_t k = 0; k < in->size(); ++k) {
    delinearize(k, inShape, index);
    int64_t slot = 0;
    for (size_t d = 0; d < inShape.size(); ++d)
      slot = slot * keptShape[d] + (reduced.test(d) ? 0 : index[d]);
    acc[slot] = combine(acc[slot], in->getF(k));
  }
  if (mean && outSize > 0) {
    int64_t count = in->size() / outSize;
    for (double &v : acc)
      v /= count;
  }
  ConstTensor out{outType, {}, {}};
  for (double v : acc) {
    if (out.isFloat())
      out.f.push_back(v);
    else
      out.i.push_back((int64_t)v);
  }
  return makeAttr(outType, out);
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor adaptor) {
  return foldReduce(*this, adaptor.getInput(), 0.0,
                    [](double a, double b) { return a + b; }, false);
}
OpFoldResult ReduceMeanOp::fold(FoldAdaptor adaptor) {
  return foldReduce(*this, adaptor.getInput(), 0.0,
                    [](double a, double b) { return a + b; }, true);
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor adaptor) {
  return foldReduce(*this, adaptor.getInput(), -INFINITY,
                    [](double a, double b) { return std::max(a, b); }, false);
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor adaptor) {
  return foldReduce(*this, adaptor.getInput(), INFINITY,
                    [](double a, double b) { return std::min(a, b); }, false);
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor adaptor) {
  return foldReduce(*this, adaptor.getInput(), 1.0,
                    [](double a, double b) { return a * b; }, false);
}

OpFoldResult CumSumOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstTensor> in = getConst(adaptor.getInput());
  if (!in)
    return {};
  ArrayRef<int64_t> shape = in->type.getShape();
  SmallVector<int64_t> strides = stridesOf(shape);
  int64_t axis = getAxis(), n = shape[axis], stride = strides[axis];
  ConstTensor out = *in;
  SmallVector<int64_t> index;
  for (int64_t k = 0; k < in->size(); ++k) {
    delinearize(k, shape, index);
    if (index[axis] != 0)
      continue;
    double running = 0;
    for (int64_t j = 0; j < n; ++j) {
      int64_t pos = getReverse() ? n - 1 - j : j;
      int64_t at = k + pos * stride;
      double value = in->getF(at);
      double result = getExclusive() ? running : running + value;
      running += value;
      if (out.isFloat())
        out.f[at] = result;
      else
        out.i[at] = (int64_t)result;
    }
  }
  return makeAttr(in->type, out);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Rearranges a constant: output element k takes input element `source(k)`.
static OpFoldResult
foldGather(Attribute input, RankedTensorType outType,
           function_ref<int64_t(ArrayRef<int64_t>)> source) {
  std::optional<ConstTensor> in = getConst(input);
  if (!in || !outType.hasStaticShape() ||
      outType.getNumElements() > kMaxFoldElements)
    return {};
  ConstTensor out{outType, {}, {}};
  SmallVector<int64_t> index;
  for (int64_t k = 0, e = outType.getNumElements(); k < e; ++k) {
    delinearize(k, outType.getShape(), index);
    int64_t src = source(index);
    if (src < 0 || src >= in->size())
      return {};
    if (in->isFloat())
      out.f.push_back(in->f[src]);
    else
      out.i.push_back(in->i[src]);
  }
  return makeAttr(outType, out);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  SmallVector<int64_t> inStrides = stridesOf(getInput().getType().getShape());
  return foldGather(adaptor.getInput(), getType(),
                    [&](ArrayRef<int64_t> idx) {
                      int64_t linear = 0;
                      for (size_t d = 0; d < perm.size(); ++d)
                        linear += idx[d] * inStrides[perm[d]];
                      return linear;
                    });
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(cast<ShapedType>(getType()));
  return {};
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat())
    return DenseElementsAttr::get(cast<ShapedType>(getType()),
                                  dense.getSplatValue<Attribute>());
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  return foldGather(adaptor.getInput(), cast<RankedTensorType>(getType()),
                    [&](ArrayRef<int64_t> idx) {
                      return broadcastSource(idx, inShape);
                    });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstTensor> indices = getConst(adaptor.getIndices());
  if (!indices)
    return {};
  ArrayRef<int64_t> dataShape = getData().getType().getShape();
  int64_t rank = dataShape.size();
  // I64Attr getters return uint64_t: go through int64_t before comparing.
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += rank;
  int64_t idxRank = indices->type.getRank();
  SmallVector<int64_t> dataStrides = stridesOf(dataShape);
  SmallVector<int64_t> idxStrides = stridesOf(indices->type.getShape());
  return foldGather(adaptor.getData(), getType(), [&](ArrayRef<int64_t> idx) {
    int64_t linearIdx = 0;
    for (int64_t d = 0; d < idxRank; ++d)
      linearIdx += idx[axis + d] * idxStrides[d];
    int64_t sel = indices->i[linearIdx];
    if (sel < 0)
      sel += dataShape[axis];
    if (sel < 0 || sel >= dataShape[axis])
      return (int64_t)-1;
    int64_t linear = sel * dataStrides[axis];
    for (int64_t d = 0; d < axis; ++d)
      linear += idx[d] * dataStrides[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      linear += idx[d - 1 + idxRank] * dataStrides[d];
    return linear;
  });
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  RankedTensorType outType = getType();
  if (!outType.hasStaticShape() ||
      outType.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<ConstTensor> ins;
  for (Attribute a : adaptor.getInputs()) {
    std::optional<ConstTensor> c = getConst(a);
    if (!c)
      return {};
    ins.push_back(std::move(*c));
  }
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += outType.getRank();
  ConstTensor out{outType, {}, {}};
  SmallVector<int64_t> index;
  for (int64_t k = 0, e = outType.getNumElements(); k < e; ++k) {
    delinearize(k, outType.getShape(), index);
    int64_t pos = index[axis];
    for (const ConstTensor &in : ins) {
      int64_t extent = in.type.getDimSize(axis);
      if (pos >= extent) {
        pos -= extent;
        continue;
      }
      SmallVector<int64_t> src(index);
      src[axis] = pos;
      SmallVector<int64_t> strides = stridesOf(in.type.getShape());
      int64_t linear = 0;
      for (size_t d = 0; d < src.size(); ++d)
        linear += src[d] * strides[d];
      if (out.isFloat())
        out.f.push_back(in.getF(linear));
      else
        out.i.push_back(in.getI(linear));
      break;
    }
  }
  return makeAttr(outType, out);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  SmallVector<int64_t> inStrides = stridesOf(getInput().getType().getShape());
  ArrayRef<int64_t> starts = getStarts(), steps = getSteps();
  return foldGather(adaptor.getInput(), getType(), [&](ArrayRef<int64_t> idx) {
    int64_t linear = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      linear += (starts[d] + idx[d] * steps[d]) * inStrides[d];
    return linear;
  });
}

OpFoldResult TriluOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstTensor> in = getConst(adaptor.getInput());
  if (!in || in->type.getRank() < 2)
    return {};
  ConstTensor out = *in;
  SmallVector<int64_t> index;
  int64_t rank = in->type.getRank();
  for (int64_t k = 0; k < in->size(); ++k) {
    delinearize(k, in->type.getShape(), index);
    int64_t row = index[rank - 2], col = index[rank - 1];
    int64_t offset = static_cast<int64_t>(getK()), diag = col - row;
    bool keep = getUpper() ? diag >= offset : diag <= offset;
    if (!keep) {
      if (out.isFloat())
        out.f[k] = 0;
      else
        out.i[k] = 0;
    }
  }
  return makeAttr(in->type, out);
}

/// Flatten, Squeeze and Unsqueeze of a constant (typically a shape vector in
/// ONNX shape arithmetic) is the constant with the result type.
static OpFoldResult foldViewOfConstant(Attribute input, Type resultType) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(input);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!dense || !type || !type.hasStaticShape())
    return {};
  return dense.reshape(type);
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldViewOfConstant(adaptor.getInput(), getType());
}
OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return foldViewOfConstant(adaptor.getInput(), getType());
}
OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldViewOfConstant(adaptor.getInput(), getType());
}
