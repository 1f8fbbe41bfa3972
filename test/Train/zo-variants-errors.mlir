// An unknown method is rejected with the list of every known update rule.
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="method=zo-signs" 2>&1 | FileCheck %s
// CHECK: error: zo-zeroth-order: unknown method 'zo-signs' (known: zo-sgd, zo-sign, zo-cons)
