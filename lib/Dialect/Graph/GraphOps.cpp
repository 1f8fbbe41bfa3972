//===- GraphOps.cpp - graph dialect: types, inference, verifiers ----------===//
//
// Result-type inference and verifiers of the graph ops. Folders live in
// GraphFolds.cpp, canonicalization patterns in GraphCanonicalize.cpp.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::zo::graph;

#include "zo/Dialect/Graph/GraphOpsDialect.cpp.inc"

void GraphDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "zo/Dialect/Graph/GraphOps.cpp.inc"
      >();
}

Operation *GraphDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type || !isa<RankedTensorType>(type))
    return nullptr;
  return ConstantOp::create(builder, loc, typed);
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

LogicalResult mlir::zo::graph::broadcastShapes(ArrayRef<int64_t> lhs,
                                               ArrayRef<int64_t> rhs,
                                               SmallVectorImpl<int64_t> &out) {
  size_t rank = std::max(lhs.size(), rhs.size());
  out.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == r || r == 1)
      out[i] = l;
    else if (l == 1)
      out[i] = r;
    else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r))
      out[i] = ShapedType::kDynamic;
    else
      return failure();
  }
  return success();
}

bool mlir::zo::graph::isComparison(Operation *op) {
  return isa<EqualOp, LessOp, LessOrEqualOp, GreaterOp, GreaterOrEqualOp>(op);
}

static LogicalResult emitOptionalError(std::optional<Location> loc,
                                       const Twine &message) {
  if (loc)
    return emitError(*loc) << message;
  return failure();
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Normalizes a possibly negative axis against `rank`; failure if out of range.
static FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return failure();
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Constants and shape computation
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  if (!isa<ElementsAttr>(getValue()))
    return emitOpError("value must be an elements attribute");
  return success();
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  int64_t rank = rankedType(adaptor.getInput()).getRank();
  auto clampDim = [&](int64_t d) {
    if (d < 0)
      d += rank;
    return std::clamp<int64_t>(d, 0, rank);
  };
  int64_t start = clampDim(adaptor.getStart());
  int64_t end = adaptor.getEnd() ? clampDim(*adaptor.getEnd()) : rank;
  types.push_back(RankedTensorType::get({std::max<int64_t>(0, end - start)},
                                        IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  auto resultType = cast<RankedTensorType>(getType());
  if (resultType.getRank() != getShape().getType().getDimSize(0))
    return emitOpError("result rank ")
           << resultType.getRank() << " does not match the shape operand's "
           << getShape().getType().getDimSize(0) << " entries";
  auto value = dyn_cast<ElementsAttr>(getValue());
  if (!value || value.getNumElements() != 1 ||
      value.getElementType() != resultType.getElementType())
    return emitOpError("value must be a one-element tensor of the result "
                       "element type");
  return success();
}

LogicalResult RangeOp::verify() {
  for (Value v : {getStart(), getLimit(), getDelta()})
    if (rankedType(v).getRank() != 0 ||
        rankedType(v).getElementType() != getType().getElementType())
      return emitOpError("start, limit and delta must be scalars of the "
                         "result element type");
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << getApproximate() << "\"";
  if (!isa<FloatType>(getType().getElementType()))
    return emitOpError("needs a floating-point tensor");
  return success();
}

/// Shared inference of the broadcasting binary ops.
static LogicalResult inferBinary(Operation *opForKind, StringRef name,
                                 std::optional<Location> loc, Value lhs,
                                 Value rhs, bool isCompare,
                                 SmallVectorImpl<Type> &types) {
  (void)opForKind;
  RankedTensorType l = rankedType(lhs), r = rankedType(rhs);
  if (l.getElementType() != r.getElementType())
    return emitOptionalError(loc, Twine(name) + ": operand element types " +
                                      "differ");
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(l.getShape(), r.getShape(), shape)))
    return emitOptionalError(loc, Twine(name) +
                                      ": operand shapes are not broadcastable");
  Type elt = isCompare ? IntegerType::get(lhs.getContext(), 1)
                       : l.getElementType();
  types.push_back(RankedTensorType::get(shape, elt));
  return success();
}

#define ZO_BINARY_INFER(OP, NAME, COMPARE)                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,\
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferBinary(nullptr, NAME, loc, adaptor.getLhs(), adaptor.getRhs(), \
                       COMPARE, types);                                        \
  }
