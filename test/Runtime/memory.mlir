// Allocation accounting: the only heap buffer of this function is the
// temporary exp(a) (16x32 f32 = 2048 bytes, plus 64 for the alignment the
// bufferizer asks for); the result is written straight into the out-param.
// RUN: %python %testlib/make_npz.py %t.in.npz a:f32:16x32 b:f32:32x24
// RUN: zo-run %s --inputs %t.in.npz --print-memory --repeat 3 | FileCheck %s
// CHECK: memory: current_bytes=0 peak_bytes=2112 allocations=3
// CHECK-NEXT: memory: live at peak (bytes, oldest first): 2112{{$}}

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @forward(%a: tensor<16x32xf32> {zo.name = "a", zo.role = "input"},
                   %b: tensor<32x24xf32> {zo.name = "b", zo.role = "input"})
    -> (tensor<16x24xf32> {zo.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %ea = tensor.empty() : tensor<16x32xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%a : tensor<16x32xf32>) outs(%ea : tensor<16x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.exp %v : f32
    linalg.yield %t : f32
  } -> tensor<16x32xf32>
  %e = tensor.empty() : tensor<16x24xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x24xf32>) -> tensor<16x24xf32>
  %y = linalg.matmul ins(%x, %b : tensor<16x32xf32>, tensor<32x24xf32>)
                     outs(%f : tensor<16x24xf32>) -> tensor<16x24xf32>
  return %y : tensor<16x24xf32>
}
