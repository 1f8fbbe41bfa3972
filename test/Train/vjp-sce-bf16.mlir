// The softmax cross entropy's backward pass for bf16 scores: the saved
// log-sum-exp is f32 and s - lse, exp are taken in f32, so the softmax in
// the gradient carries one bf16 rounding (a log-sum-exp rounded to bf16,
// about 12 here, would be off by up to 0.03: 3% in every softmax entry).
// Against numpy in float64 (Inputs/sce_bf16_check.py).

// RUN: zo-opt %s --zo-test-vjp --convert-graph-to-linalg -o %t.mlir
// RUN: %python %S/Inputs/sce_bf16_check.py inputs %t.in.npz
// RUN: zo-run %t.mlir --entry sce_vjp --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/sce_bf16_check.py check %t.in.npz %t.out.npz | FileCheck %s
// CHECK: median
// CHECK-NEXT: ok

func.func @sce(%s: tensor<16x4096xbf16> {zo.name = "s"}, %y: tensor<16xi64> {zo.name = "y"}) -> tensor<bf16> {
  %0 = graph.softmax_cross_entropy_loss %s, %y {ignore_index = -100 : i64} : (tensor<16x4096xbf16>, tensor<16xi64>) -> tensor<bf16>
  return %0 : tensor<bf16>
}
