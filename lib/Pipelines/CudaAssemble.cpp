//===- CudaAssemble.cpp - PTX out, cubin via the toolkit's ptxas ----------===//
//
// gpu-module-to-binary format=isa makes PTX in-process (LLVM's NVPTX back
// end, no CUDA needed). Upstream's NVVM serializer always looks for
// libdevice in the toolkit and reports an error when it is missing, even
// though it carries on; our kernels call no libdevice function
// (zo-cuda-libdevice-to-intrinsics made sure), so this pass runs it with those
// two messages dropped: a machine without CUDA gets PTX and no false error.
// Then, on the resulting gpu.binary ops:
// - writes their PTX to a file (dump-ptx), for ptxas -v in tests or for a
//   look at what a kernel became;
// - for format=cubin, runs the toolkit's ptxas on that PTX for the target's
//   chip and puts the cubin in the gpu.binary in place of the PTX. ptxas is
//   $CUDA_PATH/bin/ptxas if CUDA_PATH is set, else /usr/local/cuda/bin/ptxas;
//   if it is missing, one error says where it was looked for.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {

/// Where ptxas is expected (it may not exist).
std::string getPtxasPath() {
  SmallString<256> path;
  if (std::optional<std::string> cudaPath =
          llvm::sys::Process::GetEnv("CUDA_PATH"))
    path = *cudaPath;
  else
    path = "/usr/local/cuda";
  llvm::sys::path::append(path, "bin", "ptxas");
  return std::string(path);
}

/// Runs ptxas on `ptx` for `chip`; the cubin bytes, or failure after an
/// error at `loc` (not on the op: its printout would repeat all the PTX).
FailureOr<std::string> runPtxas(Location loc, StringRef ptx, StringRef chip) {
  std::string ptxas = getPtxasPath();
  if (!llvm::sys::fs::can_execute(ptxas)) {
    emitError(loc) << "zo-cuda: format=cubin needs the CUDA toolkit's ptxas, "
                      "not found at '"
                   << ptxas << "' (set CUDA_PATH to the toolkit)";
    return failure();
  }
  SmallString<128> ptxFile, cubinFile, logFile;
  if (llvm::sys::fs::createTemporaryFile("zo-kernels", "ptx", ptxFile) ||
      llvm::sys::fs::createTemporaryFile("zo-kernels", "cubin", cubinFile) ||
      llvm::sys::fs::createTemporaryFile("zo-ptxas", "log", logFile)) {
    emitError(loc) << "zo-cuda: cannot create temporary files for ptxas";
    return failure();
  }
  llvm::FileRemover removePtx(ptxFile), removeCubin(cubinFile),
      removeLog(logFile);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(ptxFile, ec);
    if (ec) {
      emitError(loc) << "zo-cuda: cannot write " << ptxFile << ": "
                     << ec.message();
      return failure();
    }
    os << ptx;
  }
  std::string arch = ("-arch=" + chip).str();
  SmallVector<StringRef> args{ptxas, arch, "-O3", ptxFile, "-o", cubinFile};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile),
                                          StringRef(logFile)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &message);
  if (rc != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logFile))
      log = (*buffer)->getBuffer().trim().str();
    emitError(loc) << "zo-cuda: ptxas failed (" << arch
                   << "): " << (log.empty() ? message : log);
    return failure();
  }
  auto cubin = llvm::MemoryBuffer::getFile(cubinFile, /*IsText=*/false);
  if (!cubin) {
    emitError(loc) << "zo-cuda: ptxas wrote no cubin";
    return failure();
  }
  return (*cubin)->getBuffer().str();
}

