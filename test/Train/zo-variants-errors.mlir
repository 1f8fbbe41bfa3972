// An unknown method is rejected with the list of every known update rule.
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-signs" 2>&1 | FileCheck %s
// CHECK: error: zo-zeroth-order: unknown method 'zo-signs' (known: zo-sgd, zo-sign, zo-cons, zo-sgd-mmt, zo-adam{{.*}})

// Momentum and Adam hyperparameters outside their ranges.
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-sgd-mmt momentum=1" 2>&1 | FileCheck %s --check-prefix=MU
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-adam beta1=-0.1" 2>&1 | FileCheck %s --check-prefix=B1
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-adam beta2=1.5" 2>&1 | FileCheck %s --check-prefix=B2
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-adam adam-eps=0" 2>&1 | FileCheck %s --check-prefix=AEPS
// MU: error: zo-zeroth-order: momentum must be in [0, 1), got 1
// B1: error: zo-zeroth-order: beta1 must be in [0, 1), got -0.1
// B2: error: zo-zeroth-order: beta2 must be in [0, 1), got 1.5
// AEPS: error: zo-zeroth-order: adam-eps must be > 0, got 0