ZO_BINARY_INFER(AddOp, "graph.add", false)
ZO_BINARY_INFER(SubOp, "graph.sub", false)
ZO_BINARY_INFER(MulOp, "graph.mul", false)
ZO_BINARY_INFER(DivOp, "graph.div", false)
ZO_BINARY_INFER(PowOp, "graph.pow", false)
ZO_BINARY_INFER(MaxOp, "graph.max", false)
ZO_BINARY_INFER(MinOp, "graph.min", false)
ZO_BINARY_INFER(AndOp, "graph.and", false)
ZO_BINARY_INFER(OrOp, "graph.or", false)
ZO_BINARY_INFER(EqualOp, "graph.equal", true)
ZO_BINARY_INFER(LessOp, "graph.less", true)
ZO_BINARY_INFER(LessOrEqualOp, "graph.less_equal", true)
ZO_BINARY_INFER(GreaterOp, "graph.greater", true)
ZO_BINARY_INFER(GreaterOrEqualOp, "graph.greater_equal", true)
#undef ZO_BINARY_INFER

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType c = rankedType(adaptor.getCondition());
  if (!c.getElementType().isInteger(1))
    return emitOptionalError(loc, "graph.where: condition must be i1");
  RankedTensorType l = rankedType(adaptor.getLhs()),
                   r = rankedType(adaptor.getRhs());
  if (l.getElementType() != r.getElementType())
    return emitOptionalError(loc, "graph.where: branch element types differ");
  SmallVector<int64_t> s1, s2;
  if (failed(broadcastShapes(c.getShape(), l.getShape(), s1)) ||
      failed(broadcastShapes(s1, r.getShape(), s2)))
    return emitOptionalError(loc,
                             "graph.where: operand shapes are not broadcastable");
  types.push_back(RankedTensorType::get(s2, l.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType a = rankedType(adaptor.getLhs()),
                   b = rankedType(adaptor.getRhs());
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "graph.matmul: operand element types differ");
  if (a.getRank() == 0 || b.getRank() == 0)
    return emitOptionalError(loc, "graph.matmul: operands must not be scalars");
  // 1-D operands are promoted (prepend / append a 1) and the added dimension
  // removed from the result, as numpy does.
  SmallVector<int64_t> as(a.getShape()), bs(b.getShape());
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec)
    as.insert(as.begin(), 1);
  if (bVec)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], k = as.back();
  int64_t k2 = bs[bs.size() - 2], n = bs.back();
  if (k != k2 && !ShapedType::isDynamic(k) && !ShapedType::isDynamic(k2))
    return emitOptionalError(loc, "graph.matmul: contraction sizes differ (" +
                                      Twine(k) + " vs " + Twine(k2) + ")");
  SmallVector<int64_t> batch;
  if (failed(broadcastShapes(ArrayRef(as).drop_back(2),
                             ArrayRef(bs).drop_back(2), batch)))
    return emitOptionalError(loc,
                             "graph.matmul: batch dimensions not broadcastable");
  SmallVector<int64_t> shape(batch);
  if (!aVec)
    shape.push_back(m);
  if (!bVec)
    shape.push_back(n);
  types.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType a = rankedType(adaptor.getA()), b = rankedType(adaptor.getB());
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t k = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (k != k2)
    return emitOptionalError(loc, "graph.gemm: contraction sizes differ (" +
                                      Twine(k) + " vs " + Twine(k2) + ")");
  if (Value c = adaptor.getC()) {
    SmallVector<int64_t> out;
    if (failed(broadcastShapes({m, n}, rankedType(c).getShape(), out)) ||
        out.size() != 2 || out[0] != m || out[1] != n)
      return emitOptionalError(loc,
                               "graph.gemm: C does not broadcast to [M, N]");
  }
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " out of range for rank " << rank
           << " (axes are normalized to be non-negative)";
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}
LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}

/// The scale (and bias) of a normalization must broadcast onto the normalized
/// trailing dimensions.
static LogicalResult verifyNormParams(Operation *op, RankedTensorType x,
                                      int64_t axis, ValueRange params) {
  if (failed(verifyAxis(op, axis, x.getRank())))
    return failure();
  ArrayRef<int64_t> normShape = x.getShape().drop_front(axis);
  for (Value p : params) {
    RankedTensorType pt = rankedType(p);
    SmallVector<int64_t> out;
    if (pt.getElementType() != x.getElementType() ||
        pt.getRank() > (int64_t)normShape.size() ||
        failed(broadcastShapes(normShape, pt.getShape(), out)) ||
        ArrayRef<int64_t>(out) != normShape)
      return op->emitOpError("scale/bias of type ")
             << pt << " does not broadcast onto the normalized dimensions of "
             << x;
  }
  return success();
}

