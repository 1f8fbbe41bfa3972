// RUN: zo-opt %s --convert-train-to-linalg --split-input-file | FileCheck %s
// RUN: zo-opt %s --convert-train-to-linalg --zo-fuse-elementwise --canonicalize --split-input-file | FileCheck %s --check-prefix=FUSED

// Last dim a multiple of 64: the generic iterates over [8, 1, 16, 4] (rows,
// 64-element runs, 16 blocks of a run, the 4 lanes innermost) and writes a
// [8, 1, 4, 16] tensor (element order: lane j of the run's 16 blocks is its
// j-th 16 elements); the block is 16 x the run's linear index + the block
// dim, and Philox's ten rounds are twenty 32x32->64 multiplies on it; all
// four normals of the block (two radii, each a polynomial log and a sqrt;
// sin and cos as polynomials) are computed and the lane selects one.
// CHECK:       #[[SWAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
// CHECK-LABEL: func.func @normal_blocked
// CHECK-SAME:    %[[SEED:[^:]*]]: tensor<i64>
// CHECK:         %[[S:.*]] = tensor.extract %[[SEED]][] : tensor<i64>
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[SWAP]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME:      outs(%{{.*}} : tensor<8x1x4x16xf32>)
// CHECK:           linalg.index 0
// CHECK:           linalg.index 1
// CHECK:           %[[I:.*]] = linalg.index 2
// CHECK:           %[[GRP16:.*]] = arith.muli %{{.*}}, %c16
// CHECK:           arith.addi %[[GRP16]], %[[I]] : index
// CHECK:           %[[LANE:.*]] = linalg.index 3
// CHECK:           arith.trunci %[[S]] : i64 to i32
// CHECK-COUNT-20:  arith.mului_extended
// CHECK-NOT:       arith.mului_extended
// CHECK-NOT:       math.log
// CHECK-COUNT-2:   math.sqrt
// CHECK-NOT:       math.sin
// CHECK-NOT:       math.cos
// CHECK:           arith.index_castui %[[LANE]] {zo.noise_lane} : index to i32
// CHECK:           linalg.yield
// CHECK:         tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2, 3]] : tensor<8x1x4x16xf32> into tensor<8x64xf32>
// CHECK-NOT:     train.
func.func @normal_blocked(%seed: tensor<i64>) -> tensor<8x64xf32> {
  %z = train.normal %seed {param_id = 3 : i64} : tensor<i64> -> tensor<8x64xf32>
  return %z : tensor<8x64xf32>
}

// -----

// No trailing dims with a multiple of 64 elements: the tensor's own shape;
// element e is lane (e / 16) % 4 of block 16 (e / 64) + e % 16, and only the
// lane's own pair of words goes through Box-Muller.
// CHECK-LABEL: func.func @normal_fallback
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<3x5xf32>)
// CHECK:           %[[E:.*]] = arith.addi
// CHECK-DAG:       %[[I:.*]] = arith.remui %[[E]], %c16
// CHECK-DAG:       %[[GRP:.*]] = arith.divui %[[E]], %c64
// CHECK:           %[[GRP16:.*]] = arith.muli %[[GRP]], %c16
// CHECK:           arith.addi %[[GRP16]], %[[I]] : index
// CHECK:           %[[J:.*]] = arith.divui %[[E]], %c16
// CHECK:           arith.remui %[[J]], %c4
// CHECK-COUNT-20:  arith.mului_extended
// CHECK-COUNT-1:   math.sqrt
// CHECK-NOT:       math.sqrt
// CHECK-NOT:       zo.noise_lane
// CHECK:           linalg.yield
// CHECK-NOT:     tensor.collapse_shape
func.func @normal_fallback(%seed: tensor<i64>) -> tensor<3x5xf32> {
  %z = train.normal %seed {param_id = 3 : i64, stream = 1 : i64} : tensor<i64> -> tensor<3x5xf32>
  return %z : tensor<3x5xf32>
}

// -----

