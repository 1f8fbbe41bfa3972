//===- zo-opt.cpp - the zo-opt driver -------------------------------------===//
//
// mlir-opt conventions over the zo dialects and passes.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllPasses();
  registry.insert<mlir::zo::graph::GraphDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "zo-opt: zeroth-order training compiler\n",
                        registry));
}
