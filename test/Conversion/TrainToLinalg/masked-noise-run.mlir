// Masked train.normal / train.add_noise through zo-run against
// python/zo/sparse_mask.py and python/zo/philox.py: the zero pattern must
// match bit for bit, each layer mask must zero exactly floor(s n) elements
// and the three slices of one global mask exactly floor(s N) together, the
// values x + alpha (z * m) to 2e-6. Shapes with the last dim a multiple of
// 4 (16x32, 256x1024) and not (5x3, 1027); an epoch above 2^32; a mask seed
// above 2^63; s = 0.01 on 15 elements zeroes none; the tail of global
// domains of 2^31 (i32 arithmetic) and 2^40 + 12345 (i64). Two runs are
// bit-identical.
// RUN: %python %S/Inputs/mask_ref.py inputs %t.in.npz
// RUN: zo-opt %s --convert-train-to-linalg -o %t.mlir
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.out.npz
// RUN: %python %S/Inputs/mask_ref.py check %t.out.npz %t.in.npz | FileCheck %s
// RUN: zo-run %t.mlir --inputs %t.in.npz --outputs %t.again.npz
// RUN: %python %testlib/npz_compare.py %t.again.npz %t.out.npz --exact
// CHECK-DAG: z0: ok zeros 384/512
// CHECK-DAG: z1: ok zeros 7/15
// CHECK-DAG: z2: ok zeros 308/1027
// CHECK-DAG: z3: ok zeros 235929/262144
// CHECK-DAG: z4: ok zeros 0/15
// CHECK-DAG: y0: ok
// CHECK-DAG: y1: ok
// CHECK-DAG: y2: ok
// CHECK-DAG: w0: ok
// CHECK-DAG: w1: ok
// CHECK-DAG: global: ok zeros 354/591

func.func @forward(%seed: tensor<i64> {zo.name = "seed", zo.role = "input"},
                   %ea: tensor<i64> {zo.name = "ep_a", zo.role = "input"},
                   %eb: tensor<i64> {zo.name = "ep_b", zo.role = "input"},
                   %x0: tensor<16x32xf32> {zo.name = "x0", zo.role = "input"},
                   %x1: tensor<5x3xf32> {zo.name = "x1", zo.role = "input"},
                   %x2: tensor<64xf32> {zo.name = "x2", zo.role = "input"},
                   %alpha: tensor<f32> {zo.name = "alpha", zo.role = "input"})
    -> (tensor<16x32xf32> {zo.name = "z0"}, tensor<5x3xf32> {zo.name = "z1"},
        tensor<1027xf32> {zo.name = "z2"}, tensor<256x1024xf32> {zo.name = "z3"},
        tensor<5x3xf32> {zo.name = "z4"}, tensor<16x32xf32> {zo.name = "y0"},
        tensor<5x3xf32> {zo.name = "y1"}, tensor<64xf32> {zo.name = "y2"},
        tensor<64xf32> {zo.name = "w0"}, tensor<64xf32> {zo.name = "w1"}) {
  %z0 = train.normal %seed mask(%ea : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 0.75 : f64, mask_seed = 42 : i64} : tensor<i64> -> tensor<16x32xf32>
  %z1 = train.normal %seed mask(%ea : tensor<i64>) {param_id = 7 : i64, stream = 1 : i64, mask_sparsity = 0.5 : f64, mask_seed = 42 : i64} : tensor<i64> -> tensor<5x3xf32>
  %z2 = train.normal %seed mask(%eb : tensor<i64>) {param_id = 1 : i64, mask_sparsity = 0.3 : f64, mask_seed = -7046029254386353131 : i64} : tensor<i64> -> tensor<1027xf32>
  %z3 = train.normal %seed mask(%eb : tensor<i64>) {param_id = 2 : i64, mask_sparsity = 0.9 : f64, mask_seed = 7 : i64} : tensor<i64> -> tensor<256x1024xf32>
  %z4 = train.normal %seed mask(%ea : tensor<i64>) {param_id = 4 : i64, mask_sparsity = 0.01 : f64, mask_seed = 42 : i64} : tensor<i64> -> tensor<5x3xf32>
  %y0 = train.add_noise %x0, %seed, %alpha mask(%eb : tensor<i64>) {param_id = 0 : i64, mask_sparsity = 0.6 : f64, mask_seed = 5 : i64, mask_domain = 591 : i64, mask_offset = 0 : i64} : tensor<16x32xf32>, tensor<i64>, tensor<f32>
  %y1 = train.add_noise %x1, %seed, %alpha mask(%eb : tensor<i64>) {param_id = 1 : i64, mask_sparsity = 0.6 : f64, mask_seed = 5 : i64, mask_domain = 591 : i64, mask_offset = 512 : i64} : tensor<5x3xf32>, tensor<i64>, tensor<f32>
  %y2 = train.add_noise %x2, %seed, %alpha mask(%eb : tensor<i64>) {param_id = 2 : i64, mask_sparsity = 0.6 : f64, mask_seed = 5 : i64, mask_domain = 591 : i64, mask_offset = 527 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  %w0 = train.add_noise %x2, %seed, %alpha mask(%ea : tensor<i64>) {param_id = 5 : i64, mask_sparsity = 0.5 : f64, mask_seed = 3 : i64, mask_domain = 2147483648 : i64, mask_offset = 2147483584 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  %w1 = train.add_noise %x2, %seed, %alpha mask(%ea : tensor<i64>) {param_id = 6 : i64, mask_sparsity = 0.5 : f64, mask_seed = 3 : i64, mask_domain = 1099511640121 : i64, mask_offset = 1099511640057 : i64} : tensor<64xf32>, tensor<i64>, tensor<f32>
  return %z0, %z1, %z2, %z3, %z4, %y0, %y1, %y2, %w0, %w1
      : tensor<16x32xf32>, tensor<5x3xf32>, tensor<1027xf32>, tensor<256x1024xf32>,
        tensor<5x3xf32>, tensor<16x32xf32>, tensor<5x3xf32>, tensor<64xf32>,
        tensor<64xf32>, tensor<64xf32>
}
