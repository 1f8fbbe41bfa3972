// Reductions: row sums (linalg.reduce), row maxima and a 0-d mean "loss".
// RUN: %python %testlib/make_npz.py %t.in.npz x:f32:37x129
// RUN: zo-run %s --inputs %t.in.npz --outputs %t.out.npz --print-memory | FileCheck %s --check-prefix=MEM
// RUN: %python %S/Inputs/reference.py reduce %t.ref.npz %t.in.npz
// RUN: %python %testlib/npz_compare.py %t.out.npz %t.ref.npz --rtol 1e-5 --atol 1e-5 | FileCheck %s
// CHECK-DAG: row_sum: ok
// CHECK-DAG: row_max: ok
// CHECK-DAG: loss: ok
// Results live in caller-owned out-params: nothing is left allocated.
// MEM: memory: current_bytes=0 peak_bytes={{[0-9]+}} allocations={{[0-9]+}}

func.func @forward(%x: tensor<37x129xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<37xf32> {zo.name = "row_sum"}, tensor<37xf32> {zo.name = "row_max"},
        tensor<f32> {zo.name = "loss"}) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = arith.constant 37.0 : f32
  %e = tensor.empty() : tensor<37xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<37xf32>) -> tensor<37xf32>
  %sum = linalg.reduce ins(%x : tensor<37x129xf32>) outs(%z : tensor<37xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  %m0 = linalg.fill ins(%ninf : f32) outs(%e : tensor<37xf32>) -> tensor<37xf32>
  %max = linalg.reduce ins(%x : tensor<37x129xf32>) outs(%m0 : tensor<37xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %s = arith.maximumf %a, %acc : f32
      linalg.yield %s : f32
    }
  %e0 = tensor.empty() : tensor<f32>
  %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %tot = linalg.reduce ins(%sum : tensor<37xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  %loss = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
          ins(%tot : tensor<f32>) outs(%e0 : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.divf %a, %n : f32
    linalg.yield %d : f32
  } -> tensor<f32>
  return %sum, %max, %loss : tensor<37xf32>, tensor<37xf32>, tensor<f32>
}
