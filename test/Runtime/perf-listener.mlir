// zo-run --perf announces the JIT-compiled code to Linux perf: a jitdump
// file (LLVM's perf listener, under $JITDUMPDIR/.debug/jit) naming each
// compiled function, which `perf inject --jit` turns into symbols.
// RUN: rm -rf %t.jit && mkdir %t.jit
// RUN: %python %testlib/make_npz.py %t.in.npz a:f32:4x8
// RUN: env JITDUMPDIR=%t.jit zo-run %s --inputs %t.in.npz --perf
// RUN: %python -c "import glob, sys; d = glob.glob(sys.argv[1] + '/.debug/jit/*/jit-*.dump'); print(len(d), 'dump', b'_mlir_ciface_forward' in open(d[0], 'rb').read())" %t.jit | FileCheck %s
// CHECK: 1 dump True
// Without the flag nothing is written.
// RUN: rm -rf %t.none && mkdir %t.none
// RUN: env JITDUMPDIR=%t.none zo-run %s --inputs %t.in.npz
// RUN: %python -c "import os, sys; print('entries', len(os.listdir(sys.argv[1])))" %t.none | FileCheck %s --check-prefix=NONE
// NONE: entries 0

func.func @forward(%a: tensor<4x8xf32> {zo.name = "a", zo.role = "input"})
    -> (tensor<4x8xf32> {zo.name = "y"}) {
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
       ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = arith.addf %x, %x : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
