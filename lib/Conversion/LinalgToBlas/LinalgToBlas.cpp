//===- LinalgToBlas.cpp - matmuls on buffers as BLAS runtime calls --------===//
//
// linalg.matmul / linalg.batch_matmul on memrefs become calls of the runtime's
// GEMM shims. Transposed operands (from indexing maps) become memref.transpose
// views: the runtime reads the strides and picks CblasTrans itself, so one
// entry point serves every layout.
//
//===----------------------------------------------------------------------===//

#include "zo/Conversion/LinalgToBlas.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// How one GEMM operand is read: the dims of its memref, in (rows, cols)
/// order of the math, possibly swapped (a transposed operand).
struct OperandLayout {
  bool transposed = false;
};

/// Matches the indexing maps of a (batch) matmul. `batch` is 0 or 1 leading
/// parallel dims. Loop order of linalg: [batch..., m, n, k]. Returns the
/// layouts of A and B, or failure for any map we do not know (broadcasts etc.).
FailureOr<std::pair<OperandLayout, OperandLayout>>
matchGemmMaps(linalg::LinalgOp op, unsigned batch) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3)
    return failure();
  MLIRContext *ctx = op.getContext();
  unsigned nLoops = batch + 3;
  auto dims = [&](ArrayRef<unsigned> ds) {
    SmallVector<AffineExpr> exprs;
    for (unsigned b = 0; b < batch; ++b)
      exprs.push_back(getAffineDimExpr(b, ctx));
    for (unsigned d : ds)
      exprs.push_back(getAffineDimExpr(batch + d, ctx));
    return AffineMap::get(nLoops, 0, exprs, ctx);
  };
  enum { M = 0, N = 1, K = 2 };
  if (maps[2] != dims({M, N}))
    return failure();
  OperandLayout a, b;
  if (maps[0] == dims({K, M}))
    a.transposed = true;
  else if (maps[0] != dims({M, K}))
    return failure();
  if (maps[1] == dims({N, K}))
    b.transposed = true;
  else if (maps[1] != dims({K, N}))
    return failure();
  return std::make_pair(a, b);
}

/// The buffer a view is carved from.
Value getRootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// Finds a `linalg.fill 0` into exactly `out` that nothing between it and
/// `gemm` can observe, so the GEMM may overwrite instead of accumulate.
linalg::FillOp findZeroFill(Operation *gemm, Value out) {
  Value root = getRootBuffer(out);
  // Only a local allocation cannot alias a function argument behind our back.
  bool local =
      isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(root.getDefiningOp());
  for (Operation *prev = gemm->getPrevNode(); prev;
       prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      if (fill.hasPureBufferSemantics() &&
          fill.getDpsInitOperand(0)->get() == out &&
          matchPattern(fill.getDpsInputOperand(0)->get(), m_AnyZeroFloat()))
        return fill;
    }
    if (isMemoryEffectFree(prev) ||
        isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp>(prev))
      continue;
    if (!local)
      return nullptr;
    bool touches = llvm::any_of(prev->getOperands(), [&](Value v) {
      return isa<MemRefType>(v.getType()) && getRootBuffer(v) == root;
    });
    // Regions might touch the buffer through captured values.
    if (touches || prev->getNumRegions() != 0)
      return nullptr;
  }
  return nullptr;
}

/// Returns the private declaration of `name`, creating it on first use.
func::FuncOp getOrDeclareShim(PatternRewriter &rewriter, ModuleOp module,
                              StringRef name, FunctionType type) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(module.getBody());
  auto fn = func::FuncOp::create(rewriter, module.getLoc(), name, type);
  fn.setPrivate();
  fn->setAttr("llvm.emit_c_interface", rewriter.getUnitAttr());
  return fn;
}