// add_noise: one generic; seed and alpha are extracted before it (a load in
// the loop nest could alias its stores and keep Philox in the lane loop), x
// is read through an expand_shape to the blocked element order.
// CHECK-LABEL: func.func @add_noise
// CHECK-SAME:    %[[X:[^:]*]]: tensor<64xf32>, %[[SEED:[^:]*]]: tensor<i64>, %[[ALPHA:[^:]*]]: tensor<f32>
// CHECK:         %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0, 1, 2]] output_shape [1, 4, 16] : tensor<64xf32> into tensor<1x4x16xf32>
// CHECK-DAG:     tensor.extract %[[SEED]][] : tensor<i64>
// CHECK-DAG:     %[[A:.*]] = tensor.extract %[[ALPHA]][] : tensor<f32>
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[XE]] : tensor<1x4x16xf32>)
// CHECK:         ^bb0(%[[XV:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[AZ:.*]] = arith.mulf %[[A]], %{{.*}} : f32
// CHECK:           %[[Y:.*]] = arith.addf %[[XV]], %[[AZ]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
// CHECK:         tensor.collapse_shape %[[G]] {{\[}}[0, 1, 2]] : tensor<1x4x16xf32> into tensor<64xf32>
// CHECK-NEXT:    return
func.func @add_noise(%x: tensor<64xf32>, %seed: tensor<i64>, %alpha: tensor<f32>) -> tensor<64xf32> {
  %y = train.add_noise %x, %seed, %alpha {param_id = 0 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<64xf32>
}

// -----

// bf16 x: the noise and x + alpha z are f32 (x widened), rounded once to
// bf16 on the way out.
// CHECK-LABEL: func.func @add_noise_bf16
// CHECK:         %[[A:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<1x4x16xbf16>)
// CHECK:         ^bb0(%[[XV:.*]]: bf16, %{{.*}}: bf16):
// CHECK:           %[[AZ:.*]] = arith.mulf %[[A]], %{{.*}} : f32
// CHECK:           %[[XF:.*]] = arith.extf %[[XV]] : bf16 to f32
// CHECK:           %[[Y:.*]] = arith.addf %[[XF]], %[[AZ]] : f32
// CHECK:           %[[YB:.*]] = arith.truncf %[[Y]] : f32 to bf16
// CHECK:           linalg.yield %[[YB]] : bf16
func.func @add_noise_bf16(%x: tensor<64xbf16>, %seed: tensor<i64>, %alpha: tensor<f32>) -> tensor<64xbf16> {
  %y = train.add_noise %x, %seed, %alpha {param_id = 0 : i64} : tensor<64xbf16>, tensor<i64>, tensor<f32>
  return %y : tensor<64xbf16>
}

// -----

// The noise is never stored: the CPU pipeline's elementwise fusion folds the
// generic into its consumer through the collapse_shape (the consumer is
// expanded to the blocked element order [32, 1, 4, 16]). The fused loop
// takes the consumer's loop order, with the lane (element dim 2) outside
// the 16 blocks; zo-fuse-elementwise moves the lane loop back innermost
// (the loops are [32, 1, 16, 4] again, every operand read through the
// swap), so the block's Philox call stays invariant in the innermost loop.
// FUSED:       #[[SWAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
// FUSED-LABEL: func.func @fused_consumer
// FUSED:         linalg.generic
// FUSED-SAME:      indexing_maps = [#[[SWAP]], #[[SWAP]]]
// FUSED-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// FUSED-SAME:      tensor<32x1x4x16xf32>
// FUSED:           %[[LANE:.*]] = linalg.index 3
// FUSED:           arith.mului_extended
// FUSED:           math.sqrt
// FUSED:           arith.index_castui %[[LANE]] {zo.noise_lane}
// FUSED:           arith.mulf
// FUSED:           arith.addf
// FUSED:           linalg.yield
// FUSED-NOT:     linalg.generic
// FUSED:         return
func.func @fused_consumer(%w: tensor<32x64xf32>, %seed: tensor<i64>) -> tensor<32x64xf32> {
  %z = train.normal %seed {param_id = 1 : i64} : tensor<i64> -> tensor<32x64xf32>
  %e = tensor.empty() : tensor<32x64xf32>
  %eps = arith.constant 1.0e-3 : f32
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
       ins(%w, %z : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %b, %eps : f32
    %r = arith.addf %a, %s : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// -----

// The last dim (16) is not a multiple of 64 but 8 x 16 is: both dims merge
// into the blocked triple [2, 4, 16] (collapse and expand back), four
// normals per Philox call instead of one.
// CHECK-LABEL: func.func @normal_merged
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<2x4x16xf32>)
// CHECK-COUNT-20:  arith.mului_extended
// CHECK-COUNT-2:   math.sqrt
// CHECK:           linalg.yield
// CHECK:         %[[C:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1, 2]] : tensor<2x4x16xf32> into tensor<128xf32>
// CHECK:         tensor.expand_shape %[[C]] {{\[}}[0, 1]] output_shape [8, 16] : tensor<128xf32> into tensor<8x16xf32>
func.func @normal_merged(%seed: tensor<i64>) -> tensor<8x16xf32> {
  %z = train.normal %seed {param_id = 9 : i64} : tensor<i64> -> tensor<8x16xf32>
  return %z : tensor<8x16xf32>
}

// -----

// A perturbed bias read by every row: fused, the noise would be regenerated
// once per row; it stays its own loop over the 64 bias elements.
// FUSED-LABEL: func.func @broadcast_consumer
// FUSED:         linalg.generic
// FUSED:           arith.mului_extended
// FUSED:           linalg.yield
// FUSED:         linalg.generic
// FUSED-NOT:       arith.mului_extended
// FUSED:           arith.addf
// FUSED:           linalg.yield
// FUSED:         return
func.func @broadcast_consumer(%x: tensor<128x64xf32>, %b: tensor<64xf32>, %seed: tensor<i64>, %alpha: tensor<f32>) -> tensor<128x64xf32> {
  %bp = train.add_noise %b, %seed, %alpha {param_id = 1 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  %e = tensor.empty() : tensor<128x64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
       ins(%x, %bp : tensor<128x64xf32>, tensor<64xf32>) outs(%e : tensor<128x64xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

// -----

// A [32, 32] noise merges both dims into [16 runs, 4, 16]: its consumer sees
// it through collapse_shape + expand_shape, which reshape propagation cannot
// fuse across. zo-fuse-elementwise moves the elementwise consumer to the
// noise's shape instead (operands collapsed to 1-D and expanded; the result
// reshaped back), so the noise still fuses: one loop, no stored noise (a
// parameter-sized temporary in ZO-Adam's moment sweeps otherwise).
// FUSED-LABEL: func.func @merged_consumer
// FUSED-SAME:    %[[M:[^:]*]]: tensor<32x32xf32>
// FUSED:         %[[MC:.*]] = tensor.collapse_shape %[[M]] {{\[}}[0, 1]] : tensor<32x32xf32> into tensor<1024xf32>
// FUSED:         %[[ME:.*]] = tensor.expand_shape %[[MC]] {{\[}}[0, 1, 2]] output_shape [16, 4, 16]
// FUSED:         %[[G:.*]] = linalg.generic
// FUSED-SAME:      ins(%[[ME]] : tensor<16x4x16xf32>)
// FUSED:           %[[LANE:.*]] = linalg.index 2
// FUSED:           arith.mului_extended
// FUSED:           arith.index_castui %[[LANE]] {zo.noise_lane}
// FUSED:           linalg.yield
// FUSED-NOT:     linalg.generic
// FUSED:         %[[C:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1, 2]] : tensor<16x4x16xf32> into tensor<1024xf32>
// FUSED:         tensor.expand_shape %[[C]] {{\[}}[0, 1]] output_shape [32, 32]
func.func @merged_consumer(%m: tensor<32x32xf32>, %seed: tensor<i64>) -> tensor<32x32xf32> {
  %z = train.normal %seed {param_id = 1 : i64} : tensor<i64> -> tensor<32x32xf32>
  %e = tensor.empty() : tensor<32x32xf32>
  %beta = arith.constant 0.9 : f32
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
       ins(%m, %z : tensor<32x32xf32>, tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %beta : f32
    %r = arith.addf %s, %b : f32
    linalg.yield %r : f32
  } -> tensor<32x32xf32>
  return %y : tensor<32x32xf32>
}
