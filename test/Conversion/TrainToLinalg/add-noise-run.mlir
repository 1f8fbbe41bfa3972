// train.add_noise through zo-run: x + alpha z with z from python/zo/philox.py,
// on a blocked shape (16x32) and a fallback shape (5x3).
// RUN: %python %S/Inputs/noise_ref.py inputs %t.in.npz
// RUN: zo-opt %s --convert-train-to-linalg -o %t.mlir
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/noise_ref.py add_noise %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-6 --atol 1e-8 | FileCheck %s
// CHECK-DAG: y0: ok
// CHECK-DAG: y1: ok

func.func @forward(%sa: tensor<i64> {zo.name = "seed_a", zo.role = "input"},
                   %sb: tensor<i64> {zo.name = "seed_b", zo.role = "input"},
                   %x0: tensor<16x32xf32> {zo.name = "x0", zo.role = "input"},
                   %x1: tensor<5x3xf32> {zo.name = "x1", zo.role = "input"},
                   %alpha: tensor<f32> {zo.name = "alpha", zo.role = "input"})
    -> (tensor<16x32xf32> {zo.name = "y0"}, tensor<5x3xf32> {zo.name = "y1"}) {
  %y0 = train.add_noise %x0, %sb, %alpha {param_id = 3 : i64} : tensor<16x32xf32>, tensor<i64>, tensor<f32>
  %y1 = train.add_noise %x1, %sb, %alpha {param_id = 4 : i64, stream = 1 : i64} : tensor<5x3xf32>, tensor<i64>, tensor<f32>
  return %y0, %y1 : tensor<16x32xf32>, tensor<5x3xf32>
}
