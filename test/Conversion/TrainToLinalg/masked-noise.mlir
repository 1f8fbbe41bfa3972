// RUN: zo-opt %s --convert-train-to-linalg --split-input-file | FileCheck %s

// A layer mask on 8x16 (n = 128, floor(0.75 n) = 96 zeros). Before the
// generic: one Philox call on the epoch (the mask key) and the 16 rounds'
// keys (k_i mod 128). The generic iterates over the tensor's own shape, not
// the blocked [8, 4, 4] (a masked body is too large for LLVM to unroll the
// lane loop); per element: the noise's Philox call and Box-Muller, then 16
// branch-free swap-or-not rounds in i32 (min/max, two multiplies of
// lowbias32, a select) and a select of 0 for the dropped elements. No loop,
// nothing stored.
// CHECK-LABEL: func.func @normal_masked
// CHECK-SAME:    %[[SEED:[^:]*]]: tensor<i64>, %[[EPOCH:[^:]*]]: tensor<i64>
// CHECK:         tensor.extract %[[EPOCH]][] : tensor<i64>
// CHECK-COUNT-20: arith.mului_extended
// CHECK-COUNT-16: arith.remui %{{.*}}, %c128_i64 : i64
// CHECK:         tensor.extract %[[SEED]][] : tensor<i64>
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      outs(%{{.*}} : tensor<8x16xf32>)
// CHECK-COUNT-20:  arith.mului_extended
// CHECK-NOT:       arith.mului_extended
// CHECK-COUNT-16:  arith.maxui %{{.*}} : i32
// CHECK-NOT:       arith.maxui
// CHECK:           %[[KEPT:.*]] = arith.cmpi uge, %{{.*}}, %c96_i32 : i32
// CHECK:           %[[Z:.*]] = arith.select %[[KEPT]], %{{.*}}, %{{.*}} : f32
// CHECK:           linalg.yield %[[Z]] : f32
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         return %[[G]]
// CHECK-NOT:     scf.
func.func @normal_masked(%seed: tensor<i64>, %epoch: tensor<i64>) -> tensor<8x16xf32> {
  %z = train.normal %seed mask(%epoch : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 0.75 : f64, mask_seed = 42 : i64} : tensor<i64> -> tensor<8x16xf32>
  return %z : tensor<8x16xf32>
}

// -----

// floor(0.005 * 128) = 0: the mask keeps everything and costs nothing; the
// op lowers exactly like an unmasked one (blocked iteration space).
// CHECK-LABEL: func.func @mask_keeps_all
// CHECK-NOT:     arith.maxui
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<2x4x16xf32>)
// CHECK-NOT:     arith.maxui
// CHECK:         tensor.collapse_shape
func.func @mask_keeps_all(%seed: tensor<i64>, %epoch: tensor<i64>) -> tensor<8x16xf32> {
  %z = train.normal %seed mask(%epoch : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 0.005 : f64} : tensor<i64> -> tensor<8x16xf32>
  return %z : tensor<8x16xf32>
}

// -----

// add_noise: x + alpha (z * m); the element index is offset into a global
// domain above 2^31, so the permutation runs in i64 and hashes the high word
// (floor(0.5 (2^40 + 100)) = 549755813938 zeros).
// CHECK-LABEL: func.func @add_noise_global_wide
// CHECK-SAME:    %[[X:[^:]*]]: tensor<64xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]] : tensor<64xf32>)
// CHECK:         ^bb0(%[[XV:.*]]: f32, %{{.*}}: f32):
// CHECK:           arith.addi %{{.*}}, %c1099511627700_i64 : i64
// CHECK-COUNT-16:  arith.maxui %{{.*}} : i64
// CHECK:           %[[KEPT:.*]] = arith.cmpi uge, %{{.*}}, %c549755813938_i64 : i64
// CHECK:           %[[Z:.*]] = arith.select %[[KEPT]], %{{.*}}, %{{.*}} : f32
// CHECK:           %[[AZ:.*]] = arith.mulf %{{.*}}, %[[Z]] : f32
// CHECK:           %[[Y:.*]] = arith.addf %[[XV]], %[[AZ]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
func.func @add_noise_global_wide(%x: tensor<64xf32>, %seed: tensor<i64>, %alpha: tensor<f32>, %epoch: tensor<i64>) -> tensor<64xf32> {
  %y = train.add_noise %x, %seed, %alpha mask(%epoch : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.5 : f64, mask_domain = 1099511627876 : i64, mask_offset = 1099511627700 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<64xf32>
}
