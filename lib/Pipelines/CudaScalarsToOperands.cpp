//===- CudaScalarsToOperands.cpp - scalars read inside the kernels --------===//
//
// A step reads per-step scalars (seed, learning rate) and computed scalars
// (the projected gradient) with `tensor.extract` at function level; the
// value is then captured by the linalg.generic bodies that use it. On the
// CPU that is a load in host code, which a GPU step cannot do: the buffers
// live in device memory. So each such extract becomes a rank-0 input operand
// of every generic that uses it (a non-rank-0 source is first sliced to its
// one element), and scalar arithmetic on the value done at function level is
// recomputed inside the body. Bufferized and lowered to loops, the load then
// sits in the loop body, hence in the kernel. Tensors are values, so reading
// later than the extract did cannot see a different element.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

/// A tensor.extract outside every linalg op.
bool isHostExtract(Operation *op) {
  return isa<tensor::ExtractOp>(op) && !op->getParentOfType<linalg::LinalgOp>();
}

/// Whether `v` is computed at function level from a host extract by pure,
/// region-free ops (so it can be recomputed inside a body).
bool dependsOnHostExtract(Value v, DenseMap<Value, bool> &memo) {
  auto it = memo.find(v);
  if (it != memo.end())
    return it->second;
  memo[v] = false;
  Operation *def = v.getDefiningOp();
  bool result = false;
  if (def && isHostExtract(def)) {
    result = true;
  } else if (def && def->getNumRegions() == 0 && isPure(def) &&
             !def->hasTrait<OpTrait::ConstantLike>()) {
    result = llvm::any_of(def->getOperands(), [&](Value operand) {
      return dependsOnHostExtract(operand, memo);
    });
  }
  memo[v] = result;
  return result;
}

/// The rank-0 tensor holding the element `extract` reads.
Value getScalarTensor(OpBuilder &b, tensor::ExtractOp extract) {
  Value source = extract.getTensor();
  auto type = cast<RankedTensorType>(source.getType());
  if (type.getRank() == 0)
    return source;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (Value index : extract.getIndices()) {
    offsets.push_back(getAsOpFoldResult(index));
    sizes.push_back(b.getIndexAttr(1));
    strides.push_back(b.getIndexAttr(1));
  }
  Location loc = extract.getLoc();
  auto sliceType = RankedTensorType::get(
      SmallVector<int64_t>(type.getRank(), 1), type.getElementType());
  Value slice = tensor::ExtractSliceOp::create(b, loc, sliceType, source,
                                               offsets, sizes, strides);
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({}, type.getElementType()), slice,
      ArrayRef<ReassociationIndices>{});
}

/// Rebuilds `generic` with `extracts` as extra rank-0 inputs; the body reads
/// the scalars from the new block arguments and recomputes the function-level
/// arithmetic on them that it captured.
void addScalarOperands(linalg::GenericOp generic,
                       ArrayRef<tensor::ExtractOp> extracts,
                       DenseMap<Value, bool> &memo) {
  OpBuilder b(generic);
  MLIRContext *ctx = generic.getContext();
  unsigned numLoops = generic.getNumLoops();
  SmallVector<Value> inputs(generic.getDpsInputs());
  SmallVector<AffineMap> maps;
  for (OpOperand *operand : generic.getDpsInputOperands())
    maps.push_back(generic.getMatchingIndexingMap(operand));
  for (tensor::ExtractOp extract : extracts) {
    inputs.push_back(getScalarTensor(b, extract));
    maps.push_back(AffineMap::get(numLoops, 0, {}, ctx));
  }
  for (OpOperand &operand : generic.getDpsInitsMutable())
    maps.push_back(generic.getMatchingIndexingMap(&operand));

  auto newGeneric = linalg::GenericOp::create(
      b, generic.getLoc(), generic.getResultTypes(), inputs,
      generic.getDpsInits(), maps, generic.getIteratorTypesArray());
  newGeneric->setDiscardableAttrs(generic->getDiscardableAttrDictionary());
  newGeneric.getRegion().takeBody(generic.getRegion());
  Block &body = newGeneric.getRegion().front();
  unsigned firstNew = generic.getNumDpsInputs();
  IRMapping mapping;
  for (auto [i, constExtract] : llvm::enumerate(extracts)) {
    tensor::ExtractOp extract = constExtract;
    Type elt = extract.getType();
    mapping.map(extract.getResult(),
                body.insertArgument(firstNew + i, elt, extract.getLoc()));
  }

  // Recompute captured function-level arithmetic on the scalars in the body.
  OpBuilder inner = OpBuilder::atBlockBegin(&body);
  std::function<Value(Value)> materialize = [&](Value v) -> Value {
    if (Value mapped = mapping.lookupOrNull(v))
      return mapped;
    Operation *def = v.getDefiningOp();
    for (Value operand : def->getOperands())
      if (dependsOnHostExtract(operand, memo))
        materialize(operand);
    Operation *clone = inner.clone(*def, mapping);
    return clone->getResult(cast<OpResult>(v).getResultNumber());
  };
  newGeneric.getRegion().walk([&](Operation *op) {
    for (OpOperand &operand : op->getOpOperands()) {
      Value v = operand.get();
      if (newGeneric.getRegion().isAncestor(v.getParentRegion()))
        continue;
      if (dependsOnHostExtract(v, memo))
        operand.set(materialize(v));
    }
  });
  generic.replaceAllUsesWith(newGeneric.getResults());
  generic.erase();
}

struct CudaScalarsToOperandsPass
    : PassWrapper<CudaScalarsToOperandsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaScalarsToOperandsPass)

  StringRef getArgument() const override {
    return "zo-cuda-scalars-to-operands";
  }
  StringRef getDescription() const override {
    return "Make function-level tensor.extract values used in linalg.generic "
           "bodies rank-0 input operands of those generics";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect, tensor::TensorDialect>();
  }
  void runOnOperation() override {
    DenseMap<Value, bool> memo;
    // Generics (outside other linalg ops) that capture an extracted scalar,
    // with the extracts they depend on, in program order.
    llvm::MapVector<Operation *, llvm::SetVector<Operation *>> users;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (generic->getParentOfType<linalg::LinalgOp>())
        return;
      generic.getRegion().walk([&](Operation *op) {
        for (Value v : op->getOperands()) {
          if (generic.getRegion().isAncestor(v.getParentRegion()) ||
              !dependsOnHostExtract(v, memo))
            continue;
          // Collect the extracts at the roots of v's computation.
          SmallVector<Value> worklist{v};
          while (!worklist.empty()) {
            Value w = worklist.pop_back_val();
            Operation *def = w.getDefiningOp();
            if (isHostExtract(def)) {
              users[generic].insert(def);
              continue;
            }
            for (Value operand : def->getOperands())
              if (dependsOnHostExtract(operand, memo))
                worklist.push_back(operand);
          }
        }
      });
    });
    for (auto &[generic, extracts] : users) {
      SmallVector<tensor::ExtractOp> ops;
      for (Operation *op : extracts)
        ops.push_back(cast<tensor::ExtractOp>(op));
      addScalarOperands(cast<linalg::GenericOp>(generic), ops, memo);
    }
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaScalarsToOperandsPass() {
  return std::make_unique<CudaScalarsToOperandsPass>();
}
