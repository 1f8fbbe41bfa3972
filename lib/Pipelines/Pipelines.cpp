//===- Pipelines.cpp - the named stages of zo-opt -------------------------===//

#include "zo/Pipelines/Pipelines.h"

#include "zo/Conversion/Passes.h"
#include "zo/Pipelines/CpuLowering.h"
#include "zo/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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

void mlir::zo::buildCompilePipeline(OpPassManager &pm, Stage stage) {
  // Graph stage: fold what import left, fuse composites, check the contract.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createRecognizeComposites());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createVerifyGraphContract());
  if (stage == Stage::Graph)
    return;

  pm.addPass(createConvertGraphToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stage == Stage::Linalg)
    return;

  buildCpuLoweringPipeline(pm, CpuLoweringOptions());
}

void mlir::zo::registerCompilePipelines() {
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
