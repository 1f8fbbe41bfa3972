// train.normal through zo-run against python/zo/philox.py: blocked shapes
// (last dim % 4 == 0) and fallback shapes (n % 4 != 0, 6x2, 0-d), param ids up
// to 2^32 - 1, streams, a seed above 2^63. The raw Philox words must match bit
// for bit (test-emit-words), the normals to 2e-6 (polynomial log/sin/cos),
// and two runs must be bit-identical.
// RUN: %python %S/Inputs/noise_ref.py inputs %t.in.npz
// RUN: zo-opt %s --convert-train-to-linalg -o %t.mlir
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/noise_ref.py normal %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 0 --atol 2e-6 | FileCheck %s
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.again.npz
// RUN: %python %testlib/npz_compare.py %t.again.npz %t.out.npz --exact | FileCheck %s
// RUN: zo-opt %s --convert-train-to-linalg=test-emit-words -o %t.words.mlir
// RUN: zo-run %t.words.mlir --inputs %t.in.npz --outputs %t.words.npz
// RUN: %python %S/Inputs/noise_ref.py words %t.words.npz %t.in.npz | FileCheck %s
// CHECK-DAG: z0: ok
// CHECK-DAG: z1: ok
// CHECK-DAG: z2: ok
// CHECK-DAG: z3: ok
// CHECK-DAG: z4: ok
// CHECK-DAG: z5: ok
// CHECK-DAG: z6: ok

func.func @forward(%sa: tensor<i64> {zo.name = "seed_a", zo.role = "input"},
                   %sb: tensor<i64> {zo.name = "seed_b", zo.role = "input"},
                   %x0: tensor<16x32xf32> {zo.name = "x0", zo.role = "input"},
                   %x1: tensor<5x3xf32> {zo.name = "x1", zo.role = "input"},
                   %alpha: tensor<f32> {zo.name = "alpha", zo.role = "input"})
    -> (tensor<8x16xf32> {zo.name = "z0"}, tensor<3x5xf32> {zo.name = "z1"},
        tensor<1027xf32> {zo.name = "z2"}, tensor<2x3x8xf32> {zo.name = "z3"},
        tensor<f32> {zo.name = "z4"}, tensor<256x1024xf32> {zo.name = "z5"},
        tensor<6x2xf32> {zo.name = "z6"}) {
  %z0 = train.normal %sa {param_id = 0 : i64} : tensor<i64> -> tensor<8x16xf32>
  %z1 = train.normal %sb {param_id = 7 : i64, stream = 2 : i64} : tensor<i64> -> tensor<3x5xf32>
  %z2 = train.normal %sb {param_id = 1 : i64} : tensor<i64> -> tensor<1027xf32>
  %z3 = train.normal %sa {param_id = 4294967295 : i64, stream = 1 : i64} : tensor<i64> -> tensor<2x3x8xf32>
  %z4 = train.normal %sb {param_id = 5 : i64} : tensor<i64> -> tensor<f32>
  %z5 = train.normal %sb {param_id = 2 : i64} : tensor<i64> -> tensor<256x1024xf32>
  %z6 = train.normal %sa {param_id = 9 : i64, stream = 3 : i64} : tensor<i64> -> tensor<6x2xf32>
  return %z0, %z1, %z2, %z3, %z4, %z5, %z6
      : tensor<8x16xf32>, tensor<3x5xf32>, tensor<1027xf32>, tensor<2x3x8xf32>,
        tensor<f32>, tensor<256x1024xf32>, tensor<6x2xf32>
}
