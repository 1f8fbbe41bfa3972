//===- StepLibraryWriter.cpp - LLVM dialect + gpu.binary -> step.so -------===//
//
// Host code is compiled for a generic CPU of the host's architecture: a step
// library is built once and run on GPU machines whose CPUs we do not know,
// and its host code only sequences launches.
//
// The library is linked with -z defs against libZoCudaRuntime.so, so a call
// the runtime does not provide fails here, not at dlopen on the GPU machine.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/CudaStepLibrary.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::zo;
using llvm::Error;

#ifndef ZO_CUDA_RUNTIME_LIBRARY
#define ZO_CUDA_RUNTIME_LIBRARY "libZoCudaRuntime.so"
#endif
#ifndef ZO_CXX_COMPILER
#define ZO_CXX_COMPILER "c++"
#endif

static Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

std::string cuda::getPackedEntryName(llvm::StringRef name) {
  return ("_mlir__mlir_ciface_" + name).str();
}

/// Adds `void _mlir__mlir_ciface_<name>(void **args)`: argument i is loaded
/// from *args[i] (a descriptor pointer, or a scalar's value).
static Error addPackedEntry(llvm::Module &m, llvm::StringRef name) {
  std::string ciface = ("_mlir_ciface_" + name).str();
  llvm::Function *fn = m.getFunction(ciface);
  if (!fn || fn->isDeclaration())
    return fail("the lowered module has no " + ciface +
                " (the entry point of @" + name +
                "; is llvm.emit_c_interface set?)");
  llvm::LLVMContext &ctx = m.getContext();
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrTy}, false);
  auto *packed =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                             cuda::getPackedEntryName(name), m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", packed));
  llvm::SmallVector<llvm::Value *> args;
  for (auto [i, param] : llvm::enumerate(fn->args())) {
    llvm::Value *slot =
        b.CreateConstGEP1_64(ptrTy, packed->getArg(0), i, "slot");
    llvm::Value *addr = b.CreateLoad(ptrTy, slot);
    args.push_back(b.CreateLoad(param.getType(), addr));
  }
  b.CreateCall(fn, args);
  b.CreateRetVoid();
  return Error::success();
}

static void addManifest(llvm::Module &m,
                        llvm::ArrayRef<rt::FunctionSignature> signatures) {
  std::string json;
  llvm::raw_string_ostream os(json);
  os << rt::toJSON(signatures);
  os.flush();
  auto *init = llvm::ConstantDataArray::getString(m.getContext(), json);
  new llvm::GlobalVariable(m, init->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, init,
                           cuda::kManifestSymbol);
}

static Error emitObject(llvm::Module &m, llvm::StringRef path,
                        unsigned optLevel) {
  static bool ready = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)ready;
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return fail("no LLVM target for " + triple.str() + ": " + error);
  auto level = optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : optLevel == 2 ? llvm::CodeGenOptLevel::Default
               : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                               : llvm::CodeGenOptLevel::None;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, "generic", "", llvm::TargetOptions(),
                                  llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm)
    return fail("cannot create a target machine for " + triple.str());
  m.setTargetTriple(triple);
  m.setDataLayout(tm->createDataLayout());
  if (Error err =
          makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, tm.get())(&m))
    return err;

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write " + path + ": " + ec.message());
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out.os(), nullptr,
                              llvm::CodeGenFileType::ObjectFile))
    return fail("the target cannot emit object files");
  pm.run(m);
  out.keep();
  return Error::success();
}

static Error link(llvm::StringRef object, llvm::StringRef output,
                  const cuda::StepLibraryOptions &options) {
  auto fromEnv = [](const char *var, const std::string &given,
                    const char *fallback) {
    if (!given.empty())
      return given;
    const char *env = std::getenv(var);
    return std::string(env && *env ? env : fallback);
  };
  std::string runtime =
      fromEnv("ZO_CUDA_RUNTIME_LIBRARY", options.runtimeLibrary,
              ZO_CUDA_RUNTIME_LIBRARY);
  std::string linker = fromEnv("ZO_CXX", options.linker, ZO_CXX_COMPILER);
  if (!llvm::sys::fs::exists(runtime))
    return fail("the CUDA runtime library " + runtime + " does not exist");
  auto program = llvm::sys::findProgramByName(linker);
  if (!program)
    return fail("cannot find the linker " + linker);
  llvm::SmallString<256> runtimeDir(runtime);
  llvm::sys::path::remove_filename(runtimeDir);
  std::string rpath = ("-Wl,-rpath," + runtimeDir).str();
  llvm::SmallVector<llvm::StringRef> args = {
      *program, "-shared", "-o", output, object, runtime, rpath, "-Wl,-z,defs"};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return fail("linking " + output + " with " + *program + " failed" +
                (message.empty() ? "" : ": " + message));
  return Error::success();
}

LogicalResult
cuda::lowerHostToLLVM(ModuleOp module,
                      llvm::ArrayRef<rt::FunctionSignature> signatures,
                      std::string &error) {
  MLIRContext *ctx = module.getContext();
  for (const rt::FunctionSignature &sig : signatures) {
    auto fn = module.lookupSymbol<func::FuncOp>(sig.name);
    if (!fn || fn.isExternal()) {
      error = "the module has no function @" + sig.name + " with a body";
      return failure();
    }
    fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(ctx));
  }
  // The host tail of upstream's gpu-lower-to-nvvm-pipeline, for host code
  // that only sequences launches, copies and GEMM calls.
  PassManager pm(ctx);
  OpPassManager &fn = pm.nest<func::FuncOp>();
  fn.addPass(createSCFToControlFlowPass());
  fn.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  llvm::raw_string_ostream os(error);
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  if (failed(pm.run(module))) {
    error = "lowering the host code to LLVM failed:\n" + error;
    return failure();
  }
  return success();
}

Error cuda::writeStepLibrary(ModuleOp module,
                             llvm::ArrayRef<rt::FunctionSignature> signatures,
                             llvm::StringRef outputPath,
                             const StepLibraryOptions &options) {
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  module->getContext()->appendDialectRegistry(registry);
  if (!module.getOps<func::FuncOp>().empty()) {
    std::string error;
    if (failed(lowerHostToLLVM(module, signatures, error)))
      return fail(error);
  }

  std::string diagnostics;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  {
    llvm::raw_string_ostream os(diagnostics);
    ScopedDiagnosticHandler handler(module->getContext(), [&](Diagnostic &d) {
      os << d.getLocation() << ": " << d << "\n";
      return success();
    });
    llvmModule = translateModuleToLLVMIR(module, llvmContext, "zo_step");
  }
  if (!llvmModule)
    return fail("translation to LLVM IR failed (is the module fully lowered "
                "to the LLVM dialect and gpu.binary?):\n" +
                diagnostics);
  for (const rt::FunctionSignature &sig : signatures)
    if (Error err = addPackedEntry(*llvmModule, sig.name))
      return err;
  addManifest(*llvmModule, signatures);

  if (options.output == StepOutput::LLVMIR) {
    std::error_code ec;
    llvm::ToolOutputFile out(outputPath, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write " + outputPath + ": " + ec.message());
    llvmModule->print(out.os(), nullptr);
    out.keep();
    return Error::success();
  }
  if (options.output == StepOutput::Object)
    return emitObject(*llvmModule, outputPath, options.optLevel);

  llvm::SmallString<128> object;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("zo-step", "o", object))
    return fail("cannot create a temporary object file: " + ec.message());
  llvm::FileRemover removeObject(object);
  if (Error err = emitObject(*llvmModule, object, options.optLevel))
    return err;
  return link(object, outputPath, options);
}
