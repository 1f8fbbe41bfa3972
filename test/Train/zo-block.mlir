// Block-wise ZO on a two-layer model (Inputs/layers.mlir): which parameters
// each block's forwards perturb, and coordinate vs simultaneous updates.
// Parameters: 0 layers.0.fc.weight, 1 layers.0.fc.bias, 2 layers.0.norm.weight,
// 3 onnx::MatMul_7 (node scope layers.1.fc), 4 head.weight.
// RUN: zo-opt %S/Inputs/layers.mlir --zo-zeroth-order="blocks=layer" | FileCheck %s --check-prefix=LAYER
// RUN: zo-opt %S/Inputs/layers.mlir --zo-zeroth-order="blocks=module block-update=simultaneous" | FileCheck %s --check-prefix=MODULE
// RUN: zo-opt %S/Inputs/layers.mlir --zo-zeroth-order="blocks=tensor" | FileCheck %s --check-prefix=TENSOR
// RUN: not zo-opt %S/Inputs/layers.mlir --zo-zeroth-order="blocks=row" 2>&1 | FileCheck %s --check-prefix=BADLEVEL
// RUN: not zo-opt %S/Inputs/layers.mlir --zo-zeroth-order="blocks=layer block-update=jacobi" 2>&1 | FileCheck %s --check-prefix=BADUPDATE

// layer: blocks {0, 1, 2} (model.layers.0), {3} (model.layers.1, from the
// node scope), {4} (model: outside numbered layers). Coordinate: block 0 is
// written right after its two forwards, and block 1's forwards use the
// written values.
// LAYER-LABEL: func.func @train_step(
// LAYER-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {zo.name = "x"
// LAYER: train.add_noise {{.*}} {param_id = 0 : i64}
// LAYER: train.add_noise {{.*}} {param_id = 1 : i64}
// LAYER: train.add_noise {{.*}} {param_id = 2 : i64}
// LAYER-NOT: param_id = 3
// LAYER: graph.reduce_mean
// LAYER: train.add_noise {{.*}} {param_id = 0 : i64}
// LAYER-NOT: param_id = 3
// LAYER: graph.reduce_mean
// LAYER-NOT: param_id = 3
// LAYER: %[[W0:.*]] = bufferization.materialize_in_destination %{{.*}} in %arg1
// LAYER: bufferization.materialize_in_destination %{{.*}} in %arg3
// LAYER: graph.matmul %[[X]], %[[W0]]
// LAYER-NOT: param_id = 0
// LAYER: train.add_noise {{.*}} {param_id = 3 : i64}
// LAYER-NOT: param_id = 4
// LAYER: bufferization.materialize_in_destination %{{.*}} in %arg4
// LAYER: train.add_noise {{.*}} {param_id = 4 : i64}
// LAYER: bufferization.materialize_in_destination %{{.*}} in %arg5
// LAYER: return

// module, simultaneous: blocks {0, 1} (layers.0.fc), {2} (layers.0.norm),
// {3}, {4}: eight forwards, then every update; no forward reads an update.
// MODULE-LABEL: func.func @train_step(
// MODULE-COUNT-8: graph.reduce_mean
// MODULE-NOT: graph.reduce_mean
// MODULE: bufferization.materialize_in_destination %{{.*}} in %arg1
// MODULE-NOT: graph.matmul
// MODULE: bufferization.materialize_in_destination %{{.*}} in %arg5
// MODULE-NOT: graph.matmul
// MODULE: return

// tensor: five blocks, ten forwards.
// TENSOR-LABEL: func.func @train_step(
// TENSOR-COUNT-10: graph.reduce_mean
// TENSOR-NOT: graph.reduce_mean
// TENSOR: return

// BADLEVEL: error: zo-zeroth-order: unknown blocks 'row' (known: none, layer, module, linear, tensor)
// BADUPDATE: error: zo-zeroth-order: unknown block-update 'jacobi' (known: coordinate, simultaneous)
