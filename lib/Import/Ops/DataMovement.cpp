//===- DataMovement.cpp - ONNX shape and data-movement ops -> graph -------===//
//
// Constants, shape arithmetic (Shape, Size, ConstantOfShape, Range) and the
// ops whose configuration ONNX passes as tensors (Reshape, Expand, Slice,
// Split, Squeeze/Unsqueeze-13, Trilu). That configuration must be constant
// once the shape arithmetic has folded; it becomes attributes and a static
// result type.
//
//===----------------------------------------------------------------------===//

#include "../ImportInternal.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;
using namespace mlir::zo::graph;

static LogicalResult setSingle(NodeContext &nc, FailureOr<Value> r) {
  if (failed(r))
    return failure();
  nc.setResult(0, *r);
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and shape arithmetic
//===----------------------------------------------------------------------===//

static LogicalResult convertConstant(NodeContext &nc) {
  OpBuilder &b = nc.b;
  if (nc.hasAttr("value")) {
    FailureOr<ElementsAttr> attr = nc.attrTensor("value");
    if (failed(attr))
      return failure();
    nc.setResult(0, nc.constant(*attr));
    return success();
  }
  if (const onnx::AttributeProto *a = nc.getAttr("value_float")) {
    auto type = RankedTensorType::get({}, b.getF32Type());
    nc.setResult(0, nc.constant(DenseElementsAttr::get(type, a->f())));
    return success();
  }
  if (const onnx::AttributeProto *a = nc.getAttr("value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    auto type = RankedTensorType::get({(int64_t)v.size()}, b.getF32Type());
    nc.setResult(0, nc.constant(DenseElementsAttr::get(type, ArrayRef(v))));
    return success();
  }
  if (const onnx::AttributeProto *a = nc.getAttr("value_int")) {
    nc.setResult(0, nc.i64Constant({a->i()}, /*scalar=*/true));
    return success();
  }
  if (nc.hasAttr("value_ints")) {
    nc.setResult(0, nc.i64Constant(nc.attrInts("value_ints")));
    return success();
  }
  return nc.error("only value, value_float(s) and value_int(s) constants are "
                  "supported");
}

static LogicalResult convertShape(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  std::optional<int64_t> end;
  if (nc.hasAttr("end"))
    end = nc.attrInt("end", 0);
  IntegerAttr endAttr = end ? nc.b.getI64IntegerAttr(*end) : IntegerAttr();
  return setSingle(nc, nc.create<ShapeOp>(
                           *x, nc.b.getI64IntegerAttr(nc.attrInt("start", 0)),
                           endAttr));
}

static LogicalResult convertSize(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  nc.setResult(0, nc.i64Constant({nc.inputType(0).getNumElements()},
                                 /*scalar=*/true));
  return success();
}

static LogicalResult convertConstantOfShape(NodeContext &nc) {
  FailureOr<SmallVector<int64_t>> shape = nc.constInts(0, "input");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return nc.error("negative dimension in the shape");
  ElementsAttr value;
  if (nc.hasAttr("value")) {
    FailureOr<ElementsAttr> attr = nc.attrTensor("value");
    if (failed(attr))
      return failure();
    value = *attr;
  } else {
    value = DenseElementsAttr::get(
        RankedTensorType::get({1}, nc.b.getF32Type()), 0.0f);
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.getNumElements() != 1)
    return nc.error("value must be a one-element tensor");
  // The op wants a [1] tensor whatever the attribute's rank.
  dense = dense.reshape(RankedTensorType::get({1}, dense.getElementType()));
  auto type = RankedTensorType::get(*shape, dense.getElementType());
  return setSingle(nc, nc.createTyped<ConstantOfShapeOp>(type, nc.input(0),
                                                         dense));
}

static LogicalResult convertRange(NodeContext &nc) {
  FailureOr<SmallVector<double>> start = nc.constFloats(0, "start"),
                                 limit = nc.constFloats(1, "limit"),
                                 delta = nc.constFloats(2, "delta");
  if (failed(start) || failed(limit) || failed(delta))
    return failure();
  if (start->size() != 1 || limit->size() != 1 || delta->size() != 1)
    return nc.error("start, limit and delta must be scalars");
  if ((*delta)[0] == 0)
    return nc.error("delta must not be 0");
  Type elt = nc.inputType(0).getElementType();
  int64_t n;
  if (isa<FloatType>(elt)) {
    n = (int64_t)std::ceil(((*limit)[0] - (*start)[0]) / (*delta)[0]);
  } else {
    // Exact integer ceil-division.
    int64_t s = (int64_t)(*start)[0], l = (int64_t)(*limit)[0],
            d = (int64_t)(*delta)[0];
    int64_t num = l - s;
    n = num / d + ((num % d != 0) && ((num > 0) == (d > 0)) ? 1 : 0);
  }
  n = std::max<int64_t>(n, 0);
  auto type = RankedTensorType::get({n}, elt);
  return setSingle(nc, nc.createTyped<RangeOp>(type, nc.input(0), nc.input(1),
                                               nc.input(2)));
}

//===----------------------------------------------------------------------===//
// Views
//===----------------------------------------------------------------------===//

static LogicalResult convertReshape(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  FailureOr<SmallVector<int64_t>> shape = nc.constInts(1, "shape");
  if (failed(x) || failed(shape))
    return failure();
  RankedTensorType in = nc.inputType(0);
  bool allowZero = nc.attrInt("allowzero", 0) != 0;
  SmallVector<int64_t> dims;
  int64_t inferAt = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*shape)) {
    if (d == 0 && !allowZero) {
      if ((int64_t)i >= in.getRank())
        return nc.error("shape entry " + Twine(i) +
                        " is 0 (copy) but the input has rank " +
                        Twine(in.getRank()));
      d = in.getDimSize(i);
    }
    if (d == -1) {
      if (inferAt >= 0)
        return nc.error("shape has more than one -1");
      inferAt = i;
      dims.push_back(1);
      continue;
    }
    if (d < 0)
      return nc.error("invalid shape entry " + Twine(d));
    dims.push_back(d);
    known *= d;
  }
  int64_t total = in.getNumElements();
  if (inferAt >= 0) {
    if (known == 0 || total % known != 0)
      return nc.error("cannot infer the -1 dimension: " + Twine(total) +
                      " elements do not divide by " + Twine(known));
    dims[inferAt] = total / known;
  }
  return setSingle(nc, nc.createTyped<ReshapeOp>(
                           RankedTensorType::get(dims, in.getElementType()),
                           *x));
}

