// zo-elementwise-in-place in the CPU pipeline: y = x + b (b all ones: two
// inputs, so zo-fuse-elementwise does not recompute it in its readers) is
// read by a row sum r and by z = y * r (y dies there), and z by two
// reductions (so it is not fused away). z is written into y's buffer: one 4 x 8 buffer (128
// bytes + 64 of alignment) instead of two, allocations 3 -> 2. Results by
// hand (numpy): x = 0..31 as 4 x 8, max(z) per row = 288, 1600, 3936,
// 7296; sum(z) per row = 1296, 10000, 26896, 51984.
// RUN: %python -c "import numpy as np; np.savez('%t.x.npz', x=np.arange(32, dtype=np.float32).reshape(4, 8), b=np.ones((4, 8), np.float32))"
// RUN: zo-run %s --entry f --inputs %t.x.npz --outputs %t.on.npz --print-memory | FileCheck %s --check-prefix=ON
// RUN: zo-run %s --entry f --inputs %t.x.npz --outputs %t.off.npz --print-memory --elementwise-in-place=false | FileCheck %s --check-prefix=OFF
// RUN: %python -c "import numpy as np; o = np.load('%t.on.npz'); print(o['out'].tolist(), o['out2'].tolist())" | FileCheck %s --check-prefix=VALUES
// RUN: %python %testlib/npz_compare.py %t.on.npz %t.off.npz --exact
// ON: memory: current_bytes=0 peak_bytes=272 allocations=2
// ON-NEXT: memory: live at peak (bytes, oldest first): 192 80{{$}}
// OFF: memory: current_bytes=0 peak_bytes=464 allocations=3
// OFF-NEXT: memory: live at peak (bytes, oldest first): 192 80 192{{$}}
// VALUES: [288.0, 1600.0, 3936.0, 7296.0] [1296.0, 10000.0, 26896.0, 51984.0]

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @f(%x: tensor<4x8xf32> {zo.name = "x"}, %ones: tensor<4x8xf32> {zo.name = "b"}) -> (tensor<4xf32> {zo.name = "out"}, tensor<4xf32> {zo.name = "out2"}) {
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %ones : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %z0 = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<4xf32>
  %zr = linalg.fill ins(%z0 : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<4x8xf32>) outs(%zr : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %r : tensor<4x8xf32>, tensor<4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %zr2 = linalg.fill ins(%z0 : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %out = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%z : tensor<4x8xf32>) outs(%zr2 : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maxnumf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %zr3 = linalg.fill ins(%z0 : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %out2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%z : tensor<4x8xf32>) outs(%zr3 : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %out, %out2 : tensor<4xf32>, tensor<4xf32>
}
