// The CPU pipeline's output: GEMMs call the BLAS shim through its C
// interface, allocations go through the runtime's generic hooks, f32 math is
// inlined polynomials (no libm calls), results are out-params.
// RUN: zo-opt --zo-cpu-lowering %s | FileCheck %s

// CHECK-DAG: llvm.func @_mlir_ciface_zo_rt_sgemm(!llvm.ptr, !llvm.ptr, !llvm.ptr, f32)
// CHECK-DAG: llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
// CHECK-NOT: @malloc
// CHECK-NOT: @erff
// CHECK-NOT: @tanhf
// CHECK-LABEL: llvm.func @forward(
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK: llvm.call @zo_rt_sgemm(
// CHECK: llvm.call @_mlir_memref_to_llvm_free
// CHECK: llvm.return
// Inputs first, then one descriptor pointer per result.
// CHECK-LABEL: llvm.func @_mlir_ciface_forward(%{{.*}}: !llvm.ptr {zo.name = "a", zo.role = "input"}, %{{.*}}: !llvm.ptr {zo.name = "b", zo.role = "param"}, %{{.*}}: !llvm.ptr {zo.name = "c", zo.role = "param"}, %{{.*}}: !llvm.ptr {zo.name = "y"})
// CHECK-SAME: attributes {llvm.emit_c_interface}

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @forward(%a: tensor<16x32xf32> {zo.name = "a", zo.role = "input"},
                   %b: tensor<32x24xf32> {zo.name = "b", zo.role = "param"},
                   %c: tensor<24x24xf32> {zo.name = "c", zo.role = "param"})
    -> (tensor<16x24xf32> {zo.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x24xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x24xf32>) -> tensor<16x24xf32>
  %m = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x24xf32>)
                     outs(%f : tensor<16x24xf32>) -> tensor<16x24xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%m : tensor<16x24xf32>) outs(%e : tensor<16x24xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    %r = math.erf %x : f32
    %s = arith.addf %t, %r : f32
    linalg.yield %s : f32
  } -> tensor<16x24xf32>
  // %g needs a temporary buffer: it is consumed by a second matmul.
  %h = linalg.matmul ins(%g, %c : tensor<16x24xf32>, tensor<24x24xf32>)
                     outs(%f : tensor<16x24xf32>) -> tensor<16x24xf32>
  return %h : tensor<16x24xf32>
}
