//===- CudaLibdeviceToIntrinsics.cpp - math without libdevice -------------===//
//
// convert-gpu-to-nvvm lowers every math op (and the LLVM intrinsics for
// sqrt, floor, fabs, ...) to calls of libdevice's __nv_* functions. Linking
// libdevice needs the CUDA toolkit, and its sqrt follows __nvvm_reflect's
// defaults (an approximate square root). The f32/f64 functions that are
// plain IEEE operations are turned back into LLVM intrinsics here, which
// NVPTX selects as correctly rounded instructions (sqrt.rn, rcp.rn + the
// division, fma.rn, cvt.rmi, abs): PTX without the toolkit, results as on
// the CPU. zo-approximate-math has already expanded everything else (exp,
// log, erf, tanh, ...) into arithmetic; a call that is left is an error
// naming the function.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace {

enum class Intrinsic {
  None,
  Sqrt,
  Rsqrt,
  Fma,
  Floor,
  Ceil,
  Fabs,
  Trunc,
  Round,
  RoundEven,
  CopySign,
  Fmin,
  Fmax
};

/// The IEEE operation behind a libdevice function (f32 names end in 'f').
Intrinsic classify(StringRef name) {
  if (!name.consume_front("__nv_"))
    return Intrinsic::None;
  auto lookup = [](StringRef base) {
    return llvm::StringSwitch<Intrinsic>(base)
        .Case("sqrt", Intrinsic::Sqrt)
        .Case("rsqrt", Intrinsic::Rsqrt)
        .Case("fma", Intrinsic::Fma)
        .Case("floor", Intrinsic::Floor)
        .Case("ceil", Intrinsic::Ceil)
        .Case("fabs", Intrinsic::Fabs)
        .Case("trunc", Intrinsic::Trunc)
        .Case("round", Intrinsic::Round)
        .Case("rint", Intrinsic::RoundEven)
        .Case("copysign", Intrinsic::CopySign)
        .Case("fmin", Intrinsic::Fmin)
        .Case("fmax", Intrinsic::Fmax)
        .Default(Intrinsic::None);
  };
  Intrinsic kind = lookup(name);
  if (kind == Intrinsic::None && name.consume_back("f"))
    kind = lookup(name);
  return kind;
}

Value buildIntrinsic(OpBuilder &b, Location loc, Intrinsic kind,
                     ValueRange args) {
  Type type = args[0].getType();
  switch (kind) {
  case Intrinsic::Sqrt:
    return LLVM::SqrtOp::create(b, loc, type, args[0]);
  case Intrinsic::Rsqrt: {
    // As MLIR's math-to-llvm does on the CPU: 1 / sqrt(x).
    Value root = LLVM::SqrtOp::create(b, loc, type, args[0]);
    Value one = LLVM::ConstantOp::create(b, loc, type, b.getFloatAttr(type, 1));
    return LLVM::FDivOp::create(b, loc, one, root);
  }
  case Intrinsic::Fma:
    return LLVM::FMAOp::create(b, loc, args[0], args[1], args[2]);
  case Intrinsic::Floor:
    return LLVM::FFloorOp::create(b, loc, type, args[0]);
  case Intrinsic::Ceil:
    return LLVM::FCeilOp::create(b, loc, type, args[0]);
  case Intrinsic::Fabs:
    return LLVM::FAbsOp::create(b, loc, type, args[0]);
  case Intrinsic::Trunc:
    return LLVM::FTruncOp::create(b, loc, type, args[0]);
  case Intrinsic::Round:
    return LLVM::RoundOp::create(b, loc, type, args[0]);
  case Intrinsic::RoundEven:
    return LLVM::RoundEvenOp::create(b, loc, type, args[0]);
  case Intrinsic::CopySign:
    return LLVM::CopySignOp::create(b, loc, args[0], args[1]);
  case Intrinsic::Fmin:
    return LLVM::MinNumOp::create(b, loc, args[0], args[1]);
  case Intrinsic::Fmax:
    return LLVM::MaxNumOp::create(b, loc, args[0], args[1]);
  case Intrinsic::None:
    break;
  }
  llvm_unreachable("not an intrinsic");
}

struct CudaLibdeviceToIntrinsicsPass
    : PassWrapper<CudaLibdeviceToIntrinsicsPass,
                  OperationPass<gpu::GPUModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaLibdeviceToIntrinsicsPass)

  StringRef getArgument() const override {
    return "zo-cuda-libdevice-to-intrinsics";
  }
  StringRef getDescription() const override {
    return "Replace libdevice calls that are IEEE operations (sqrt, fma, "
           "floor, ...) by LLVM intrinsics; fail on any other";
  }
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    bool failedCall = false;
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (!callee || !callee->starts_with("__nv_"))
        return;
      Intrinsic kind = classify(*callee);
      if (kind == Intrinsic::None) {
        call.emitError() << "zo-cuda: kernel needs libdevice function '"
                         << *callee << "' (not expanded into arithmetic)";
        failedCall = true;
        return;
      }
      OpBuilder b(call);
      Value result =
          buildIntrinsic(b, call.getLoc(), kind, call.getArgOperands());
      call.getResult().replaceAllUsesWith(result);
      call.erase();
    });
    if (failedCall)
      return signalPassFailure();
    for (auto fn :
         llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>()))
      if (fn.isExternal() && fn.getName().starts_with("__nv_") &&
          SymbolTable::symbolKnownUseEmpty(fn, module))
        fn.erase();
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaLibdeviceToIntrinsicsPass() {
  return std::make_unique<CudaLibdeviceToIntrinsicsPass>();
}
