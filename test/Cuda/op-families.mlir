// The op families of a step through zo-cuda-lowering: the GPU IR (stop-at=
// gpu: launches, block sizes, what runs in the kernels, no host access of
// device memory) and the PTX (stop-at=ptx, the default).
// RUN: zo-opt %s -split-input-file --convert-graph-to-linalg --zo-cuda-lowering="stop-at=gpu" | FileCheck %s --check-prefix=GPU
// RUN: zo-opt %s -split-input-file --convert-graph-to-linalg --zo-cuda-lowering | FileCheck %s --check-prefix=PTX

// Elementwise chain (bias add, GELU, product): fused into one kernel, the
// 8x100 iteration space flattened and tiled by 256 threads (4 blocks, the
// last one guarded); erf is polynomial arithmetic, no libdevice call.
// GPU-LABEL: func.func @elementwise(
// GPU-NOT: memref.load
// GPU: gpu.launch_func async [%{{.*}}] @elementwise_kernel::@elementwise_kernel blocks in (%[[C4:.*]], %{{.*}}, %{{.*}}) threads in (%[[C256:.*]], %{{.*}}, %{{.*}}) args(%arg0 : memref<8x100xf32>, %arg1 : memref<100xf32>, %arg2 : memref<8x100xf32>)
// GPU-NOT: memref.load
// GPU: return
// GPU: gpu.func @elementwise_kernel({{.*}}) kernel attributes {known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 4, 1, 1>}
// GPU: %[[BID:.*]] = gpu.block_id x
// GPU: %[[TID:.*]] = gpu.thread_id x
// GPU: %[[BASE:.*]] = affine.apply #{{.*}}()[%[[BID]]]
// GPU: %[[I:.*]] = arith.addi %[[TID]], %[[BASE]] : index
// GPU: %[[IN:.*]] = arith.cmpi ult, %[[I]], %c800 : index
// GPU: scf.if %[[IN]]
// GPU: math.fma
// PTX-LABEL: func.func @elementwise(
// PTX: gpu.binary @elementwise_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">, {{.*}}assembly = "{{.*}}.version 8.0{{.*}}.target sm_80{{.*}}.entry elementwise_kernel({{.*}}ld.global{{.*}}fma.rn.f32{{.*}}st.global.{{.*}}"
// PTX-NOT: __nv_

func.func @elementwise(%x: tensor<8x100xf32>, %b: tensor<100xf32>) -> tensor<8x100xf32> {
  %0 = graph.add %x, %b : (tensor<8x100xf32>, tensor<100xf32>) -> tensor<8x100xf32>
  %1 = graph.gelu %0 : tensor<8x100xf32>
  %2 = graph.mul %1, %x : (tensor<8x100xf32>, tensor<8x100xf32>) -> tensor<8x100xf32>
  return %2 : tensor<8x100xf32>
}

// -----

// Softmax: one kernel (zo-cuda-fuse-row-chains / -map-row-chains), one
// block of a warp per row (4 rows of 8): each thread strides over the row
// for its partial max, gpu.all_reduce maximumf combines them, then the
// same for the sum of exponentials (add), then the normalization, all in
// the row's block. In the PTX the all-reduce is warp shuffles.
// GPU-LABEL: func.func @softmax(
// GPU-NOT: memref.load
// GPU: gpu.alloc async
// GPU: gpu.launch_func async {{.*}} @softmax_kernel::@softmax_kernel blocks in (%c4, %c1, %c1) threads in (%c32, %c1, %c1) args(%{{.*}} : memref<4xf32>, %arg0 : memref<4x8xf32>, %{{.*}} : memref<4xf32>, %arg1 : memref<4x8xf32>)
// GPU-NOT: gpu.launch_func
// GPU-NOT: memref.load
// GPU: return
// GPU: gpu.func @softmax_kernel({{.*}}) kernel attributes {known_block_size = array<i32: 32, 1, 1>, known_grid_size = array<i32: 4, 1, 1>}
// GPU: %[[ROW:.*]] = gpu.block_id x
// GPU: %[[TID:.*]] = gpu.thread_id x
// GPU: %[[PMAX:.*]] = scf.for %{{.*}} = %[[TID]] to %c8 step %c32 iter_args
// GPU: arith.maximumf
// GPU: %[[MAX:.*]] = gpu.all_reduce maximumf %[[PMAX]] uniform
// GPU: %[[PSUM:.*]] = scf.for %{{.*}} = %[[TID]] to %c8 step %c32 iter_args
// GPU: math.fma
// GPU: %[[SUM:.*]] = gpu.all_reduce add %[[PSUM]] uniform
// GPU: scf.for %{{.*}} = %[[TID]] to %c8 step %c32 {
// GPU: arith.divf
// GPU: memref.store %{{.*}}, %{{.*}}[%[[ROW]], %{{.*}}] : memref<4x8xf32>
// GPU: gpu.barrier
// PTX-LABEL: func.func @softmax(
// PTX: gpu.binary @softmax_kernel {{.*}}assembly = "{{.*}}.entry softmax_kernel({{.*}}shfl.sync.bfly.b32{{.*}}max.NaN.f32{{.*}}bar.sync{{.*}}div.rn.f32

