// RUN: zo-opt --zo-fuse-elementwise -split-input-file %s | FileCheck %s

// A gather (tensor.extract in the body) of 4 rows from a 64x32 table that is
// computed elementwise through an expand/collapse pair (the form noise
// lowering gives): the table's body is recomputed at the extracted point,
// with the collapsed column split into (column / 4, column % 4) for the
// producer's linalg.index, and the table generic disappears.
// CHECK-LABEL: func.func @gather_of_computed_table
// CHECK-SAME:    (%[[T:.*]]: tensor<64x32xf32>, %[[IDS:.*]]: tensor<4xindex>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[IDS]] : tensor<4xindex>)
// CHECK-SAME:      outs(%{{.*}} : tensor<4x32xf32>)
// CHECK:         ^bb0(%[[ROW:.*]]: index, %{{.*}}: f32):
// CHECK:           %[[COL:.*]] = linalg.index 1
// CHECK-DAG:       %[[LANE:.*]] = arith.remui %[[COL]], %c4
// CHECK-DAG:       %[[BLOCK:.*]] = arith.divui %[[COL]], %c4
// CHECK:           %[[X:.*]] = tensor.extract %{{.*}}[%[[ROW]], %[[BLOCK]], %[[LANE]]] : tensor<64x8x4xf32>
// CHECK:           arith.index_cast %[[LANE]]
// CHECK:           arith.addf %[[X]]
// CHECK:           linalg.yield
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @gather_of_computed_table(%t: tensor<64x32xf32>, %ids: tensor<4xindex>) -> tensor<4x32xf32> {
  %x = tensor.expand_shape %t [[0], [1, 2]] output_shape [64, 8, 4] : tensor<64x32xf32> into tensor<64x8x4xf32>
  %e = tensor.empty() : tensor<64x8x4xf32>
  %p = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
       ins(%x : tensor<64x8x4xf32>) outs(%e : tensor<64x8x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %lane = linalg.index 2 : index
    %i = arith.index_cast %lane : index to i32
    %f = arith.sitofp %i : i32 to f32
    %s = arith.addf %v, %f : f32
    linalg.yield %s : f32
  } -> tensor<64x8x4xf32>
  %table = tensor.collapse_shape %p [[0], [1, 2]] : tensor<64x8x4xf32> into tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<4x32xf32>
  %g = linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<4xindex>) outs(%e2 : tensor<4x32xf32>) {
  ^bb0(%r: index, %o: f32):
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<64x32xf32>
    linalg.yield %v : f32
  } -> tensor<4x32xf32>
  return %g : tensor<4x32xf32>
}

// -----

