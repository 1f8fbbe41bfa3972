// Scalar arguments (per-step values like a learning rate or a seed) are
// passed by value; npz provides them as 0-d arrays.
// RUN: %python -c "import numpy as np; np.savez('%t.in.npz', x=np.arange(6, dtype=np.float32).reshape(2, 3), lr=np.array(0.5, np.float32), step=np.array(3, np.int64))"
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz --manifest %t.json
// RUN: %python -c "import numpy as np; np.savez('%t.ref.npz', y=np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 + 3)"
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz | FileCheck %s
// RUN: FileCheck %s --check-prefix=MANIFEST < %t.json
// CHECK: y: ok
// MANIFEST: "name": "lr"
// MANIFEST-NEXT: "scalar": true

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @forward(%x: tensor<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %lr: f32 {zo.name = "lr"}, %step: i64 {zo.name = "step"})
    -> (tensor<2x3xf32> {zo.name = "y"}) {
  %s = arith.sitofp %step : i64 to f32
  %e = tensor.empty() : tensor<2x3xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.mulf %v, %lr : f32
    %a = arith.addf %m, %s : f32
    linalg.yield %a : f32
  } -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
