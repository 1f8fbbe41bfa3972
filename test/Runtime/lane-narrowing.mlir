// The JIT's lane narrowing (zo/Runtime/LaneNarrowing.h) on a host with
// 512-bit vectors: the vectorized Philox rounds take their multiplies' high
// halves with vpshufd (not vpsrlq) and pack their 64-bit lanes into 32-bit
// words with vpermt2d (not vpmovqd + vinserti64x4). That the words and
// normals are unchanged, bit for bit, is normal-run.mlir's test-emit-words
// check (raw Philox words against python/zo/philox.py).
// REQUIRES: x86-avx512
// RUN: zo-opt %s --convert-train-to-linalg -o %t.mlir
// RUN: %python %testlib/make_npz.py %t.in.npz x:f32:4096 seed:i64:scalar alpha:f32:scalar
// RUN: zo-run %t.mlir --inputs %t.in.npz --dump-object-file=%t.o
// RUN: llvm-objdump -d --no-show-raw-insn %t.o | FileCheck %s

// CHECK-LABEL: <forward>:
// CHECK-NOT: vpsrlq
// CHECK-NOT: vpmovqd
// CHECK: vpmuludq
// CHECK: vpshufd
// CHECK: vpermt2d
// CHECK-NOT: vpsrlq
// CHECK-NOT: vpmovqd
// CHECK: ret
func.func @forward(%x: tensor<4096xf32> {zo.name = "x", zo.role = "input"},
                   %seed: tensor<i64> {zo.name = "seed", zo.role = "input"},
                   %alpha: tensor<f32> {zo.name = "alpha", zo.role = "input"})
    -> (tensor<4096xf32> {zo.name = "y"}) {
  %y = train.add_noise %x, %seed, %alpha {param_id = 0 : i64}
      : tensor<4096xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<4096xf32>
}