static LogicalResult convertFlatten(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  int64_t rank = nc.inputType(0).getRank();
  int64_t axis = nc.attrInt("axis", 1);
  if (axis < -rank || axis > rank)
    return nc.error("axis " + Twine(axis) + " is out of range for rank " +
                    Twine(rank));
  if (axis < 0)
    axis += rank;
  return setSingle(nc, nc.create<FlattenOp>(*x, nc.b.getI64IntegerAttr(axis)));
}

/// Squeeze/Unsqueeze axes: an attribute before opset 13, an input after.
static FailureOr<std::optional<SmallVector<int64_t>>>
getAxes(NodeContext &nc, unsigned inputIndex) {
  if (nc.opset < 13 || nc.hasAttr("axes")) {
    if (!nc.hasAttr("axes"))
      return std::optional<SmallVector<int64_t>>();
    return std::optional<SmallVector<int64_t>>(nc.attrInts("axes"));
  }
  if (!nc.input(inputIndex))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> axes = nc.constInts(inputIndex, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

/// Normalizes, sorts and de-duplicates `axes` against `rank`.
static FailureOr<SmallVector<int64_t>>
normalizeAxes(NodeContext &nc, ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> out;
  for (int64_t a : axes) {
    FailureOr<int64_t> n = nc.normalizeAxis(a, rank, "axis");
    if (failed(n))
      return failure();
    out.push_back(*n);
  }
  llvm::sort(out);
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    (void)nc.error("axes contain a duplicate");
    return failure();
  }
  return out;
}

static LogicalResult convertSqueeze(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  auto axes = getAxes(nc, 1);
  if (failed(x) || failed(axes))
    return failure();
  RankedTensorType type = nc.inputType(0);
  SmallVector<int64_t> list;
  if (*axes) {
    FailureOr<SmallVector<int64_t>> n =
        normalizeAxes(nc, **axes, type.getRank());
    if (failed(n))
      return failure();
    list = *n;
  } else {
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.getDimSize(d) == 1)
        list.push_back(d);
  }
  return setSingle(nc, nc.create<SqueezeOp>(
                           *x, nc.b.getDenseI64ArrayAttr(list)));
}