struct CudaAssemblePass
    : PassWrapper<CudaAssemblePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaAssemblePass)

  CudaAssemblePass() = default;
  CudaAssemblePass(const CudaAssemblePass &other) : PassWrapper(other) {}
  CudaAssemblePass(StringRef formatValue, StringRef dumpValue) {
    format = formatValue.str();
    dumpPtx = dumpValue.str();
  }

  StringRef getArgument() const override { return "zo-cuda-assemble"; }
  // gpu-module-to-binary, which runs just before in the pipeline, translates
  // the kernels to LLVM IR: the pass manager registers these translations
  // for the whole pipeline from here (zo-opt does not register them all).
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<gpu::GPUDialect, NVVM::NVVMDialect>();
    registerBuiltinDialectTranslation(registry);
    registerGPUDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    registerNVVMDialectTranslation(registry);
  }
  StringRef getDescription() const override {
    return "Serialize gpu.modules to PTX (gpu-module-to-binary without the "
           "libdevice search), write it to a file and/or replace it by the "
           "cubin of the toolkit's ptxas";
  }
  void runOnOperation() override {
    {
      OpPassManager toBinary(ModuleOp::getOperationName());
      GpuModuleToBinaryPassOptions options;
      options.compilationTarget = "isa";
      toBinary.addPass(createGpuModuleToBinaryPass(options));
      ScopedDiagnosticHandler dropLibdeviceSearch(
          &getContext(), [](Diagnostic &diag) {
            std::string message = diag.str();
            StringRef text(message);
            return success(text.starts_with("CUDA path: ") ||
                           text.starts_with("LibDevice path: "));
          });
      if (failed(runPipeline(toBinary, getOperation())))
        return signalPassFailure();
    }
    if (format != "isa" && format != "cubin") {
      emitError(getOperation().getLoc())
          << "zo-cuda: unknown format '" << format << "' (expected isa or "
          << "cubin)";
      return signalPassFailure();
    }
    SmallVector<gpu::BinaryOp> binaries(getOperation().getOps<gpu::BinaryOp>());
    std::string allPtx;
    for (gpu::BinaryOp binary : binaries) {
      SmallVector<Attribute> objects;
      for (Attribute attr : binary.getObjects()) {
        auto object = cast<gpu::ObjectAttr>(attr);
        if (object.getFormat() != gpu::CompilationTarget::Assembly) {
          objects.push_back(object);
          continue;
        }
        StringRef ptx = object.getObject().getValue();
        allPtx += ptx.str();
        if (format != "cubin") {
          objects.push_back(object);
          continue;
        }
        auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
        if (!target) {
          emitError(binary.getLoc()) << "zo-cuda: not an NVVM target";
          return signalPassFailure();
        }
        FailureOr<std::string> cubin =
            runPtxas(binary.getLoc(), ptx, target.getChip());
        if (failed(cubin))
          return signalPassFailure();
        objects.push_back(gpu::ObjectAttr::get(
            &getContext(), target, gpu::CompilationTarget::Binary,
            StringAttr::get(&getContext(), *cubin), object.getProperties(),
            object.getKernels()));
      }
      binary.setObjectsAttr(ArrayAttr::get(&getContext(), objects));
    }
    if (dumpPtx.empty())
      return;
    if (binaries.size() > 1) {
      emitError(getOperation().getLoc())
          << "zo-cuda: dump-ptx needs one gpu.binary, found "
          << binaries.size();
      return signalPassFailure();
    }
    std::error_code ec;
    llvm::ToolOutputFile out(dumpPtx, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      emitError(getOperation().getLoc())
          << "zo-cuda: cannot write '" << dumpPtx << "': " << ec.message();
      return signalPassFailure();
    }
    out.os() << allPtx;
    out.keep();
  }

  Option<std::string> format{
      *this, "format", llvm::cl::desc("isa (keep the PTX) or cubin (ptxas)"),
      llvm::cl::init("isa")};
  Option<std::string> dumpPtx{*this, "dump-ptx",
                              llvm::cl::desc("Write the PTX to this file"),
                              llvm::cl::init("")};
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaAssemblePass(StringRef format,
                                                       StringRef dumpPtx) {
  return std::make_unique<CudaAssemblePass>(format, dumpPtx);
}