/// A per-row statistic of `input` over the dimensions `first..last`: its
/// shape with those dimensions 1, in the precision statistics are computed
/// in (f32 for narrower floats).
static RankedTensorType rowStatisticType(RankedTensorType input, int64_t first,
                                         int64_t last) {
  SmallVector<int64_t> shape(input.getShape());
  for (int64_t d = std::max<int64_t>(first, 0);
       d <= std::min<int64_t>(last, input.getRank() - 1); ++d)
    shape[d] = 1;
  Type elt = input.getElementType();
  if (auto f = dyn_cast<FloatType>(elt); f && f.getWidth() < 32)
    elt = Float32Type::get(input.getContext());
  return RankedTensorType::get(shape, elt);
}

SmallVector<Type, 2> LayerNormOp::getStatsTypes(RankedTensorType input,
                                                int64_t axis) {
  RankedTensorType type = rowStatisticType(input, axis, input.getRank() - 1);
  return {type, type};
}

LogicalResult LayerNormOp::verify() {
  SmallVector<Value> params{getScale()};
  if (getBias())
    params.push_back(getBias());
  if (failed(verifyNormParams(*this, getInput().getType(), getAxis(), params)))
    return failure();
  if (getStats().empty())
    return success();
  SmallVector<Type, 2> want =
      getStatsTypes(getInput().getType(), getAxis());
  if (TypeRange(getStats().getTypes()) != TypeRange(want))
    return emitOpError("statistics (mean, inv_std_dev) must be two results "
                       "of type ")
           << want[0] << ", got " << getStats().size() << " of types "
           << getStats().getTypes();
  return success();
}

SmallVector<Type, 2> RmsNormOp::getStatsTypes(RankedTensorType input,
                                              int64_t axis) {
  return {rowStatisticType(input, axis, input.getRank() - 1)};
}