func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.softmax %x {axis = 1 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Layer norm: one kernel, one block per row (6 rows of 4, a warp each):
// the sum (gpu.all_reduce add), the mean, the variance (a second
// all-reduce), then the normalization reading gamma/beta; rsqrt is a
// correctly rounded square root and division in the PTX.
// GPU-LABEL: func.func @layer_norm(
// GPU-NOT: memref.load
// GPU: gpu.launch_func async {{.*}} @layer_norm_kernel::@layer_norm_kernel blocks in (%c6, %c1, %c1) threads in (%c32, %c1, %c1) args(%{{.*}} : memref<2x3xf32>, %arg0 : memref<2x3x4xf32>, {{.*}}, %arg1 : memref<4xf32>, %arg2 : memref<4xf32>, %arg3 : memref<2x3x4xf32>)
// GPU-NOT: gpu.launch_func
// GPU-NOT: memref.load
// GPU: return
// GPU: gpu.func @layer_norm_kernel(
// GPU: %[[ROW:.*]]:2 = affine.delinearize_index %{{.*}} into (2, 3)
// GPU: gpu.all_reduce add
// GPU: arith.divf
// GPU: gpu.all_reduce add
// GPU: scf.for
// GPU: math.rsqrt
// GPU: memref.store %{{.*}}, %{{.*}}[%[[ROW]]#0, %[[ROW]]#1, %{{.*}}] : memref<2x3x4xf32>
// PTX-LABEL: func.func @layer_norm(
// PTX: gpu.binary @layer_norm_kernel {{.*}}assembly = "{{.*}}.entry layer_norm_kernel({{.*}}shfl.sync.bfly.b32{{.*}}sqrt.rn.f32{{.*}}"
// PTX-NOT: rsqrt.approx

func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.layer_norm %x, %g, %b {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Embedding gather: one kernel; each thread loads its index from device
// memory and then the table row element (no host access of the indices).
// GPU-LABEL: func.func @gather(
// GPU-NOT: memref.load
// GPU: gpu.launch_func async {{.*}} @gather_kernel::@gather_kernel blocks in (%c1, %c1, %c1) threads in (%c48, %c1, %c1) args(%arg1 : memref<2x3xi64>, %arg0 : memref<16x8xf32>, %arg2 : memref<2x3x8xf32>)
// GPU-NOT: memref.load
// GPU: return
// GPU: gpu.func @gather_kernel(
// GPU: %[[IDX:.*]] = memref.load %{{.*}} : memref<2x3xi64>
// GPU: arith.index_cast %[[IDX]] : i64 to index
// GPU: %[[ROW:.*]] = arith.select
// GPU: memref.load %{{.*}}[%[[ROW]], %{{.*}}] : memref<16x8xf32>
// PTX-LABEL: func.func @gather(
// PTX: gpu.binary @gather_kernel {{.*}}assembly = "{{.*}}.entry gather_kernel({{.*}}ld.global{{.*}}ld.global{{.*}}st.global.b32{{.*}}"

func.func @gather(%E: tensor<16x8xf32>, %idx: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %0 = graph.gather %E, %idx {axis = 0 : i64} : (tensor<16x8xf32>, tensor<2x3xi64>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// GEMMs are cuBLAS calls with the CPU BLAS ABI (device pointers): a plain
// and a batched one (attention's q k^T); beta = 0 since the zero fill was
// folded away. The host waits for its stream before the call.
// GPU-LABEL: func.func private @zo_cuda_sgemm(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, f32) attributes {llvm.emit_c_interface}
// GPU: func.func private @zo_cuda_sgemm_batched(memref<?x?x?xf32, {{.*}}attributes {llvm.emit_c_interface}
// GPU-LABEL: func.func @matmul(
// GPU-NOT: memref.load
// GPU: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// GPU: call @zo_cuda_sgemm(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// GPU: %[[OUT:.*]], %[[TOK:.*]] = gpu.alloc async [%{{.*}}] () : memref<8x8x8xf32>
// GPU: gpu.wait [%[[TOK]]]
// GPU: call @zo_cuda_sgemm_batched(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// GPU: gpu.launch_func
// GPU: gpu.dealloc async [%{{.*}}] %[[OUT]]
// GPU-NOT: linalg.matmul
// GPU-NOT: linalg.batch_matmul
// PTX-LABEL: func.func @matmul(
// PTX: call @zo_cuda_sgemm(
// PTX: call @zo_cuda_sgemm_batched(

func.func @matmul(%a: tensor<5x4xf32>, %b: tensor<4x3xf32>, %q: tensor<2x4x8x16xf32>, %k: tensor<2x4x16x8xf32>) -> (tensor<5x3xf32>, tensor<2x4x8x8xf32>) {
  %0 = graph.matmul %a, %b : (tensor<5x4xf32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  %1 = graph.matmul %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %0, %1 : tensor<5x3xf32>, tensor<2x4x8x8xf32>
}

// -----

// Cross-entropy loss (mean): the per-row log-sum-exp is one row-chain
// kernel (8 blocks of a warp, max and sum all-reduces) with the one-thread
// init of the rank-0 accumulator merged in (a 9th block, guarded to one
// thread); then the sum over the batch and the division by the count,
// one-thread kernels, never host code.
// GPU-LABEL: func.func @loss(
// GPU-NOT: memref.load
// GPU: gpu.launch_func async {{.*}} blocks in (%c9, %c1, %c1) threads in (%c32, %c1, %c1)
// GPU: gpu.launch_func async {{.*}} blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
// GPU: gpu.launch_func async {{.*}} blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%{{.*}} : memref<f32>, %{{.*}} : memref<f32>, %arg2 : memref<f32>)
// GPU-NOT: gpu.launch_func
// GPU-NOT: memref.load
// GPU: return
// GPU: gpu.module @zo_kernels
// GPU: gpu.all_reduce maximumf
// GPU: gpu.all_reduce add
// GPU: known_block_size = array<i32: 1, 1, 1>
// PTX-LABEL: func.func @loss(
// PTX: gpu.binary @zo_kernels {{.*}}assembly = "{{.*}}.entry loss_kernel_1({{.*}}div.rn.f32{{.*}}"

func.func @loss(%s: tensor<8x5xf32>, %y: tensor<8xi64>) -> tensor<f32> {
  %0 = graph.softmax_cross_entropy_loss %s, %y : (tensor<8x5xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// bf16 elementwise: loads and stores of 16-bit values, arithmetic in the
// PTX as bf16 (sm_80 has it natively).
// GPU-LABEL: func.func @bf16(
// GPU: gpu.launch_func async {{.*}} threads in (%c64, %c1, %c1)
// GPU: gpu.func @bf16_kernel(%{{.*}}: memref<64xbf16>
// GPU: arith.mulf %{{.*}}, %{{.*}} : bf16
// PTX-LABEL: func.func @bf16(
// PTX: gpu.binary @bf16_kernel {{.*}}assembly = "{{.*}}.entry bf16_kernel({{.*}}ld.global.b16{{.*}}bf16{{.*}}st.global.b16

func.func @bf16(%x: tensor<64xbf16>, %y: tensor<64xbf16>) -> tensor<64xbf16> {
  %0 = graph.mul %x, %y : (tensor<64xbf16>, tensor<64xbf16>) -> tensor<64xbf16>
  return %0 : tensor<64xbf16>
}
