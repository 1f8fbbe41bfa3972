//===- Pipelines.cpp - the named stages of zo-opt -------------------------===//

#include "zo/Pipelines/Pipelines.h"

#include "zo/Conversion/Passes.h"
#include "zo/Pipelines/CpuLowering.h"
#include "zo/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::zo;

std::optional<Stage> mlir::zo::parseStage(StringRef name) {
  return llvm::StringSwitch<std::optional<Stage>>(name)
      .Case("graph", Stage::Graph)
      .Case("linalg", Stage::Linalg)
      .Case("llvm", Stage::Llvm)
      .Default(std::nullopt);
}

void mlir::zo::buildCompilePipeline(
    OpPassManager &pm, Stage stage,
    function_ref<void(OpPassManager &)> addTrainPasses) {
  // Graph stage: fold what import left, fuse composites, check the contract.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createRecognizeComposites());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createVerifyGraphContract());
  if (addTrainPasses)
    addTrainPasses(pm);
  if (stage == Stage::Graph)
    return;

  pm.addPass(createConvertGraphToLinalg());
  pm.addPass(createConvertTrainToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stage == Stage::Linalg)
    return;

  buildCpuLoweringPipeline(pm, CpuLoweringOptions());
}

namespace {
struct TrainPipelineOptions : PassPipelineOptions<TrainPipelineOptions> {
  Option<std::string> to{*this, "to",
                         llvm::cl::desc("Stage to stop at: graph (the "
                                        "train step at graph level), linalg, "
                                        "llvm"),
                         llvm::cl::init("linalg")};
  Option<std::string> step{
      *this, "step",
      llvm::cl::desc("Training rewrite, a textual pass pipeline"),
      llvm::cl::init("zo-zeroth-order")};
};
} // namespace

void mlir::zo::registerCompilePipelines() {
  registerPassPipeline(
      "zo-train-pipeline",
      "Compile an imported graph with a training rewrite (default "
      "zo-zeroth-order) between the graph and linalg stages",
      [](OpPassManager &pm, StringRef optionString,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        TrainPipelineOptions options;
        if (failed(options.parseFromString(optionString)))
          return failure();
        std::optional<Stage> stage = parseStage(options.to);
        if (!stage)
          return errorHandler("zo-train-pipeline: unknown stage '" +
                              options.to +
                              "' (expected graph, linalg or llvm)");
        std::string error;
        llvm::raw_string_ostream os(error);
        OpPassManager check(ModuleOp::getOperationName());
        if (failed(parsePassPipeline(options.step, check, os)))
          return errorHandler("zo-train-pipeline: bad step '" + options.step +
                              "': " + error);
        std::string step = options.step;
        buildCompilePipeline(pm, *stage, [&](OpPassManager &nested) {
          (void)parsePassPipeline(step, nested);
        });
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(TrainPipelineOptions());
      });

  PassPipelineRegistration<>(
      "zo-graph-pipeline",
      "Specialize an imported graph: fold, recognize composites, verify",
      [](OpPassManager &pm) { buildCompilePipeline(pm, Stage::Graph); });
  PassPipelineRegistration<>(
      "zo-linalg-pipeline", "Compile an imported graph to linalg on tensors",
      [](OpPassManager &pm) { buildCompilePipeline(pm, Stage::Linalg); });
  PassPipelineRegistration<>(
      "zo-cpu-pipeline",
      "Compile an imported graph to the LLVM dialect for the CPU",
      [](OpPassManager &pm) { buildCompilePipeline(pm, Stage::Llvm); });
}