LogicalResult RmsNormOp::verify() {
  if (failed(verifyNormParams(*this, getInput().getType(), getAxis(),
                              {getScale()})))
    return failure();
  if (getStats().empty())
    return success();
  SmallVector<Type, 2> want = getStatsTypes(getInput().getType(), getAxis());
  if (TypeRange(getStats().getTypes()) != TypeRange(want))
    return emitOpError("statistics (inv_rms) must be one result of type ")
           << want[0] << ", got " << getStats().size() << " of types "
           << getStats().getTypes();
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

static LogicalResult inferReduce(StringRef name, std::optional<Location> loc,
                                 Value input, ArrayRef<int64_t> axes,
                                 bool keepdims, SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(input);
  llvm::SmallBitVector reduced(t.getRank(), axes.empty());
  int64_t prev = -1;
  for (int64_t a : axes) {
    if (a < 0 || a >= t.getRank() || a <= prev)
      return emitOptionalError(loc, Twine(name) + ": axes must be sorted, "
                                        "unique and in [0, rank)");
    reduced.set(a);
    prev = a;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    if (!reduced.test(d))
      shape.push_back(t.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

#define ZO_REDUCE_INFER(OP, NAME)                                              \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,\
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferReduce(NAME, loc, adaptor.getInput(), adaptor.getAxes(),       \
                       adaptor.getKeepdims(), types);                          \
  }
ZO_REDUCE_INFER(ReduceSumOp, "graph.reduce_sum")
ZO_REDUCE_INFER(ReduceMeanOp, "graph.reduce_mean")
ZO_REDUCE_INFER(ReduceMaxOp, "graph.reduce_max")
ZO_REDUCE_INFER(ReduceMinOp, "graph.reduce_min")
ZO_REDUCE_INFER(ReduceProdOp, "graph.reduce_prod")
#undef ZO_REDUCE_INFER

LogicalResult CumSumOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if ((int64_t)perm.size() != t.getRank())
    return emitOptionalError(loc, "graph.transpose: perm has " +
                                      Twine(perm.size()) + " entries for rank " +
                                      Twine(t.getRank()));
  llvm::SmallBitVector seen(t.getRank());
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= t.getRank() || seen.test(p))
      return emitOptionalError(loc, "graph.transpose: perm is not a "
                                    "permutation");
    seen.set(p);
    shape.push_back(t.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType in = getInput().getType();
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ")
           << in.getElementType() << " to " << out.getElementType();
  if (in.hasStaticShape() && in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << in << " (" << in.getNumElements() << " elements) to " << out
           << " (" << out.getNumElements() << " elements)";
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0)
    axis += t.getRank();
  if (axis < 0 || axis > t.getRank())
    return emitOptionalError(loc, "graph.flatten: axis out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < t.getRank(); ++d)
    (d < axis ? outer : inner) *= t.getDimSize(d);
  types.push_back(RankedTensorType::get({outer, inner}, t.getElementType()));
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  llvm::SmallBitVector drop(t.getRank());
  for (int64_t a : adaptor.getAxes()) {
    FailureOr<int64_t> axis = normalizeAxis(a, t.getRank());
    if (failed(axis) || t.getDimSize(*axis) != 1)
      return emitOptionalError(loc, "graph.squeeze: axis " + Twine(a) +
                                        " is not a size-1 dimension");
    drop.set(*axis);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (!drop.test(d))
      shape.push_back(t.getDimSize(d));
  types.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  int64_t outRank = t.getRank() + adaptor.getAxes().size();
  llvm::SmallBitVector inserted(outRank);
  for (int64_t a : adaptor.getAxes()) {
    FailureOr<int64_t> axis = normalizeAxis(a, outRank);
    if (failed(axis) || inserted.test(*axis))
      return emitOptionalError(loc, "graph.unsqueeze: bad axis " + Twine(a));
    inserted.set(*axis);
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(inserted.test(d) ? 1 : t.getDimSize(next++));
  types.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

LogicalResult ExpandOp::verify() {
  RankedTensorType in = getInput().getType();
  auto out = cast<RankedTensorType>(getType());
  SmallVector<int64_t> shape;
  if (in.getElementType() != out.getElementType() ||
      failed(broadcastShapes(in.getShape(), out.getShape(), shape)) ||
      ArrayRef<int64_t>(shape) != out.getShape())
    return emitOpError("cannot broadcast ") << in << " to " << out;
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType idx = rankedType(adaptor.getIndices());
  FailureOr<int64_t> axis = normalizeAxis(adaptor.getAxis(), data.getRank());
  if (failed(axis))
    return emitOptionalError(loc, "graph.gather: axis out of range");
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, idx.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult ScatterAddOp::verify() {
  RankedTensorType data = rankedType(getData());
  RankedTensorType idx = rankedType(getIndices());
  RankedTensorType updates = rankedType(getUpdates());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), data.getRank());
  if (failed(axis))
    return emitOpError("axis ") << static_cast<int64_t>(getAxis())
                                << " is out of range for rank "
                                << data.getRank();
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, idx.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  auto expected = RankedTensorType::get(shape, data.getElementType());
  if (updates != expected)
    return emitOpError("updates must be ")
           << expected << " (gather's result type), got " << updates;
  // Constant indices are checked here, as the importer checks Gather's;
  // at run time an index out of range is skipped.
  DenseIntElementsAttr constant;
  if (!data.isDynamicDim(*axis) &&
      matchPattern(getIndices(), m_Constant(&constant))) {
    int64_t rows = data.getDimSize(*axis);
    for (const APInt &v : constant.getValues<APInt>()) {
      int64_t i = v.getSExtValue();
      if (i < -rows || i >= rows)
        return emitOpError("index ")
               << i << " is out of range for " << rows << " rows";
    }
  }
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "graph.concat: needs at least one input");
  RankedTensorType first = rankedType(inputs.front());
  FailureOr<int64_t> axis = normalizeAxis(adaptor.getAxis(), first.getRank());
  if (failed(axis))
    return emitOptionalError(loc, "graph.concat: axis out of range");
  SmallVector<int64_t> shape(first.getShape());
  shape[*axis] = 0;
  for (Value v : inputs) {
    RankedTensorType t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "graph.concat: inputs differ in rank or "
                                    "element type");
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != *axis && t.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "graph.concat: inputs differ in "
                                      "dimension " + Twine(d));
    shape[*axis] += t.getDimSize(*axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  if ((int64_t)starts.size() != t.getRank() ||
      (int64_t)ends.size() != t.getRank() ||
      (int64_t)steps.size() != t.getRank())
    return emitOptionalError(loc, "graph.slice: starts/ends/steps need one "
                                  "entry per dimension");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    int64_t dim = t.getDimSize(d), s = starts[d], e = ends[d], st = steps[d];
    if (st == 0)
      return emitOptionalError(loc, "graph.slice: step must not be 0");
    bool ok = st > 0 ? (s >= 0 && s <= dim && e >= 0 && e <= dim)
                     : (s >= -1 && s <= dim - 1 && e >= -1 && e <= dim - 1);
    if (!ok)
      return emitOptionalError(loc, "graph.slice: bounds of dimension " +
                                        Twine(d) + " are not normalized");
    int64_t n = st > 0 ? (e - s + st - 1) / st : (s - e + (-st) - 1) / (-st);
    shape.push_back(std::max<int64_t>(0, n));
  }
  types.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType t = rankedType(adaptor.getInput());
  FailureOr<int64_t> axis = normalizeAxis(adaptor.getAxis(), t.getRank());
  if (failed(axis))
    return emitOptionalError(loc, "graph.split: axis out of range");
  int64_t total = 0;
  for (int64_t size : adaptor.getSizes()) {
    if (size < 0)
      return emitOptionalError(loc, "graph.split: negative size");
    SmallVector<int64_t> shape(t.getShape());
    shape[*axis] = size;
    types.push_back(RankedTensorType::get(shape, t.getElementType()));
    total += size;
  }
  if (total != t.getDimSize(*axis))
    return emitOptionalError(loc, "graph.split: sizes add up to " +
                                      Twine(total) + ", not to the dimension " +
                                      Twine(t.getDimSize(*axis)));
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

static LogicalResult inferLoss(StringRef name, std::optional<Location> loc,
                               Value scores, Value labels, StringRef reduction,
                               SmallVectorImpl<Type> &types) {
  RankedTensorType s = rankedType(scores), l = rankedType(labels);
  if (s.getRank() < 2 || l.getRank() != s.getRank() - 1)
    return emitOptionalError(loc, Twine(name) + ": scores must be [N, C, ...] "
                                        "and labels [N, ...]");
  SmallVector<int64_t> perSample{s.getDimSize(0)};
  llvm::append_range(perSample, s.getShape().drop_front(2));
  if (ArrayRef<int64_t>(perSample) != l.getShape())
    return emitOptionalError(loc, Twine(name) + ": labels shape does not "
                                        "match scores");
  if (reduction == "none")
    types.push_back(RankedTensorType::get(perSample, s.getElementType()));
  else if (reduction == "mean" || reduction == "sum")
    types.push_back(RankedTensorType::get({}, s.getElementType()));
  else
    return emitOptionalError(loc, Twine(name) + ": unknown reduction '" +
                                      reduction + "'");
  return success();
}

LogicalResult SoftmaxCrossEntropyLossOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferLoss("graph.softmax_cross_entropy_loss", loc, adaptor.getScores(),
                   adaptor.getLabels(), adaptor.getReduction(), types);
}

LogicalResult NegativeLogLikelihoodLossOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferLoss("graph.nll_loss", loc, adaptor.getInput(),
                   adaptor.getTarget(), adaptor.getReduction(), types);
}

static LogicalResult verifyLossWeights(Operation *op, Value scores,
                                       Value weights) {
  if (!weights)
    return success();
  RankedTensorType w = rankedType(weights);
  if (w.getRank() != 1 || w.getDimSize(0) != rankedType(scores).getDimSize(1))
    return op->emitOpError("weights must be a [C] vector");
  return success();
}

RankedTensorType
SoftmaxCrossEntropyLossOp::getLogSumExpType(RankedTensorType scores) {
  return rowStatisticType(scores, 1, 1);
}

// The inferred type is the loss's; log_sum_exp, when present, is checked
// by the verifier.
bool SoftmaxCrossEntropyLossOp::isCompatibleReturnTypes(TypeRange inferred,
                                                        TypeRange actual) {
  return !actual.empty() && inferred.size() == 1 &&
         inferred.front() == actual.front();
}

LogicalResult SoftmaxCrossEntropyLossOp::verify() {
  if (failed(verifyLossWeights(*this, getScores(), getWeights())))
    return failure();
  if (getLogSumExp().empty())
    return success();
  RankedTensorType want = getLogSumExpType(rankedType(getScores()));
  if (getLogSumExp().size() != 1 || getLogSumExp()[0].getType() != want)
    return emitOpError("log_sum_exp must be one result of type ")
           << want << ", got " << getLogSumExp().size() << " of types "
           << getLogSumExp().getTypes();
  return success();
}
LogicalResult NegativeLogLikelihoodLossOp::verify() {
  return verifyLossWeights(*this, getInput(), getWeights());
}

#define GET_OP_CLASSES
#include "zo/Dialect/Graph/GraphOps.cpp.inc"
