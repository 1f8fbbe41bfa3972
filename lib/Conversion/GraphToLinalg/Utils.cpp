//===- Utils.cpp - shared helpers of the graph -> linalg patterns ---------===//

#include "Utils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"

#include <limits>

using namespace mlir;
using namespace mlir::zo;

Value lowering::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value lowering::filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                             Value value) {
  Value empty = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

AffineMap lowering::broadcastMap(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                                 MLIRContext *ctx) {
  int64_t offset = out.size() - in.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(in)) {
    int64_t d = i + offset;
    exprs.push_back(size == 1 && out[d] != 1 ? getAffineConstantExpr(0, ctx)
                                             : getAffineDimExpr(d, ctx));
  }
  return AffineMap::get(out.size(), 0, exprs, ctx);
}

SmallVector<utils::IteratorType> lowering::parallelIterators(int64_t n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

Value lowering::elementwise(OpBuilder &b, Location loc,
                            RankedTensorType resultType, ValueRange inputs,
                            BodyBuilder body) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(tensorType(in).getShape(), shape, ctx));
  maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));
  Value init = emptyTensor(b, loc, resultType);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
      parallelIterators(shape.size()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

Type lowering::accumulatorType(Type elementType) {
  if (auto ft = dyn_cast<FloatType>(elementType))
    if (ft.getWidth() < 32)
      return Float32Type::get(elementType.getContext());
  return elementType;
}

Value lowering::convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.isIndex() || to.isIndex())
    return arith::IndexCastOp::create(b, loc, to, v);
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (toInt && toInt.getWidth() == 1) {
    // ONNX: anything non-zero (NaN included) is true.
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   scalarConstant(b, loc, from, 0.0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 scalarConstant(b, loc, from, 0.0));
  }
  bool fromBool = fromInt && fromInt.getWidth() == 1;
  if (fromInt && toInt) {
    if (fromInt.getWidth() < toInt.getWidth())
      return fromBool ? arith::ExtUIOp::create(b, loc, to, v).getResult()
                      : arith::ExtSIOp::create(b, loc, to, v).getResult();
    return arith::TruncIOp::create(b, loc, to, v);
  }
  if (fromInt && toFloat)
    return fromBool ? arith::UIToFPOp::create(b, loc, to, v).getResult()
                    : arith::SIToFPOp::create(b, loc, to, v).getResult();
  if (fromFloat && toInt)
    return arith::FPToSIOp::create(b, loc, to, v);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, v);
    return arith::TruncFOp::create(b, loc, to, v);
  }
  llvm_unreachable("convertScalar: unsupported type pair");
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type,
                               double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, (int64_t)value);
  return arith::ConstantOp::create(b, loc,
                                   b.getIntegerAttr(type, (int64_t)value));
}

static Value extremeValue(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = width == 1 ? (lowest ? APInt(1, 0) : APInt(1, 1))
                       : (lowest ? APInt::getSignedMinValue(width)
                                 : APInt::getSignedMaxValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

Value lowering::lowestValue(OpBuilder &b, Location loc, Type type) {
  return extremeValue(b, loc, type, /*lowest=*/true);
}
Value lowering::highestValue(OpBuilder &b, Location loc, Type type) {
  return extremeValue(b, loc, type, /*lowest=*/false);
}

Value lowering::reshapeTo(OpBuilder &b, Location loc, Value v,
                          RankedTensorType to) {
  RankedTensorType from = tensorType(v);
  if (from == to)
    return v;
  if (to.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, to, v,
                                           ArrayRef<ReassociationIndices>{});
  if (from.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, to, v,
                                         ArrayRef<ReassociationIndices>{});
  if (from.getRank() > to.getRank()) {
    if (auto re = getReassociationIndicesForCollapse(from.getShape(),
                                                     to.getShape()))
      return tensor::CollapseShapeOp::create(b, loc, to, v, *re);
  } else if (from.getRank() < to.getRank()) {
    if (auto re = getReassociationIndicesForCollapse(to.getShape(),
                                                     from.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, to, v, *re);
  }
  // Not a pure collapse or expand (e.g. 2x6 -> 3x4): go through 1-D, which
  // stays a view of the same buffer after bufferization.
  auto flat = RankedTensorType::get({from.getNumElements()},
                                    from.getElementType());
  Value collapsed = v;
  if (from.getRank() != 1) {
    SmallVector<ReassociationIndices> all{
        llvm::to_vector(llvm::seq<int64_t>(0, from.getRank()))};
    collapsed = tensor::CollapseShapeOp::create(b, loc, flat, v, all);
  }
  if (to.getRank() == 1)
    return collapsed;
  SmallVector<ReassociationIndices> all{
      llvm::to_vector(llvm::seq<int64_t>(0, to.getRank()))};
  return tensor::ExpandShapeOp::create(b, loc, to, collapsed, all);
}

Value lowering::extractScalar(OpBuilder &b, Location loc, Value rank0) {
  return tensor::ExtractOp::create(b, loc, rank0, ValueRange{});
}

AffineMap lowering::projectionMap(int64_t rank, ArrayRef<bool> keep,
                                  MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (keep[d])
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

SmallVector<int64_t> lowering::dropDims(ArrayRef<int64_t> shape,
                                        ArrayRef<bool> drop) {
  SmallVector<int64_t> out;
  for (auto [d, size] : llvm::enumerate(shape))
    if (!drop[d])
      out.push_back(size);
  return out;
}

LogicalResult lowering::checkStatic(Operation *op, PatternRewriter &rewriter) {
  auto isStatic = [](Type t) {
    auto rt = dyn_cast<RankedTensorType>(t);
    return rt && rt.hasStaticShape();
  };
  if (!llvm::all_of(op->getOperandTypes(), isStatic) ||
      !llvm::all_of(op->getResultTypes(), isStatic))
    return rewriter.notifyMatchFailure(op, "needs static shapes");
  return success();
}

Value lowering::parallelGeneric(OpBuilder &b, Location loc,
                                RankedTensorType resultType, ValueRange inputs,
                                ArrayRef<AffineMap> inputMaps,
                                BodyBuilder body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  Value init = emptyTensor(b, loc, resultType);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value lowering::reduction(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          ArrayRef<bool> reduced, ValueRange inputs,
                          ArrayRef<AffineMap> inputMaps, Value init,
                          BodyBuilder body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  SmallVector<bool> keep;
  SmallVector<utils::IteratorType> iterators;
  for (bool r : reduced) {
    keep.push_back(!r);
    iterators.push_back(r ? utils::IteratorType::reduction
                          : utils::IteratorType::parallel);
  }
  auto resultType =
      RankedTensorType::get(dropDims(shape, reduced), init.getType());
  Value acc = filledTensor(b, loc, resultType, init);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(projectionMap(rank, keep, ctx));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{acc}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return generic.getResult(0);
}

LogicalResult lowering::unsupported(Operation *op, const Twine &why) {
  op->emitError() << "cannot lower '" << op->getName() << "' to linalg: "
                  << why;
  return failure();
}
