//===- InitAll.cpp - register every zo dialect and pass -------------------===//

#include "zo/InitAll.h"

#include "zo/Conversion/Passes.h"
#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Dialect/Train/TrainDialect.h"
#include "zo/Train/Passes.h"
#include "zo/Transforms/Passes.h"
#include "zo/Analysis/TrafficReportPass.h"
#include "zo/Pipelines/CpuLowering.h"
#include "zo/Pipelines/CudaLowering.h"
#include "zo/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

#include <mutex>

void mlir::zo::registerAllDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<graph::GraphDialect, train::TrainDialect>();
}

void mlir::zo::registerAllPasses() {
  // Registering twice is an error in MLIR; tools and the C++ API may both
  // ask.
  static std::once_flag once;
  std::call_once(once, [] {
    mlir::registerAllPasses();
    // zo passes: each piece registers its own passes here.
    mlir::zo::registerZoTransformsPasses();
    mlir::zo::registerZoTrainPasses();
    mlir::zo::registerZoConversionPasses();
    mlir::zo::registerCpuLoweringPipeline();
    mlir::zo::registerCudaLoweringPipeline();
    mlir::zo::registerCompilePipelines();
    mlir::zo::registerTrafficReportPass();
  });
}