static LogicalResult convertUnsqueeze(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  auto axes = getAxes(nc, 1);
  if (failed(x) || failed(axes))
    return failure();
  if (!*axes)
    return nc.error("missing axes");
  int64_t outRank = nc.inputType(0).getRank() + (*axes)->size();
  FailureOr<SmallVector<int64_t>> list = normalizeAxes(nc, **axes, outRank);
  if (failed(list))
    return failure();
  return setSingle(nc, nc.create<UnsqueezeOp>(
                           *x, nc.b.getDenseI64ArrayAttr(*list)));
}

static LogicalResult convertTranspose(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  int64_t rank = nc.inputType(0).getRank();
  SmallVector<int64_t> perm = nc.attrInts("perm");
  if (!nc.hasAttr("perm"))
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  for (int64_t &p : perm)
    if (p < 0)
      p += rank;
  return setSingle(nc, nc.create<TransposeOp>(
                           *x, nc.b.getDenseI64ArrayAttr(perm)));
}

static LogicalResult convertExpand(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  FailureOr<SmallVector<int64_t>> shape = nc.constInts(1, "shape");
  if (failed(x) || failed(shape))
    return failure();
  RankedTensorType in = nc.inputType(0);
  SmallVector<int64_t> out;
  if (failed(broadcastShapes(in.getShape(), *shape, out)))
    return nc.error("cannot broadcast " + Twine(in.getRank()) +
                    "-D input to the requested shape");
  return setSingle(nc, nc.createTyped<ExpandOp>(
                           RankedTensorType::get(out, in.getElementType()),
                           *x));
}

//===----------------------------------------------------------------------===//
// Indexing, joining and splitting
//===----------------------------------------------------------------------===//

static LogicalResult convertGather(NodeContext &nc) {
  FailureOr<Value> data = nc.requiredInput(0, "data"),
                   idx = nc.requiredInput(1, "indices");
  if (failed(data) || failed(idx))
    return failure();
  FailureOr<int64_t> axis = nc.normalizeAxis(
      nc.attrInt("axis", 0), nc.inputType(0).getRank(), "axis");
  if (failed(axis))
    return failure();
  return setSingle(nc, nc.create<GatherOp>(*data, *idx,
                                           nc.b.getI64IntegerAttr(*axis)));
}

static LogicalResult convertConcat(NodeContext &nc) {
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < nc.getNumInputs(); ++i) {
    FailureOr<Value> v = nc.requiredInput(i, "inputs");
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return nc.error("needs at least one input");
  FailureOr<int64_t> axis = nc.normalizeAxis(
      nc.attrInt("axis", 0), nc.inputType(0).getRank(), "axis");
  if (failed(axis))
    return failure();
  return setSingle(nc, nc.create<ConcatOp>(ValueRange(inputs),
                                           nc.b.getI64IntegerAttr(*axis)));
}

