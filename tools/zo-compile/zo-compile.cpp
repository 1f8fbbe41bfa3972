//===- zo-compile.cpp - compile a module into a CUDA step library ---------===//
//
//   zo-compile model.mlir \
//       --prepare='builtin.module(zo-train-pipeline{step=zo-zeroth-order})' \
//       --pass-pipeline='builtin.module(zo-cuda-lowering)' -o step.so
//   zo-compile lowered.mlir --manifest m.json -o step.so
//
// Signatures (names, roles, shapes) are read from the tensor-level module
// (after --prepare) before --pass-pipeline erases them, or from --manifest
// for an input that is already lowered; they are embedded in the library.
// Host code still in func/gpu form is lowered to LLVM by the packaging.
//
//===----------------------------------------------------------------------===//

#include "zo/InitAll.h"
#include "zo/Runtime/CudaStepLibrary.h"
#include "zo/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<input .mlir>"));
static cl::opt<std::string> outputFilename("o", cl::Required,
                                           cl::desc("Output file"),
                                           cl::value_desc("step.so"));
static cl::opt<std::string>
    passPipeline("pass-pipeline", cl::init(""),
                 cl::desc("Textual pipeline run before packaging, e.g. "
                          "'builtin.module(zo-cuda-lowering)'"));
static cl::opt<std::string>
    preparePipeline("prepare", cl::init(""),
                    cl::desc("Textual pipeline run before the signatures are "
                             "read, e.g. 'builtin.module(zo-train-pipeline)' "
                             "on an imported graph"));
static cl::opt<std::string>
    manifestPath("manifest", cl::init(""),
                 cl::desc("Signatures of an already lowered input (JSON)"));
static cl::opt<std::string>
    writeManifestPath("write-manifest", cl::init(""),
                      cl::desc("Also write the manifest to this file"));
static cl::opt<zo::cuda::StepOutput> emit(
    "emit", cl::init(zo::cuda::StepOutput::SharedLibrary),
    cl::desc("What to write"),
    cl::values(clEnumValN(zo::cuda::StepOutput::SharedLibrary, "library",
                          "a shared library linked against libZoCudaRuntime"),
               clEnumValN(zo::cuda::StepOutput::Object, "object",
                          "the host object file"),
               clEnumValN(zo::cuda::StepOutput::LLVMIR, "llvm-ir",
                          "the host LLVM IR (with the embedded GPU binary)")));
static cl::opt<unsigned> optLevel("O", cl::init(2),
                                  cl::desc("Host code optimization level"));

static int failWith(const llvm::Twine &msg) {
  llvm::errs() << "zo-compile: error: " << msg << "\n";
  return 1;
}

static llvm::Expected<std::vector<zo::rt::FunctionSignature>>
readManifest(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read " + path);
  auto json = llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return json.takeError();
  return zo::rt::parseManifest(*json);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  DialectRegistry registry;
  zo::registerAllDialects(registry);
  zo::registerAllPasses();
  cl::ParseCommandLineOptions(
      argc, argv, "zo-compile: lowered module -> CUDA step library\n");

  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFilename, sourceMgr, &context);
  if (!module)
    return 1;

  auto run = [&](llvm::StringRef pipeline, llvm::StringRef flag) {
    // "builtin.module(a,b)" or "a,b": both run on the module itself (added to
    // a module pass manager, the anchored form would nest one level down).
    pipeline = pipeline.trim();
    if (pipeline.consume_front("builtin.module(") &&
        !pipeline.consume_back(")"))
      return failWith("unbalanced --" + flag);
    PassManager pm(&context);
    if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
      return failWith("cannot parse --" + flag);
    if (failed(pm.run(*module)))
      return failWith("the --" + flag + " pipeline failed");
    return 0;
  };
  if (!preparePipeline.empty())
    if (int rc = run(preparePipeline, "prepare"))
      return rc;

  std::vector<zo::rt::FunctionSignature> signatures;
  if (!manifestPath.empty()) {
    auto sigs = readManifest(manifestPath);
    if (!sigs)
      return failWith(manifestPath + ": " + llvm::toString(sigs.takeError()));
    signatures = std::move(*sigs);
  } else {
    auto sigs = zo::rt::getSignatures(*module);
    if (!sigs)
      return failWith(llvm::toString(sigs.takeError()) +
                      " (an already lowered input needs --manifest)");
    signatures = std::move(*sigs);
    if (signatures.empty())
      return failWith(inputFilename +
                      " has no public function to read signatures from; an "
                      "already lowered input needs --manifest");
  }

  if (!passPipeline.empty())
    if (int rc = run(passPipeline, "pass-pipeline"))
      return rc;

  zo::cuda::StepLibraryOptions options;
  options.output = emit;
  options.optLevel = optLevel;
  if (llvm::Error err = zo::cuda::writeStepLibrary(*module, signatures,
                                                   outputFilename, options))
    return failWith(llvm::toString(std::move(err)));

  if (!writeManifestPath.empty()) {
    std::error_code ec;
    llvm::ToolOutputFile out(writeManifestPath, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return failWith("cannot write " + writeManifestPath + ": " +
                      ec.message());
    out.os() << zo::rt::toJSON(signatures) << "\n";
    out.keep();
  }
  return 0;
}