/// A memref type of the same shape rank with fully dynamic sizes, strides
/// and offset: every GEMM operand is cast to it so one declaration fits all.
MemRefType getErasedType(MemRefType t) {
  SmallVector<int64_t> shape(t.getRank(), ShapedType::kDynamic);
  SmallVector<int64_t> strides(t.getRank(), ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(t.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(shape, t.getElementType(), layout, t.getMemorySpace());
}

template <typename OpTy, unsigned Batch>
struct GemmToBlasCall : OpRewritePattern<OpTy> {
  GemmToBlasCall(MLIRContext *ctx, StringRef prefix)
      : OpRewritePattern<OpTy>(ctx), prefix(prefix.str()) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
    if (!linalgOp.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "needs buffer semantics");
    Value a = linalgOp.getDpsInputOperand(0)->get();
    Value b = linalgOp.getDpsInputOperand(1)->get();
    Value c = linalgOp.getDpsInitOperand(0)->get();
    auto cType = cast<MemRefType>(c.getType());
    Type elt = cType.getElementType();
    if (!elt.isF32() && !elt.isF64() && !elt.isBF16())
      return rewriter.notifyMatchFailure(op, "only f32/f64/bf16 GEMMs");
    if (cast<MemRefType>(a.getType()).getElementType() != elt ||
        cast<MemRefType>(b.getType()).getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "mixed element types");
    if (cType.getMemorySpace())
      return rewriter.notifyMatchFailure(op, "non-default memory space");
    FailureOr<std::pair<OperandLayout, OperandLayout>> layouts =
        matchGemmMaps(linalgOp, Batch);
    if (failed(layouts))
      return rewriter.notifyMatchFailure(op, "unsupported indexing maps");

    auto module = op->template getParentOfType<ModuleOp>();
    if (!module)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();

    // A transposed operand becomes a view with swapped strides.
    auto view = [&](Value v, bool transposed) -> Value {
      if (transposed) {
        SmallVector<unsigned> perm;
        for (unsigned i = 0; i < Batch; ++i)
          perm.push_back(i);
        perm.push_back(Batch + 1);
        perm.push_back(Batch);
        auto map = AffineMap::getPermutationMap(perm, ctx);
        v = memref::TransposeOp::create(rewriter, loc, v,
                                        AffineMapAttr::get(map));
      }
      auto type = cast<MemRefType>(v.getType());
      return memref::CastOp::create(rewriter, loc, getErasedType(type), v);
    };

    double betaValue = 1.0;
    if (linalg::FillOp fill = findZeroFill(op, c)) {
      rewriter.eraseOp(fill);
      betaValue = 0.0;
    }
    Value av = view(a, layouts->first.transposed);
    Value bv = view(b, layouts->second.transposed);
    Value cv = view(c, false);
    // bf16 GEMMs accumulate in f32: beta is an f32 scalar.
    Type betaType = elt.isBF16() ? rewriter.getF32Type() : elt;
    Value beta = arith::ConstantOp::create(
        rewriter, loc, FloatAttr::get(betaType, betaValue));

    StringRef suffix =
        elt.isF32()   ? (Batch ? zo::kSgemmBatchedSuffix : zo::kSgemmSuffix)
        : elt.isF64() ? (Batch ? zo::kDgemmBatchedSuffix : zo::kDgemmSuffix)
                      : (Batch ? zo::kBf16GemmBatchedSuffix
                               : zo::kBf16GemmSuffix);
    std::string name = prefix + suffix.str();
    auto fnType = FunctionType::get(
        ctx, {av.getType(), bv.getType(), cv.getType(), betaType}, {});
    func::FuncOp fn = getOrDeclareShim(rewriter, module, name, fnType);
    rewriter.replaceOpWithNewOp<func::CallOp>(op, fn,
                                              ValueRange{av, bv, cv, beta});
    return success();
  }

  std::string prefix;
};

struct LinalgToBlasPass
    : PassWrapper<LinalgToBlasPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(LinalgToBlasPass)

  LinalgToBlasPass() = default;
  LinalgToBlasPass(const LinalgToBlasPass &other) : PassWrapper(other) {}
  explicit LinalgToBlasPass(StringRef prefixValue) {
    prefix = prefixValue.str();
  }

  StringRef getArgument() const override { return "zo-linalg-to-blas"; }
  StringRef getDescription() const override {
    return "Rewrite bufferized f32/f64/bf16 linalg.matmul and linalg.batch_matmul "
           "into calls of the runtime's BLAS GEMM shims";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect,
                    memref::MemRefDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    zo::populateLinalgToBlasPatterns(patterns, prefix);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }

  Option<std::string> prefix{
      *this, "prefix",
      llvm::cl::desc("Name prefix of the GEMM entry points: zo_rt_ (CPU "
                     "BLAS) or zo_cuda_ (cuBLAS, device pointers)"),
      llvm::cl::init(zo::kCpuGemmPrefix.str())};
};

} // namespace

void zo::populateLinalgToBlasPatterns(RewritePatternSet &patterns,
                                      StringRef prefix) {
  patterns.add<GemmToBlasCall<linalg::MatmulOp, 0>,
               GemmToBlasCall<linalg::BatchMatmulOp, 1>>(patterns.getContext(),
                                                         prefix);
}

std::unique_ptr<Pass> zo::createLinalgToBlasPass(StringRef prefix) {
  return std::make_unique<LinalgToBlasPass>(prefix);
}

void zo::registerLinalgToBlasPass() { PassRegistration<LinalgToBlasPass>(); }
