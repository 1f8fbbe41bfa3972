// Numeric check of the elementwise lowering with upstream tools only:
// zo-opt lowers graph -> linalg, mlir-opt lowers to LLVM with plain loops and
// libm, mlir-runner executes and prints. The expected numbers come from this
// numpy snippet (each CHECK allows a difference in the 6th digit):
//
// import math, numpy as np
// x = np.array([[-1.5, -0.5, 0.0], [0.5, 1.0, 2.0]], dtype=np.float32)
// b = np.array([1.0, 2.0, 3.0], dtype=np.float32)
// erf = np.vectorize(math.erf)
// gelu = lambda v: 0.5 * v * (1 + erf(v / math.sqrt(2)))
// gelu_t = lambda v: 0.5 * v * (1 + np.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))
// outs = [
//   gelu(x + b),                                        # gelu(erf) of a broadcast add
//   gelu_t(x),                                          # gelu(tanh)
//   x / (1 + np.exp(-x)),                               # silu
//   x**3 + np.abs(x)**0.5,                              # pow special cases
//   np.abs(x) ** np.array([[0.5], [1.5]], np.float32),  # general pow, broadcast rhs
//   np.where(x > 0, x, -0.1 * x) - np.maximum(x, 0.25), # where, greater, neg, max
//   np.trunc(x * 2.6).astype(np.int64).astype(np.float32),  # cast f32->i64->f32
//   (x <= 0).astype(np.float32) + 2 * ((x >= 0.5) & ~(x == 1.0)),  # compares, and, not
// ]

// RUN: zo-opt %s --convert-graph-to-linalg | %mlir_opt %cpu_pipeline \
// RUN:   | %mlir_runner -e main -entry-point-result=void %runner_libs \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<2x3xf32>) {
  %u = tensor.cast %t : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = graph.constant dense<[[-1.5, -0.5, 0.0], [0.5, 1.0, 2.0]]> : tensor<2x3xf32>
  %b = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>

  %xb = graph.add %x, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %g = graph.gelu %xb : tensor<2x3xf32>
  call @print(%g) : (tensor<2x3xf32>) -> ()

  %gt = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  call @print(%gt) : (tensor<2x3xf32>) -> ()

  %s = graph.silu %x : tensor<2x3xf32>
  call @print(%s) : (tensor<2x3xf32>) -> ()

  %three = graph.constant dense<3.0> : tensor<f32>
  %half = graph.constant dense<0.5> : tensor<1xf32>
  %c3 = graph.pow %x, %three : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %ax = graph.abs %x : tensor<2x3xf32>
  %sq = graph.pow %ax, %half : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  %p = graph.add %c3, %sq : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  call @print(%p) : (tensor<2x3xf32>) -> ()

  %e = graph.constant dense<[[0.5], [1.5]]> : tensor<2x1xf32>
  %pg = graph.pow %ax, %e : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  call @print(%pg) : (tensor<2x3xf32>) -> ()

  %zero = graph.constant dense<0.0> : tensor<f32>
  %tenth = graph.constant dense<0.1> : tensor<f32>
  %quarter = graph.constant dense<0.25> : tensor<f32>
  %pos = graph.greater %x, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %nx = graph.neg %x : tensor<2x3xf32>
  %leak = graph.mul %nx, %tenth : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %w = graph.where %pos, %x, %leak : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = graph.max %x, %quarter : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %wm = graph.sub %w, %m : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  call @print(%wm) : (tensor<2x3xf32>) -> ()

  %k = graph.constant dense<2.6> : tensor<f32>
  %xk = graph.mul %x, %k : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %i = graph.cast %xk : tensor<2x3xf32> -> tensor<2x3xi64>
  %f = graph.cast %i : tensor<2x3xi64> -> tensor<2x3xf32>
  call @print(%f) : (tensor<2x3xf32>) -> ()

  %one = graph.constant dense<1.0> : tensor<f32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %le = graph.less_equal %x, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %ge = graph.greater_equal %x, %half : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xi1>
  %eq = graph.equal %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %ne = graph.not %eq : tensor<2x3xi1>
  %and = graph.and %ge, %ne : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %lef = graph.cast %le : tensor<2x3xi1> -> tensor<2x3xf32>
  %andf = graph.cast %and : tensor<2x3xi1> -> tensor<2x3xf32>
  %and2 = graph.mul %andf, %two : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %cmp = graph.add %lef, %and2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  call @print(%cmp) : (tensor<2x3xf32>) -> ()
  return
}

// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-0\.15426[0-9]*}}, {{1\.3997[0-9]*}}, {{2\.9959[0-9]*}}],
// CHECK-NEXT: {{\[}}{{1\.3997[0-9]*}}, {{2\.9959[0-9]*}}, 5]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-0\.10042[0-9]*}}, {{-0\.15428[0-9]*}}, 0],
// CHECK-NEXT: {{\[}}{{0\.34571[0-9]*}}, {{0\.84119[0-9]*}}, {{1\.954[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-0\.27363[0-9]*}}, {{-0\.1887[0-9]*}}, 0],
// CHECK-NEXT: {{\[}}{{0\.3112[0-9]*}}, {{0\.73105[0-9]*}}, {{1\.7615[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{-2\.1502[0-9]*}}, {{0\.58210[0-9]*}}, 0],
// CHECK-NEXT: {{\[}}{{0\.83210[0-9]*}}, 2, {{9\.4142[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}{{1\.2247[0-9]*}}, {{0\.70710[0-9]*}}, 0],
// CHECK-NEXT: {{\[}}{{0\.35355[0-9]*}}, 1, {{2\.8284[0-9]*}}]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}-0.1, -0.2, -0.25],
// CHECK-NEXT: {{\[}}0, 0, 0]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}-3, -1, 0],
// CHECK-NEXT: {{\[}}1, 2, 5]]
// CHECK: data =
// CHECK-NEXT: {{\[\[}}1, 1, 1],
// CHECK-NEXT: {{\[}}2, 0, 2]]
