// A result computed on a reshaped view (here [64] seen as [4, 16], the shape
// a noise loop iterates) is written straight into its out-param: after
// buffer-results-to-out-params, zo-write-updates-in-place runs once more and
// turns `memref.copy collapse(%scratch) -> %out` into a loop writing %out
// (lib/Pipelines/CpuLowering.cpp, docs/runtime.md "Ownership"). No scratch
// allocation, no copy.
// RUN: zo-opt --zo-cpu-lowering --split-input-file %s | FileCheck %s

// CHECK-LABEL: llvm.func @reshaped_result(
// CHECK-NOT: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT: "llvm.intr.memcpy"
// CHECK: llvm.return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @reshaped_result(%x: tensor<64xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<64xf32> {zo.name = "y"}) {
  %v = tensor.expand_shape %x [[0, 1]] output_shape [4, 16] : tensor<64xf32> into tensor<4x16xf32>
  %e = tensor.empty() : tensor<4x16xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
       ins(%v : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %y = tensor.collapse_shape %g [[0, 1]] : tensor<4x16xf32> into tensor<64xf32>
  return %y : tensor<64xf32>
}

// -----

// Returning an argument keeps its copy: the out-param is a distinct buffer
// the caller owns.
// CHECK-LABEL: llvm.func @argument_result(
// CHECK: "llvm.intr.memcpy"
// CHECK: llvm.return
func.func @argument_result(%x: tensor<64xf32> {zo.name = "x", zo.role = "input"})
    -> (tensor<64xf32> {zo.name = "y"}) {
  return %x : tensor<64xf32>
}
