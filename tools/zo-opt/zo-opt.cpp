//===- zo-opt.cpp - the zo-opt driver -------------------------------------===//
//
// mlir-opt conventions over the zo dialects, passes and pipelines. An input
// ending in .onnx or .onnxtext is imported first (see docs/importer.md); the
// module then goes through the usual MlirOptMain processing.
//
//===----------------------------------------------------------------------===//

#include "zo/Import/ImportCLOptions.h"
#include "zo/Import/OnnxImporter.h"
#include "zo/InitAll.h"
#include "zo/Pipelines/Pipelines.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::opt<std::string> compileTo(
    "zo-compile-to",
    llvm::cl::desc("Compile the input up to a stage and print it: graph "
                   "(specialized graph IR), linalg, llvm (CPU). Passes given "
                   "on the command line run afterwards."),
    llvm::cl::value_desc("stage"), llvm::cl::init(""));

/// Separates the models of an .onnxtext file under --split-input-file ('#'
/// starts an ONNX text comment, so this marker is valid ONNX text).
static constexpr llvm::StringLiteral kOnnxTextSplitMarker = "# -----";

/// Splits ONNX text at lines holding only the split marker.
static SmallVector<std::string> splitOnnxText(StringRef text) {
  SmallVector<std::string> chunks(1);
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    if (line.trim() == kOnnxTextSplitMarker) {
      chunks.emplace_back();
      continue;
    }
    chunks.back() += line.str() + "\n";
  }
  return chunks;
}

/// Puts the `--zo-compile-to` stage in front of the passes given on the
/// command line.
static LogicalResult addCompileStage(MlirOptMainConfig &config) {
  if (compileTo.empty())
    return success();
  std::optional<zo::Stage> stage = zo::parseStage(compileTo);
  if (!stage) {
    llvm::errs() << "zo-opt: error: unknown --zo-compile-to stage '"
                 << compileTo << "' (expected graph, linalg or llvm)\n";
    return failure();
  }
  MlirOptMainConfig userPasses = config;
  config.setPassPipelineSetupFn([stage, userPasses](PassManager &pm) {
    zo::buildCompilePipeline(pm, *stage);
    return userPasses.setupPassPipeline(pm);
  });
  return success();
}

/// Runs MlirOptMain on an MLIR input with the compile stage added.
static LogicalResult runOnMlirInput(StringRef inputFilename,
                                    StringRef outputFilename,
                                    DialectRegistry &registry) {
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (failed(addCompileStage(config)))
    return failure();
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << errorMessage << "\n";
    return failure();
  }
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return failure();
  }
  if (failed(MlirOptMain(output->os(), std::move(file), registry, config)))
    return failure();
  output->keep();
  return success();
}

/// Imports the ONNX input and runs MlirOptMain on the result. The output file
/// is created only once the import has succeeded.
static LogicalResult runOnOnnxInput(int argc, char **argv,
                                    StringRef inputFilename,
                                    StringRef outputFilename,
                                    DialectRegistry &registry) {
  llvm::InitLLVM initLLVM(argc, argv);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (failed(addCompileStage(config)))
    return failure();

  zo::ImportOptions opts;
  std::string optError;
  if (failed(zo::getImportOptionsFromCL(opts, optError))) {
    llvm::errs() << "zo-opt: error: " << optError << "\n";
    return failure();
  }

  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    llvm::errs() << zo::formatImportDiagnostic(diag, inputFilename) << "\n";
    return success();
  });

  std::unique_ptr<llvm::MemoryBuffer> buffer;
  bool split = !config.inputSplitMarker().empty() &&
               inputFilename.ends_with(".onnxtext");
  if (split) {
    // Each model is imported on its own and printed as MLIR text (with its
    // locations), so that MlirOptMain splits and processes them as usual.
    std::string errorMessage;
    auto file = openInputFile(inputFilename, &errorMessage);
    if (!file) {
      llvm::errs() << errorMessage << "\n";
      return failure();
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    bool anyFailed = false, first = true;
    for (const std::string &chunk : splitOnnxText(file->getBuffer())) {
      FailureOr<OwningOpRef<ModuleOp>> module =
          zo::importOnnxText(chunk, inputFilename, ctx, opts);
      if (failed(module)) {
        anyFailed = true;
        continue;
      }
      if (!first)
        os << "\n" << config.inputSplitMarker() << "\n";
      first = false;
      (*module)->print(os, OpPrintingFlags().enableDebugInfo(
                               /*enable=*/true, /*prettyForm=*/false));
    }
    if (anyFailed)
      return failure();
    buffer = llvm::MemoryBuffer::getMemBufferCopy(text, inputFilename);
  } else {
    FailureOr<OwningOpRef<ModuleOp>> module =
        zo::importOnnxFile(inputFilename, ctx, opts);
    if (failed(module))
      return failure();
    // Bytecode keeps locations and weight blobs exactly and costs no
    // re-parsing of large dense_resource hex.
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    if (failed(writeBytecodeToFile(module->get(), os))) {
      llvm::errs() << inputFilename << ": error: cannot serialize the "
                   << "imported module\n";
      return failure();
    }
    buffer = llvm::MemoryBuffer::getMemBufferCopy(bytes, inputFilename);
  }

  std::string errorMessage;
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return failure();
  }
  if (failed(MlirOptMain(output->os(), std::move(buffer), registry, config)))
    return failure();
  output->keep();
  return success();
}

int main(int argc, char **argv) {
  DialectRegistry registry;
  zo::registerAllDialects(registry);
  zo::registerAllPasses();
  zo::registerImportCLOptions();

  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "zo-opt: zeroth-order training compiler\n", registry);
  if (!zo::isOnnxFile(inputFilename)) {
    if (compileTo.empty())
      return asMainReturnCode(
          MlirOptMain(argc, argv, inputFilename, outputFilename, registry));
    return asMainReturnCode(
        runOnMlirInput(inputFilename, outputFilename, registry));
  }
  return asMainReturnCode(runOnOnnxInput(argc, argv, inputFilename,
                                         outputFilename, registry));
}
