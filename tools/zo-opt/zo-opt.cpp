//===- zo-opt.cpp - the zo-opt driver -------------------------------------===//
//
// mlir-opt conventions over the zo dialects, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "zo/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::zo::registerAllDialects(registry);
  mlir::zo::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "zo-opt: zeroth-order training compiler\n",
                        registry));
}
