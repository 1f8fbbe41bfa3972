// Batch inputs are never written: the generic below names its input as its
// init, so bufferization must copy it (zo.role = "input" is read-only) rather
// than double the caller's array in place. Running three times must give
// 2x each time, not 8x.
// RUN: %python %testlib/make_npz.py %t.in.npz x:f32:8x8
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz --repeat 3
// RUN: %python -c "import numpy as np; np.savez('%t.ref.npz', y=2 * np.load('%t.in.npz')['x'])"
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz | FileCheck %s
// CHECK: y: ok

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @forward(%x: tensor<8x8xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<8x8xf32> {zo.name = "y"}) {
  %y = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
       outs(%x : tensor<8x8xf32>) {
  ^bb0(%v: f32):
    %d = arith.addf %v, %v : f32
    linalg.yield %d : f32
  } -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}