static LogicalResult convertSlice(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  FailureOr<SmallVector<int64_t>> starts = nc.constInts(1, "starts"),
                                  ends = nc.constInts(2, "ends");
  if (failed(x) || failed(starts) || failed(ends))
    return failure();
  RankedTensorType type = nc.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes, steps;
  if (nc.input(3)) {
    FailureOr<SmallVector<int64_t>> a = nc.constInts(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else {
    for (int64_t i = 0; i < (int64_t)starts->size(); ++i)
      axes.push_back(i);
  }
  if (nc.input(4)) {
    FailureOr<SmallVector<int64_t>> s = nc.constInts(4, "steps");
    if (failed(s))
      return failure();
    steps = *s;
  } else {
    steps.assign(starts->size(), 1);
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return nc.error("starts, ends, axes and steps differ in length");

  SmallVector<int64_t> s(rank, 0), e(type.getShape()), st(rank, 1);
  llvm::SmallBitVector seen(rank);
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> axis = nc.normalizeAxis(axes[i], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen.test(*axis))
      return nc.error("axis " + Twine(*axis) + " is sliced twice");
    seen.set(*axis);
    int64_t dim = type.getDimSize(*axis), step = steps[i];
    if (step == 0)
      return nc.error("step must not be 0");
    // ONNX clamping: positive steps clamp to [0, dim], negative ones to
    // [0, dim-1] for the start and [-1, dim-1] for the end.
    auto clamp = [](int64_t v, int64_t lo, int64_t hi) {
      return std::max(lo, std::min(hi, v));
    };
    int64_t start = (*starts)[i], end = (*ends)[i];
    if (start < 0)
      start += dim;
    if (end < 0 && end > std::numeric_limits<int64_t>::min() + dim)
      end += dim;
    else if (end < 0)
      end = -1;
    if (step > 0) {
      start = clamp(start, 0, dim);
      end = clamp(end, 0, dim);
    } else {
      start = clamp(start, 0, dim - 1);
      end = clamp(end, -1, dim - 1);
    }
    s[*axis] = start;
    e[*axis] = end;
    st[*axis] = step;
  }
  return setSingle(nc, nc.create<SliceOp>(*x, nc.b.getDenseI64ArrayAttr(s),
                                          nc.b.getDenseI64ArrayAttr(e),
                                          nc.b.getDenseI64ArrayAttr(st)));
}

/// Split sizes: the `split` attribute before 13, an input from 13; without
/// them, equal parts (Split-18: `num_outputs`, the last part smaller).
static LogicalResult convertSplit(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  RankedTensorType type = nc.inputType(0);
  FailureOr<int64_t> axis =
      nc.normalizeAxis(nc.attrInt("axis", 0), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  int64_t parts = nc.getNumOutputs();
  SmallVector<int64_t> sizes;
  if (nc.hasAttr("split")) {
    sizes = nc.attrInts("split");
  } else if (nc.opset >= 13 && nc.input(1)) {
    FailureOr<SmallVector<int64_t>> s = nc.constInts(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  } else if (nc.opset >= 18) {
    if (!nc.hasAttr("num_outputs"))
      return nc.error("needs either a 'split' input or 'num_outputs'");
    int64_t n = nc.attrInt("num_outputs", parts);
    if (n != parts)
      return nc.error("num_outputs is " + Twine(n) + " but the node has " +
                      Twine(parts) + " outputs");
    int64_t chunk = (dim + n - 1) / n;
    for (int64_t i = 0; i < n; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  } else {
    if (parts == 0 || dim % parts != 0)
      return nc.error("dimension " + Twine(dim) + " does not split into " +
                      Twine(parts) + " equal parts");
    sizes.assign(parts, dim / parts);
  }
  if ((int64_t)sizes.size() != parts)
    return nc.error("split has " + Twine(sizes.size()) +
                    " sizes but the node has " + Twine(parts) + " outputs");
  FailureOr<SmallVector<Value>> r =
      nc.build<SplitOp>(TypeRange(), *x, nc.b.getI64IntegerAttr(*axis),
                        nc.b.getDenseI64ArrayAttr(sizes));
  if (failed(r))
    return failure();
  for (auto [i, v] : llvm::enumerate(*r))
    nc.setResult(i, v);
  return success();
}

static LogicalResult convertTrilu(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "input");
  if (failed(x))
    return failure();
  int64_t k = 0;
  if (nc.input(1)) {
    FailureOr<SmallVector<int64_t>> kv = nc.constInts(1, "k");
    if (failed(kv))
      return failure();
    if (kv->size() != 1)
      return nc.error("k must be a scalar");
    k = kv->front();
  }
  if (nc.inputType(0).getRank() < 2)
    return nc.error("input must have rank >= 2");
  return setSingle(nc, nc.create<TriluOp>(
                           *x, nc.b.getBoolAttr(nc.attrInt("upper", 1) != 0),
                           nc.b.getI64IntegerAttr(k)));
}

/// Pad (constant mode) is slices for negative pads and concatenations with
/// splat constants for positive ones; the graph dialect needs no pad op.
static LogicalResult convertPad(NodeContext &nc) {
  FailureOr<Value> x = nc.requiredInput(0, "data");
  if (failed(x))
    return failure();
  std::string mode = nc.attrString("mode", "constant");
  if (mode != "constant")
    return nc.error("only mode \"constant\" is supported, got \"" + mode +
                    "\"");
  FailureOr<SmallVector<int64_t>> pads = nc.constInts(1, "pads");
  if (failed(pads))
    return failure();
  RankedTensorType type = nc.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes;
  if (nc.input(3)) {
    FailureOr<SmallVector<int64_t>> a = nc.constInts(3, "axes");
    if (failed(a))
      return failure();
    for (int64_t v : *a) {
      FailureOr<int64_t> n = nc.normalizeAxis(v, rank, "axis");
      if (failed(n))
        return failure();
      axes.push_back(*n);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (pads->size() != 2 * axes.size())
    return nc.error("pads has " + Twine(pads->size()) + " entries, expected " +
                    Twine(2 * axes.size()));
  Type elt = type.getElementType();
  Attribute fill = nc.b.getZeroAttr(elt);
  if (Value v = nc.input(2)) {
    DenseElementsAttr c;
    if (!matchPattern(v, m_Constant(&c)) || c.getNumElements() != 1)
      return nc.error("constant_value must be a constant scalar");
    fill = *c.getValues<Attribute>().begin();
  }
  Value cur = *x;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t begin = (*pads)[i], end = (*pads)[i + axes.size()];
    auto curType = cast<RankedTensorType>(cur.getType());
    if (begin < 0 || end < 0) {
      SmallVector<int64_t> s(rank, 0), e(curType.getShape()), st(rank, 1);
      s[axis] = std::max<int64_t>(0, -begin);
      e[axis] = curType.getDimSize(axis) - std::max<int64_t>(0, -end);
      if (e[axis] < s[axis])
        return nc.error("negative pads remove more than the dimension");
      FailureOr<Value> sl = nc.create<SliceOp>(
          cur, nc.b.getDenseI64ArrayAttr(s), nc.b.getDenseI64ArrayAttr(e),
          nc.b.getDenseI64ArrayAttr(st));
      if (failed(sl))
        return failure();
      cur = *sl;
      curType = cast<RankedTensorType>(cur.getType());
    }
    SmallVector<Value> parts;
    auto splat = [&](int64_t n) {
      SmallVector<int64_t> shape(curType.getShape());
      shape[axis] = n;
      return nc.constant(
          DenseElementsAttr::get(RankedTensorType::get(shape, elt), fill));
    };
    if (begin > 0)
      parts.push_back(splat(begin));
    parts.push_back(cur);
    if (end > 0)
      parts.push_back(splat(end));
    if (parts.size() == 1)
      continue;
    FailureOr<Value> c =
        nc.create<ConcatOp>(ValueRange(parts), nc.b.getI64IntegerAttr(axis));
    if (failed(c))
      return failure();
    cur = *c;
  }
  nc.setResult(0, cur);
  return success();
}

/// GatherElements has no graph op. Exporters use it on constant buffers
/// (HF's token_type_ids): a splat buffer gives a splat result, and constant
/// operands are evaluated here.
static LogicalResult convertGatherElements(NodeContext &nc) {
  FailureOr<Value> data = nc.requiredInput(0, "data"),
                   idx = nc.requiredInput(1, "indices");
  if (failed(data) || failed(idx))
    return failure();
  RankedTensorType dataType = nc.inputType(0), idxType = nc.inputType(1);
  FailureOr<int64_t> axis =
      nc.normalizeAxis(nc.attrInt("axis", 0), dataType.getRank(), "axis");
  if (failed(axis))
    return failure();
  if (idxType.getRank() != dataType.getRank())
    return nc.error("indices must have the rank of data");
  auto outType = RankedTensorType::get(idxType.getShape(),
                                       dataType.getElementType());
  DenseElementsAttr dataAttr;
  if (!matchPattern(*data, m_Constant(&dataAttr)))
    return nc.error("only a constant 'data' operand is supported (the graph "
                    "dialect has no gather_elements op)");
  if (dataAttr.isSplat()) {
    nc.setResult(0, nc.constant(DenseElementsAttr::get(
                        outType, dataAttr.getSplatValue<Attribute>())));
    return success();
  }
  std::optional<SmallVector<int64_t>> indices = nc.tryConstInts(*idx);
  if (!indices || outType.getNumElements() > (1 << 16))
    return nc.error("non-splat 'data' needs constant, small 'indices' (the "
                    "graph dialect has no gather_elements op)");
  SmallVector<Attribute> in(dataAttr.getValues<Attribute>());
  ArrayRef<int64_t> dShape = dataType.getShape(), iShape = idxType.getShape();
  SmallVector<Attribute> out;
  SmallVector<int64_t> index(iShape.size());
  for (int64_t k = 0; k < outType.getNumElements(); ++k) {
    int64_t rem = k;
    for (int64_t d = iShape.size() - 1; d >= 0; --d) {
      index[d] = rem % iShape[d];
      rem /= iShape[d];
    }
    int64_t sel = (*indices)[k];
    if (sel < 0)
      sel += dShape[*axis];
    if (sel < 0 || sel >= dShape[*axis])
      return nc.error("index " + Twine((*indices)[k]) + " is out of range");
    int64_t linear = 0;
    for (size_t d = 0; d < dShape.size(); ++d)
      linear = linear * dShape[d] + ((int64_t)d == *axis ? sel : index[d]);
    out.push_back(in[linear]);
  }
  nc.setResult(0, nc.constant(DenseElementsAttr::get(outType, out)));
  return success();
}

void mlir::zo::import::addDataMovementConverters(ConverterTable &t) {
  t["Pad"] = convertPad;
  t["GatherElements"] = convertGatherElements;
  t["Constant"] = convertConstant;
  t["Shape"] = convertShape;
  t["Size"] = convertSize;
  t["ConstantOfShape"] = convertConstantOfShape;
  t["Range"] = convertRange;
  t["Reshape"] = convertReshape;
  t["Flatten"] = convertFlatten;
  t["Squeeze"] = convertSqueeze;
  t["Unsqueeze"] = convertUnsqueeze;
  t["Transpose"] = convertTranspose;
  t["Expand"] = convertExpand;
  t["Gather"] = convertGather;
  t["Concat"] = convertConcat;
  t["Slice"] = convertSlice;
  t["Split"] = convertSplit;
  t["Trilu"] = convertTrilu;
}
