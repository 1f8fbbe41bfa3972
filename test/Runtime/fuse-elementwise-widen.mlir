// RUN: zo-opt --zo-fuse-elementwise -split-input-file %s | FileCheck %s

// A bf16 parameter's f32 update (docs/cuda.md, "bf16 parameters"): the
// parameter widened by its own [64, 32] loop, read by the noise loop over
// the blocked shape [32, 4, 16] through collapse + expand, the result
// rounded back over [64, 32]. Reshape propagation cannot fuse across the
// 1-D collapse; the widening loop is moved to the noise's shape (as the
// rounding loop is), so all three become one loop and neither the widened
// parameter nor the f32 result is stored.
// CHECK-LABEL: func.func @widened_param_into_noise
// CHECK: %[[F:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<32x4x16xbf16>, tensor<f32>) outs(%{{.*}} : tensor<32x4x16xbf16>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.index_castui {{.*}}zo.noise_lane
// CHECK: arith.addf
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: linalg.generic
// CHECK: return
#m2 = affine_map<(d0, d1) -> (d0, d1)>
#m3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#s3 = affine_map<(d0, d1, d2) -> ()>
func.func @widened_param_into_noise(%p: tensor<64x32xbf16>, %a: tensor<f32>) -> tensor<64x32xbf16> {
  %e = tensor.empty() : tensor<64x32xf32>
  %w = linalg.generic {indexing_maps = [#m2, #m2], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<64x32xbf16>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<64x32xf32>
  %c = tensor.collapse_shape %w [[0, 1]] : tensor<64x32xf32> into tensor<2048xf32>
  %x = tensor.expand_shape %c [[0, 1, 2]] output_shape [32, 4, 16] : tensor<2048xf32> into tensor<32x4x16xf32>
  %e3 = tensor.empty() : tensor<32x4x16xf32>
  %n = linalg.generic {indexing_maps = [#m3, #s3, #m3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %a : tensor<32x4x16xf32>, tensor<f32>) outs(%e3 : tensor<32x4x16xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %i = linalg.index 2 : index
    %l = arith.index_castui %i {zo.noise_lane} : index to i32
    %f = arith.uitofp %l : i32 to f32
    %y = arith.mulf %s, %f : f32
    %z = arith.addf %in, %y : f32
    linalg.yield %z : f32
  } -> tensor<32x4x16xf32>
  %c2 = tensor.collapse_shape %n [[0, 1, 2]] : tensor<32x4x16xf32> into tensor<2048xf32>
  %x2 = tensor.expand_shape %c2 [[0, 1]] output_shape [64, 32] : tensor<2048xf32> into tensor<64x32xf32>
  %e4 = tensor.empty() : tensor<64x32xbf16>
  %r = linalg.generic {indexing_maps = [#m2, #m2], iterator_types = ["parallel", "parallel"]} ins(%x2 : tensor<64x32xf32>) outs(%e4 : tensor<64x32xbf16>) {
  ^bb0(%v: f32, %o: bf16):
    %t = arith.truncf %v : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x32xbf16>
  return %r : tensor<64x32xbf16>
}

// -----

// Not a noise loop (no noise lane): the widening loop keeps its shape.
// CHECK-LABEL: func.func @widened_param_into_plain_loop
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<64x32xbf16>) outs(%{{.*}} : tensor<64x32xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<32x4x16xf32>)
#n2 = affine_map<(d0, d1) -> (d0, d1)>
#n3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @widened_param_into_plain_loop(%p: tensor<64x32xbf16>) -> tensor<32x4x16xf32> {
  %e = tensor.empty() : tensor<64x32xf32>
  %w = linalg.generic {indexing_maps = [#n2, #n2], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<64x32xbf16>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<64x32xf32>
  %c = tensor.collapse_shape %w [[0, 1]] : tensor<64x32xf32> into tensor<2048xf32>
  %x = tensor.expand_shape %c [[0, 1, 2]] output_shape [32, 4, 16] : tensor<2048xf32> into tensor<32x4x16xf32>
  %e3 = tensor.empty() : tensor<32x4x16xf32>
  %n = linalg.generic {indexing_maps = [#n3, #n3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<32x4x16xf32>) outs(%e3 : tensor<32x4x16xf32>) {
  ^bb0(%in: f32, %o: f32):
    %i = linalg.index 2 : index
    %f = arith.index_cast %i : index to i32
    %g = arith.sitofp %f : i32 to f32
    %z = arith.addf %in, %g : f32
    linalg.yield %z : f32
  } -> tensor<32x4x16xf32>
  return %n : tensor<32x4x16xf32>
}

// -----

// A bf16 gradient widened once and read by two f32 sweeps (AdamW's m and
// v): the widening is recomputed in each (one extf per element read), no
// f32 copy of the gradient is stored.
// CHECK-LABEL: func.func @widened_gradient_two_users
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : tensor<32xf32>, tensor<32xbf16>)
// CHECK: arith.extf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : tensor<32xf32>, tensor<32xbf16>)
// CHECK: arith.extf
// CHECK-NOT: linalg.generic
// CHECK: return
#w1 = affine_map<(d0) -> (d0)>
func.func @widened_gradient_two_users(%g: tensor<32xbf16>, %m: tensor<32xf32>, %v: tensor<32xf32>) -> (tensor<32xf32>, tensor<32xf32>) {
  %e = tensor.empty() : tensor<32xf32>
  %w = linalg.generic {indexing_maps = [#w1, #w1], iterator_types = ["parallel"]} ins(%g : tensor<32xbf16>) outs(%e : tensor<32xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %m1 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]} ins(%m, %w : tensor<32xf32>, tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %y = arith.addf %a, %b : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  %v1 = linalg.generic {indexing_maps = [#w1, #w1, #w1], iterator_types = ["parallel"]} ins(%v, %w : tensor<32xf32>, tensor<32xf32>) outs(%e : tensor<32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %b, %b : f32
    %y = arith.addf %a, %s : f32
    linalg.yield %y : f32
  } -> tensor<32xf32>
  return %m1, %v1 : tensor<32xf32>, tensor<32xf32>
}
