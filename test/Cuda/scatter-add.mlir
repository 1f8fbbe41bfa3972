// graph.scatter_add (gather's VJP) through zo-cuda-lowering: its scf.forall
// over the table's columns is a parallel loop like any other, so the GPU
// runs one thread per column (64 here), each adding the index positions'
// values into its column in order: no atomics, the same order as the CPU
// (scatter-add-run.mlir runs this loop nest on the CPU against np.add.at,
// bit for bit). The zero table is a fill kernel writing the result
// buffer, which the scatter kernel then updates in place; the host only
// launches kernels (no memref.load or store outside them).
// RUN: zo-opt %s --convert-graph-to-linalg --zo-cuda-lowering="stop-at=gpu" | FileCheck %s --check-prefix=GPU
// RUN: zo-opt %s --convert-graph-to-linalg --zo-cuda-lowering | FileCheck %s --check-prefix=PTX

// GPU-LABEL: func.func @embedding_grad(%arg0: memref<2x8xi64>, %arg1: memref<2x8x64xf32>, %arg2: memref<100x64xf32>)
// GPU-NOT: memref.load
// GPU-NOT: memref.store
// GPU: gpu.launch_func async [%{{.*}}] @zo_kernels::@embedding_grad_kernel blocks in (%c25, %c1, %c1) threads in (%c256, %c1, %c1) args(%arg2 : memref<100x64xf32>)
// GPU: %[[DY:.*]] = memref.collapse_shape %arg1 {{\[\[}}0, 1], [2]] : memref<2x8x64xf32> into memref<16x64xf32>
// GPU: %[[IDS:.*]] = memref.collapse_shape %arg0 {{\[\[}}0, 1]] : memref<2x8xi64> into memref<16xi64>
// GPU: gpu.launch_func async [%{{.*}}] @zo_kernels::@embedding_grad_kernel_0 blocks in (%c1, %c1, %c1) threads in (%c64, %c1, %c1) args(%arg2 : memref<100x64xf32>, %[[IDS]] : memref<16xi64>, %[[DY]] : memref<16x64xf32>)
// GPU-NOT: memref.load
// GPU-NOT: memref.store
// GPU: return
// GPU: gpu.func @embedding_grad_kernel(
// GPU: memref.store %cst
// GPU: gpu.func @embedding_grad_kernel_0(%[[T:.*]]: memref<100x64xf32>, %[[I:.*]]: memref<16xi64>, %[[U:.*]]: memref<16x64xf32>) kernel
// GPU: %[[C:.*]] = gpu.thread_id x
// GPU: %[[COL:.*]] = memref.subview %[[T]][0, %[[C]]] [100, 1] [1, 1]
// GPU: scf.for %[[P:.*]] = %c0 to %c16 step %c1 {
// GPU: memref.load %[[I]][%[[P]]] : memref<16xi64>
// GPU: memref.load %[[U]][%[[P]], %[[C]]] : memref<16x64xf32>
// GPU: scf.if
// GPU: %[[OLD:.*]] = memref.load %[[COL]]
// GPU: arith.addf %[[OLD]]
// GPU: memref.store %{{.*}}, %[[COL]]
// GPU-NOT: atomic
// GPU: gpu.return

// PTX-LABEL: func.func @embedding_grad(
// PTX: gpu.binary @zo_kernels {{.*}}.entry embedding_grad_kernel_0({{.*}}ld.global{{.*}}add.rn.f32{{.*}}st.global
// PTX-NOT: atom.
func.func @embedding_grad(%ids: tensor<2x8xi64>, %dy: tensor<2x8x64xf32>) -> tensor<100x64xf32> {
  %zeros = graph.constant dense<0.0> : tensor<100x64xf32>
  %0 = graph.scatter_add %zeros, %ids, %dy : (tensor<100x64xf32>, tensor<2x8xi64>, tensor<2x8x64xf32>) -> tensor<100x64xf32>
  return %0 : tensor<100x64xf32>
}
