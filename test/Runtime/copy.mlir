// Concatenations and slices become memref.copy between strided views, done
// by the runtime's memrefCopy (lib/Runtime/RuntimeSymbols.cpp), which copies
// the trailing dims contiguous in both views as one block. Concats along
// the first, a middle and the last axis, and a strided (every other column)
// slice, against numpy. Every result is a caller-owned out-param: the
// compiled code allocates nothing (and nothing is live at its peak).
// RUN: %python -c "import numpy as np; r = np.random.default_rng(0); np.savez('%t.in.npz', a=r.standard_normal((2, 3, 4)).astype(np.float32), b=r.standard_normal((2, 5, 4)).astype(np.float32), c=r.standard_normal((2, 3, 6)).astype(np.float32))"
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz --print-memory | FileCheck %s --check-prefix=MEM
// RUN: %python -c "import numpy as np; i = np.load('%t.in.npz'); a, b, c = i['a'], i['b'], i['c']; np.savez('%t.ref.npz', first=np.concatenate([a, a], 0), middle=np.concatenate([a, b], 1), last=np.concatenate([a, c], 2), strided=c[:, :, ::2].copy())"
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --exact | FileCheck %s
// CHECK-DAG: first: ok
// CHECK-DAG: middle: ok
// CHECK-DAG: last: ok
// CHECK-DAG: strided: ok
// MEM: memory: current_bytes=0 peak_bytes=0 allocations=0
// MEM-NEXT: memory: live at peak (bytes, oldest first):{{$}}

func.func @forward(%a: tensor<2x3x4xf32> {zo.name = "a", zo.role = "input"},
                   %b: tensor<2x5x4xf32> {zo.name = "b", zo.role = "input"},
                   %c: tensor<2x3x6xf32> {zo.name = "c", zo.role = "input"})
    -> (tensor<4x3x4xf32> {zo.name = "first"}, tensor<2x8x4xf32> {zo.name = "middle"},
        tensor<2x3x10xf32> {zo.name = "last"}, tensor<2x3x3xf32> {zo.name = "strided"}) {
  %e0 = tensor.empty() : tensor<4x3x4xf32>
  %f0 = tensor.insert_slice %a into %e0[0, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<4x3x4xf32>
  %first = tensor.insert_slice %a into %f0[2, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<4x3x4xf32>
  %e1 = tensor.empty() : tensor<2x8x4xf32>
  %m0 = tensor.insert_slice %a into %e1[0, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<2x8x4xf32>
  %middle = tensor.insert_slice %b into %m0[0, 3, 0] [2, 5, 4] [1, 1, 1] : tensor<2x5x4xf32> into tensor<2x8x4xf32>
  %e2 = tensor.empty() : tensor<2x3x10xf32>
  %l0 = tensor.insert_slice %a into %e2[0, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<2x3x10xf32>
  %last = tensor.insert_slice %c into %l0[0, 0, 4] [2, 3, 6] [1, 1, 1] : tensor<2x3x6xf32> into tensor<2x3x10xf32>
  %strided = tensor.extract_slice %c[0, 0, 0] [2, 3, 3] [1, 1, 2] : tensor<2x3x6xf32> to tensor<2x3x3xf32>
  return %first, %middle, %last, %strided : tensor<4x3x4xf32>, tensor<2x8x4xf32>, tensor<2x3x10xf32>, tensor<2x3x3xf32>
}
