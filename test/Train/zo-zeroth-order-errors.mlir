// Bad options and inputs of zo-zeroth-order give one clear error each.
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="eps=0" 2>&1 | FileCheck %s --check-prefix=EPS
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="eps=-1e-3" 2>&1 | FileCheck %s --check-prefix=EPS
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sgdd" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="queries=0" 2>&1 | FileCheck %s --check-prefix=QUERIES
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="weight-decay=-1" 2>&1 | FileCheck %s --check-prefix=WD
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="frozen=(" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not zo-opt %s --zo-zeroth-order 2>&1 | FileCheck %s --check-prefix=LOSS
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order --zo-zeroth-order 2>&1 | FileCheck %s --check-prefix=TWICE

// EPS: error: zo-zeroth-order: eps must be > 0, got
// METHOD: error: zo-zeroth-order: unknown method 'zo-sgdd' (known: zo-sgd, zo-sign, zo-cons, zo-sgd-mmt, zo-adam{{.*}})
// QUERIES: error: zo-zeroth-order: queries must be >= 1, got 0
// WD: error: zo-zeroth-order: weight-decay must be >= 0, got -1
// REGEX: error: zo-zeroth-order: invalid frozen regex '(':
// LOSS: error: zo-zeroth-order: the first result of @forward must be the loss, a tensor<f32>
// TWICE: error: zo-zeroth-order: the module already has a @train_step

func.func @forward(%x: tensor<2xf32> {zo.name = "x", zo.role = "input"})
    -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
