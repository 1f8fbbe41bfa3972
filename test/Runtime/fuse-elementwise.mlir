// RUN: zo-opt --zo-fuse-elementwise -split-input-file %s | FileCheck %s

// A projection as the importer emits it: collapse (B, S, D) -> (B*S, D),
// matmul, bias, gelu-ish tail. The matmul must stay a named op (for BLAS)
// while the elementwise tail fuses into one generic.
// CHECK-LABEL: func.func @projection
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @projection(%x: tensor<2x8x32xf32>, %w: tensor<32x64xf32>, %b: tensor<64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x8x32xf32> into tensor<16x32xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %m = linalg.matmul ins(%c, %w : tensor<16x32xf32>, tensor<32x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  %biased = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
            ins(%m, %b : tensor<16x64xf32>, tensor<64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bb: f32, %o: f32):
    %s = arith.addf %v, %bb : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  %act = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
         ins(%biased : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<16x64xf32>
  return %act : tensor<16x64xf32>
}

// -----

// Likewise when the matmul result is expanded back to (B, S, N).
// CHECK-LABEL: func.func @expanded_result
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape
func.func @expanded_result(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>) -> tensor<2x8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %m = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  %r = tensor.expand_shape %m [[0, 1], [2]] output_shape [2, 8, 64] : tensor<16x64xf32> into tensor<2x8x64xf32>
  return %r : tensor<2x8x64xf32>
}

// -----

// A generator (a loop reading no tensor: ZO-Adam's u = g z) read by two
// loops through a reshape is recomputed in each of them: no buffer holds u.
// A producer that reads two tensors and has two users stays on its own
// (@binary_two_users); one reading one tensor is recomputed in each
// (@reader_two_users, @unary_*).
// CHECK-LABEL: func.func @generator_two_users
// CHECK: tensor.expand_shape %arg1
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : tensor<3x1x4xf32>, tensor<f32>)
// CHECK: linalg.index 2
// CHECK: tensor.expand_shape %arg2
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : tensor<3x1x4xf32>, tensor<f32>)
// CHECK: linalg.index 2
// CHECK-NOT: linalg.generic
// CHECK: return
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#sc3 = affine_map<(d0, d1, d2) -> ()>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @generator_two_users(%g: tensor<f32>, %m: tensor<3x4xf32>, %v: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %e3 = tensor.empty() : tensor<3x1x4xf32>
  %u3 = linalg.generic {indexing_maps = [#sc3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%g : tensor<f32>) outs(%e3 : tensor<3x1x4xf32>) {
  ^bb0(%s: f32, %o: f32):
    %i = linalg.index 2 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %r = arith.mulf %s, %f : f32
    linalg.yield %r : f32
  } -> tensor<3x1x4xf32>
  %u = tensor.collapse_shape %u3 [[0], [1, 2]] : tensor<3x1x4xf32> into tensor<3x4xf32>
  %e = tensor.empty() : tensor<3x4xf32>
  %m2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%m, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %v2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%v, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %b, %b : f32
    %r = arith.addf %a, %p : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  return %m2, %v2 : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @binary_two_users
// CHECK-COUNT-3: linalg.generic
// CHECK: return
#idb = affine_map<(d0, d1) -> (d0, d1)>
func.func @binary_two_users(%x: tensor<3x4xf32>, %m: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %e = tensor.empty() : tensor<3x4xf32>
  %u = linalg.generic {indexing_maps = [#idb, #idb, #idb], iterator_types = ["parallel", "parallel"]}
        ins(%x, %m : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %m2 = linalg.generic {indexing_maps = [#idb, #idb, #idb], iterator_types = ["parallel", "parallel"]}
        ins(%m, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %v2 = linalg.generic {indexing_maps = [#idb, #idb, #idb], iterator_types = ["parallel", "parallel"]}
        ins(%m, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  return %m2, %v2 : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// A bf16 GELU as the exporter spells it (x / sqrt(2), erf, + 1, * x, * 0.5,
// each rounded to bf16; graph.gelu does not match the bf16 constant) with
// its backward reading x, t = x / sqrt(2) and e = erf(t) + 1 as the VJP
// of the decomposed chain saves them: t and e are recomputed, in the
// forward loop and in the backward loop, from x; neither is stored. Two
// loops, as for the f32 graph.gelu.
// CHECK-LABEL: func.func @unary_gelu_chain
// CHECK-SAME: (%[[X:.*]]: tensor<16x64xbf16>, %[[DY:.*]]: tensor<16x64xbf16>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<16x64xbf16>)
// CHECK: arith.divf
// CHECK: math.erf
// CHECK: linalg.generic {{.*}} ins(%[[DY]], %[[X]] : tensor<16x64xbf16>, tensor<16x64xbf16>)
// CHECK-DAG: arith.divf
// CHECK-DAG: math.erf
// CHECK-DAG: math.exp
// CHECK-NOT: linalg.generic
// CHECK: return
#idg = affine_map<(d0, d1) -> (d0, d1)>
func.func @unary_gelu_chain(%x: tensor<16x64xbf16>, %dy: tensor<16x64xbf16>) -> (tensor<16x64xbf16>, tensor<16x64xbf16>) {
  %sqrt2 = arith.constant 1.414060e+00 : bf16
  %one = arith.constant 1.000000e+00 : bf16
  %half = arith.constant 5.000000e-01 : bf16
  %c = arith.constant 1.128910e+00 : bf16
  %e0 = tensor.empty() : tensor<16x64xbf16>
  %t = linalg.generic {indexing_maps = [#idg, #idg], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<16x64xbf16>) outs(%e0 : tensor<16x64xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %r = arith.divf %a, %sqrt2 : bf16
    linalg.yield %r : bf16
  } -> tensor<16x64xbf16>
  %e = linalg.generic {indexing_maps = [#idg, #idg], iterator_types = ["parallel", "parallel"]}
        ins(%t : tensor<16x64xbf16>) outs(%e0 : tensor<16x64xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %f = math.erf %a : bf16
    %r = arith.addf %f, %one : bf16
    linalg.yield %r : bf16
  } -> tensor<16x64xbf16>
  %y = linalg.generic {indexing_maps = [#idg, #idg, #idg], iterator_types = ["parallel", "parallel"]}
        ins(%x, %e : tensor<16x64xbf16>, tensor<16x64xbf16>) outs(%e0 : tensor<16x64xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %o: bf16):
    %p = arith.mulf %a, %b : bf16
    %r = arith.mulf %p, %half : bf16
    linalg.yield %r : bf16
  } -> tensor<16x64xbf16>
  %dx = linalg.generic {indexing_maps = [#idg, #idg, #idg, #idg, #idg], iterator_types = ["parallel", "parallel"]}
        ins(%dy, %e, %x, %t : tensor<16x64xbf16>, tensor<16x64xbf16>, tensor<16x64xbf16>, tensor<16x64xbf16>) outs(%e0 : tensor<16x64xbf16>) {
  ^bb0(%g: bf16, %ev: bf16, %xv: bf16, %tv: bf16, %o: bf16):
    %h = arith.mulf %g, %half : bf16
    %sq = arith.mulf %tv, %tv : bf16
    %n = arith.negf %sq : bf16
    %ex = math.exp %n : bf16
    %d = arith.mulf %ex, %c : bf16
    %k = arith.mulf %xv, %h : bf16
    %k2 = arith.mulf %k, %d : bf16
    %k3 = arith.divf %k2, %sqrt2 : bf16
    %l = arith.mulf %h, %ev : bf16
    %r = arith.addf %l, %k3 : bf16
    linalg.yield %r : bf16
  } -> tensor<16x64xbf16>
  return %y, %dx : tensor<16x64xbf16>, tensor<16x64xbf16>
}

// -----

// A bf16 bias gradient rounded from its f32 sum and read by AdamW's m and v
// sweeps, each widening it: both sweeps round the f32 sum themselves (4 B
// read each, 8 B an element, where the rounding loop moved 4 + 2 + 2 x 2 =
// 10 B), and the bf16 gradient is never stored.
// CHECK-LABEL: func.func @narrowing_two_readers
// CHECK-SAME: (%[[S:.*]]: tensor<32xf32>, %[[M:.*]]: tensor<32xf32>, %[[V:.*]]: tensor<32xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[M]], %[[S]] : tensor<32xf32>, tensor<32xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: linalg.generic {{.*}} ins(%[[V]], %[[S]] : tensor<32xf32>, tensor<32xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK-NOT: linalg.generic
// CHECK: return
#v1 = affine_map<(d0) -> (d0)>
func.func @narrowing_two_readers(%s: tensor<32xf32>, %m: tensor<32xf32>, %v: tensor<32xf32>) -> (tensor<32xf32>, tensor<32xf32>) {
  %eb = tensor.empty() : tensor<32xbf16>
  %ef = tensor.empty() : tensor<32xf32>
  %g = linalg.generic {indexing_maps = [#v1, #v1], iterator_types = ["parallel"]}
        ins(%s : tensor<32xf32>) outs(%eb : tensor<32xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %r = arith.truncf %a : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<32xbf16>
  %m2 = linalg.generic {indexing_maps = [#v1, #v1, #v1], iterator_types = ["parallel"]}
        ins(%m, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%a: f32, %b: bf16, %o: f32):
    %w = arith.extf %b : bf16 to f32
    %r = arith.addf %a, %w : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %v2 = linalg.generic {indexing_maps = [#v1, #v1, #v1], iterator_types = ["parallel"]}
        ins(%v, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%a: f32, %b: bf16, %o: f32):
    %w = arith.extf %b : bf16 to f32
    %q = arith.mulf %w, %w : f32
    %r = arith.addf %a, %q : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  return %m2, %v2 : tensor<32xf32>, tensor<32xf32>
}

// -----

// Read by four loops, the rounded gradient is stored: recomputed, the four
// would read 4 x 4 B an element, more than the 4 + 2 + 4 x 2 B of the loop
// and its readers. A unary loop read by a GEMM is stored too.
// CHECK-LABEL: func.func @narrowing_four_readers
// CHECK-COUNT-5: linalg.generic
// CHECK: return
// CHECK-LABEL: func.func @unary_read_by_matmul
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK: return
#w1 = affine_map<(d0) -> (d0)>
func.func @narrowing_four_readers(%s: tensor<32xf32>, %a: tensor<32xf32>) -> (tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>) {
  %eb = tensor.empty() : tensor<32xbf16>
  %ef = tensor.empty() : tensor<32xf32>
  %g = linalg.generic {indexing_maps = [#w1, #w1], iterator_types = ["parallel"]}
        ins(%s : tensor<32xf32>) outs(%eb : tensor<32xbf16>) {
  ^bb0(%x: f32, %o: bf16):
    %r = arith.truncf %x : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<32xbf16>
  %r1 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]}
        ins(%a, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%x: f32, %y: bf16, %o: f32):
    %w = arith.extf %y : bf16 to f32
    %r = arith.addf %x, %w : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %r2 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]}
        ins(%a, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%x: f32, %y: bf16, %o: f32):
    %w = arith.extf %y : bf16 to f32
    %r = arith.mulf %x, %w : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %r3 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]}
        ins(%a, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%x: f32, %y: bf16, %o: f32):
    %w = arith.extf %y : bf16 to f32
    %r = arith.subf %x, %w : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %r4 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]}
        ins(%a, %g : tensor<32xf32>, tensor<32xbf16>) outs(%ef : tensor<32xf32>) {
  ^bb0(%x: f32, %y: bf16, %o: f32):
    %w = arith.extf %y : bf16 to f32
    %r = arith.divf %x, %w : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  return %r1, %r2, %r3, %r4 : tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>
}

#u2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @unary_read_by_matmul(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %e = tensor.empty() : tensor<4x4xf32>
  %u = linalg.generic {indexing_maps = [#u2, #u2], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %mm = linalg.matmul ins(%u, %w : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %d = linalg.generic {indexing_maps = [#u2, #u2, #u2], iterator_types = ["parallel", "parallel"]}
        ins(%u, %w : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  return %mm, %d : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @reader_two_users
// CHECK: linalg.generic {{.*}} ins(%arg1, %arg0 : tensor<3x4xf32>, tensor<3x4xf32>)
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%arg1, %arg0 : tensor<3x4xf32>, tensor<3x4xf32>)
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @reader_two_users(%x: tensor<3x4xf32>, %m: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %e = tensor.empty() : tensor<3x4xf32>
  %u = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %m2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%m, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %v2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%m, %u : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  return %m2, %v2 : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// An attention mask built from position rows and the padding row (small
// inputs, a compare and a select), read by two layers' score loops through
// a broadcast over the heads: each layer recomputes it and no 16x16 mask
// tensor is left (stored, it stays alive across both forwards of a ZO step).
// CHECK-LABEL: func.func @cheap_broadcast_two_users
// CHECK-NOT: tensor<16x16xf32>
// CHECK: linalg.generic
// CHECK: arith.cmpi sle
// CHECK: arith.select
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.cmpi sle
// CHECK: arith.select
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: return
#row4 = affine_map<(d0, d1, d2) -> (d2)>
#col4 = affine_map<(d0, d1, d2) -> (d1)>
#mask4 = affine_map<(d0, d1, d2) -> (d1, d2)>
#id4 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#r2 = affine_map<(d0, d1) -> (d1)>
#c2 = affine_map<(d0, d1) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @cheap_broadcast_two_users(%pos: tensor<16xi64>, %s1: tensor<4x16x16xf32>, %s2: tensor<4x16x16xf32>) -> (tensor<4x16x16xf32>, tensor<4x16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant -1.0e9 : f32
  %em = tensor.empty() : tensor<16x16xf32>
  %mask = linalg.generic {indexing_maps = [#r2, #c2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%pos, %pos : tensor<16xi64>, tensor<16xi64>) outs(%em : tensor<16x16xf32>) {
  ^bb0(%k: i64, %q: i64, %o: f32):
    %le = arith.cmpi sle, %k, %q : i64
    %v = arith.select %le, %zero, %ninf : f32
    linalg.yield %v : f32
  } -> tensor<16x16xf32>
  %e = tensor.empty() : tensor<4x16x16xf32>
  %a = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s1, %mask : tensor<4x16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<4x16x16xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %y = arith.addf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<4x16x16xf32>
  %b = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s2, %mask : tensor<4x16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<4x16x16xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %y = arith.addf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<4x16x16xf32>
  return %a, %b : tensor<4x16x16xf32>, tensor<4x16x16xf32>
}

// -----

// The same shape of producer with a transcendental in its body (exp of a
// broadcast row) is kept and stored once: recomputing it per head would
// cost more than loading it.
// CHECK-LABEL: func.func @costly_broadcast_two_users
// CHECK: %[[T:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[T]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[T]] :
#r2 = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#mask4 = affine_map<(d0, d1, d2) -> (d1, d2)>
#id4 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @costly_broadcast_two_users(%row: tensor<16xf32>, %s1: tensor<4x16x16xf32>, %s2: tensor<4x16x16xf32>) -> (tensor<4x16x16xf32>, tensor<4x16x16xf32>) {
  %em = tensor.empty() : tensor<16x16xf32>
  %t = linalg.generic {indexing_maps = [#r2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%row : tensor<16xf32>) outs(%em : tensor<16x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %v = math.exp %x : f32
    linalg.yield %v : f32
  } -> tensor<16x16xf32>
  %e = tensor.empty() : tensor<4x16x16xf32>
  %a = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s1, %t : tensor<4x16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<4x16x16xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %y = arith.addf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<4x16x16xf32>
  %b = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s2, %t : tensor<4x16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<4x16x16xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %y = arith.addf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<4x16x16xf32>
  return %a, %b : tensor<4x16x16xf32>, tensor<4x16x16xf32>
}

// -----

// A perturbed norm gain as train.add_noise lowers it: a [8, 4]-blocked loop
// (long body, reads the gain) collapsed to [32], then read through a
// broadcast by the [tokens, 32] normalization. The noise is not regenerated
// per token, so the reshape is not propagated either: the normalization keeps
// its 32-element inner loop instead of becoming a [16, 8, 4] nest.
// CHECK-LABEL: func.func @blocked_gain_broadcast
// CHECK-NOT: tensor<16x8x4xf32>
// CHECK: %[[G:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8x4xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[G]]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[C]] : tensor<16x32xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<16x32xf32>)
// CHECK-NOT: tensor<16x8x4xf32>
// CHECK: return
#blk = affine_map<(d0, d1) -> (d0, d1)>
#row3 = affine_map<(d0, d1) -> (d1)>
#id3 = affine_map<(d0, d1) -> (d0, d1)>
func.func @blocked_gain_broadcast(%g: tensor<32xf32>, %x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %gb = tensor.expand_shape %g [[0, 1]] output_shape [8, 4] : tensor<32xf32> into tensor<8x4xf32>
  %e8 = tensor.empty() : tensor<8x4xf32>
  %p = linalg.generic {indexing_maps = [#blk, #blk], iterator_types = ["parallel", "parallel"]}
      ins(%gb : tensor<8x4xf32>) outs(%e8 : tensor<8x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = arith.muli %i, %j : index
    %k32 = arith.index_cast %k : index to i32
    %m = arith.muli %k32, %k32 : i32
    %n = arith.xori %m, %k32 : i32
    %q = arith.muli %n, %m : i32
    %r = arith.xori %q, %n : i32
    %s = arith.muli %r, %q : i32
    %f = arith.sitofp %s : i32 to f32
    %y = arith.addf %v, %f : f32
    linalg.yield %y : f32
  } -> tensor<8x4xf32>
  %pc = tensor.collapse_shape %p [[0, 1]] : tensor<8x4xf32> into tensor<32xf32>
  %e = tensor.empty() : tensor<16x32xf32>
  %out = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x, %pc : tensor<16x32xf32>, tensor<32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %y = arith.mulf %a, %b : f32
    linalg.yield %y : f32
  } -> tensor<16x32xf32>
  return %out : tensor<16x32xf32>
}

// -----

// ZO-SGD-MMT's two sweeps: the new momentum b' = mu b + ... is written into
// its state and read by the parameter update p - lr b'. They become one loop
// with both results (b' is stored once and never read back; upstream's
// fusion would keep the momentum loop and recompute b' in the update,
// reading b twice). The learning rate, extracted between the two loops, is
// moved up to where the fused loop now stands.
// CHECK-LABEL: func.func @momentum_and_update
// CHECK: tensor.extract
// CHECK: %[[F:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<32xf32>, tensor<32xf32>)
// CHECK: arith.mulf
// CHECK: arith.subf
// CHECK-NOT: linalg.generic
// CHECK: bufferization.materialize_in_destination %[[F]]#0 in %arg2
// CHECK: bufferization.materialize_in_destination %[[F]]#1 in %arg3
#idm = affine_map<(d0) -> (d0)>
func.func @momentum_and_update(%m: tensor<32xf32>, %p: tensor<32xf32>, %ms: tensor<32xf32>, %ps: tensor<32xf32>, %lr: tensor<f32>) -> (tensor<32xf32>, tensor<32xf32>) {
  %e = tensor.empty() : tensor<32xf32>
  %b = linalg.generic {indexing_maps = [#idm, #idm], iterator_types = ["parallel"]} ins(%m : tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.9 : f32
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %r1 = bufferization.materialize_in_destination %b in %ms : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  %rate = tensor.extract %lr[] : tensor<f32>
  %e2 = tensor.empty() : tensor<32xf32>
  %q = linalg.generic {indexing_maps = [#idm, #idm, #idm], iterator_types = ["parallel"]} ins(%p, %b : tensor<32xf32>, tensor<32xf32>) outs(%e2 : tensor<32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %d = arith.mulf %rate, %y : f32
    %z = arith.subf %x, %d : f32
    linalg.yield %z : f32
  } -> tensor<32xf32>
  %r2 = bufferization.materialize_in_destination %q in %ps : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  return %r1, %r2 : tensor<32xf32>, tensor<32xf32>
}

// -----

// ZO-Adam's sweeps: new m and v leave the function (state) and the update
// reads v through an intermediate (sqrt(v) + eps). All three become one loop
// with three results; v is not fused into the intermediate first (which
// would leave the intermediate as a stored second result).
// CHECK-LABEL: func.func @adam_sweeps
// CHECK: %[[F:.*]]:3 = linalg.generic
// CHECK: math.sqrt
// CHECK-NOT: linalg.generic
// CHECK: bufferization.materialize_in_destination %[[F]]#{{[0-2]}} in %arg3
// CHECK: bufferization.materialize_in_destination %[[F]]#{{[0-2]}} in %arg4
// CHECK: bufferization.materialize_in_destination %[[F]]#{{[0-2]}} in %arg5
#ida = affine_map<(d0) -> (d0)>
func.func @adam_sweeps(%m: tensor<32xf32>, %v: tensor<32xf32>, %p: tensor<32xf32>, %ms: tensor<32xf32>, %vs: tensor<32xf32>, %ps: tensor<32xf32>) -> (tensor<32xf32>, tensor<32xf32>, tensor<32xf32>) {
  %e = tensor.empty() : tensor<32xf32>
  %m1 = linalg.generic {indexing_maps = [#ida, #ida], iterator_types = ["parallel"]} ins(%m : tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.9 : f32
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %v1 = linalg.generic {indexing_maps = [#ida, #ida], iterator_types = ["parallel"]} ins(%v : tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.99 : f32
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %d = linalg.generic {indexing_maps = [#ida, #ida], iterator_types = ["parallel"]} ins(%v1 : tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %eps = arith.constant 1.0e-8 : f32
    %r = math.sqrt %x : f32
    %y = arith.addf %r, %eps : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %p1 = linalg.generic {indexing_maps = [#ida, #ida, #ida, #ida], iterator_types = ["parallel"]} ins(%p, %m1, %d : tensor<32xf32>, tensor<32xf32>, tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: f32, %a: f32, %b: f32, %o: f32):
    %q = arith.divf %a, %b : f32
    %y = arith.subf %x, %q : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %r1 = bufferization.materialize_in_destination %m1 in %ms : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  %r2 = bufferization.materialize_in_destination %v1 in %vs : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  %r3 = bufferization.materialize_in_destination %p1 in %ps : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  return %r1, %r2, %r3 : tensor<32xf32>, tensor<32xf32>, tensor<32xf32>
}