// The reader does as many reads (64 rows x 32) as the table has elements:
// recomputing would not save work, so the table stays materialized.
// CHECK-LABEL: func.func @gather_reading_everything
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           tensor.extract %{{.*}} : tensor<64x32xf32>
#id2b = affine_map<(d0, d1) -> (d0, d1)>
#rowb = affine_map<(d0, d1) -> (d0)>
func.func @gather_reading_everything(%t: tensor<64x32xf32>, %ids: tensor<64xindex>) -> tensor<64x32xf32> {
  %cst = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %table = linalg.generic {indexing_maps = [#id2b, #id2b], iterator_types = ["parallel", "parallel"]}
       ins(%t : tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %cst : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %g = linalg.generic {indexing_maps = [#rowb, #id2b], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<64xindex>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%r: index, %o: f32):
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<64x32xf32>
    linalg.yield %v : f32
  } -> tensor<64x32xf32>
  return %g : tensor<64x32xf32>
}

// -----

// The table is also returned: it is computed anyway, so the gather reads it
// instead of recomputing.
// CHECK-LABEL: func.func @table_used_twice
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           tensor.extract %{{.*}} : tensor<64x32xf32>
// CHECK-NOT:       arith.addf
// CHECK:         return
#id2c = affine_map<(d0, d1) -> (d0, d1)>
#rowc = affine_map<(d0, d1) -> (d0)>
func.func @table_used_twice(%t: tensor<64x32xf32>, %ids: tensor<4xindex>) -> (tensor<4x32xf32>, tensor<64x32xf32>) {
  %cst = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %table = linalg.generic {indexing_maps = [#id2c, #id2c], iterator_types = ["parallel", "parallel"]}
       ins(%t : tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %cst : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<4x32xf32>
  %g = linalg.generic {indexing_maps = [#rowc, #id2c], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<4xindex>) outs(%e2 : tensor<4x32xf32>) {
  ^bb0(%r: index, %o: f32):
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<64x32xf32>
    linalg.yield %v : f32
  } -> tensor<4x32xf32>
  return %g, %table : tensor<4x32xf32>, tensor<64x32xf32>
}

// -----

// Elementwise fusion copies a gather into each of its consumers: the table
// then has several readers, all of which recompute it (2 x 128 reads of
// 2048 elements).
// CHECK-LABEL: func.func @two_readers
// CHECK:         linalg.generic
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id2d = affine_map<(d0, d1) -> (d0, d1)>
#rowd = affine_map<(d0, d1) -> (d0)>
func.func @two_readers(%t: tensor<64x32xf32>, %ids: tensor<4xindex>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %cst = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %table = linalg.generic {indexing_maps = [#id2d, #id2d], iterator_types = ["parallel", "parallel"]}
       ins(%t : tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %cst : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<4x32xf32>
  %g = linalg.generic {indexing_maps = [#rowd, #id2d], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<4xindex>) outs(%e2 : tensor<4x32xf32>) {
  ^bb0(%r: index, %o: f32):
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<64x32xf32>
    linalg.yield %v : f32
  } -> tensor<4x32xf32>
  %h = linalg.generic {indexing_maps = [#rowd, #id2d], iterator_types = ["parallel", "parallel"]}
       ins(%ids : tensor<4xindex>) outs(%e2 : tensor<4x32xf32>) {
  ^bb0(%r: index, %o: f32):
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<64x32xf32>
    %w = arith.mulf %v, %v : f32
    linalg.yield %w : f32
  } -> tensor<4x32xf32>
  return %g, %h : tensor<4x32xf32>, tensor<4x32xf32>
}

// -----

// A loop that only converts its input (bf16 logits widened for an f32 loss,
// as a bf16 model's exported Cast gives) is recomputed at each read however
// many reads there are: the reduction picking each row's label logit reads
// 2 of the 4 elements, which would not pass the savings test for another
// body; the conversion is cheaper than the load it replaces.
// CHECK-LABEL: func.func @widened_logits_at_label
// CHECK-SAME:    (%[[L:.*]]: tensor<2x2xbf16>, %{{.*}}: tensor<2xindex>)
// CHECK:         linalg.generic
// CHECK:           %[[X:.*]] = tensor.extract %[[L]][%{{.*}}, %{{.*}}] : tensor<2x2xbf16>
// CHECK:           arith.extf %[[X]] : bf16 to f32
// CHECK-NOT:     linalg.generic
// CHECK:         return
#ve = affine_map<(d0) -> (d0)>
#se = affine_map<(d0) -> ()>
#id2e = affine_map<(d0, d1) -> (d0, d1)>
func.func @widened_logits_at_label(%logits: tensor<2x2xbf16>, %labels: tensor<2xindex>) -> tensor<f32> {
  %e = tensor.empty() : tensor<2x2xf32>
  %wide = linalg.generic {indexing_maps = [#id2e, #id2e], iterator_types = ["parallel", "parallel"]}
       ins(%logits : tensor<2x2xbf16>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: bf16, %o: f32):
    %w = arith.extf %v : bf16 to f32
    linalg.yield %w : f32
  } -> tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#ve, #se], iterator_types = ["reduction"]}
       ins(%labels : tensor<2xindex>) outs(%init : tensor<f32>) {
  ^bb0(%l: index, %acc: f32):
    %r = linalg.index 0 : index
    %x = tensor.extract %wide[%r, %l] : tensor<2x2xf32>
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %sum : tensor<f32>
}

// -----

// A bf16 embedding gradient rounded from its f32 sum over the batch and
// read by the scatter of the gather's VJP (an scf.forall, not a generic):
// each read rounds the f32 sum itself; the bf16 copy is not stored.
// CHECK-LABEL: func.func @rounded_grad_into_scatter
// CHECK-SAME:    (%[[S:.*]]: tensor<8x4xf32>, %{{.*}}: tensor<16x4xbf16>, %{{.*}}: tensor<8xindex>)
// CHECK-NOT:     linalg.generic
// CHECK:         scf.forall
// CHECK:           %[[X:.*]] = tensor.extract %[[S]][%{{.*}}, %{{.*}}] : tensor<8x4xf32>
// CHECK:           arith.truncf %[[X]] : f32 to bf16
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id2f = affine_map<(d0, d1) -> (d0, d1)>
func.func @rounded_grad_into_scatter(%s: tensor<8x4xf32>, %table: tensor<16x4xbf16>, %ids: tensor<8xindex>) -> tensor<16x4xbf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty() : tensor<8x4xbf16>
  %g = linalg.generic {indexing_maps = [#id2f, #id2f], iterator_types = ["parallel", "parallel"]}
       ins(%s : tensor<8x4xf32>) outs(%e : tensor<8x4xbf16>) {
  ^bb0(%v: f32, %o: bf16):
    %w = arith.truncf %v : f32 to bf16
    linalg.yield %w : bf16
  } -> tensor<8x4xbf16>
  %r = scf.forall (%col) in (4) shared_outs(%out = %table) -> (tensor<16x4xbf16>) {
    %slice = tensor.extract_slice %out[0, %col] [16, 1] [1, 1] : tensor<16x4xbf16> to tensor<16xbf16>
    %acc = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %slice) -> (tensor<16xbf16>) {
      %row = tensor.extract %ids[%i] : tensor<8xindex>
      %d = tensor.extract %g[%i, %col] : tensor<8x4xbf16>
      %old = tensor.extract %a[%row] : tensor<16xbf16>
      %new = arith.addf %old, %d : bf16
      %ins = tensor.insert %new into %a[%row] : tensor<16xbf16>
      scf.yield %ins : tensor<16xbf16>
    }
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %acc into %out[0, %col] [16, 1] [1, 1] : tensor<16xbf16> into tensor<16x4xbf16>
    }
  }
  return %r : tensor<16x4xbf16>
}
