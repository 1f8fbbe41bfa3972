// Gradient-sparse ZO (zo-zeroth-order sparsity > 0) on y = x w + b, loss =
// mean(y^2) (Inputs/tiny.mlir): w is parameter 0 (12 elements), b parameter 1
// (4). Every noise op of the step carries the same mask operand, the epoch
// (step - 1) / mask-every computed once at the top.
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 mask-every=3 mask-seed=9" | FileCheck %s --check-prefix=LAYER
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.25 sparsity-scope=global" | FileCheck %s --check-prefix=GLOBAL
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0" | FileCheck %s --check-prefix=DENSE

// Every update rule: no noise op without the mask (the grep keeps the
// noise ops; `not grep -v` fails on any line without a mask), and there are
// some.
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=zo-sign" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=zo-cons" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=zo-sgd-mmt" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=zo-adam" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=forward-grad" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 queries=2 one-sided=true" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 blocks=tensor" | grep -E "train\.(add_noise|normal) " | not grep -v "mask("
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=zo-cons" | FileCheck %s --check-prefix=CONS
// RUN: zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 method=forward-grad" | FileCheck %s --check-prefix=FG

// Bad options: one error each.
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=1" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=-0.1" 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=nan" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 mask-every=0" 2>&1 | FileCheck %s --check-prefix=EVERY
// RUN: not zo-opt %S/Inputs/tiny.mlir --zo-zeroth-order="sparsity=0.5 sparsity-scope=row" 2>&1 | FileCheck %s --check-prefix=SCOPE
// ONE: error: zo-zeroth-order: sparsity must be in [0, 1) (the fraction of noise elements zeroed), got 1{{$}}
// NEG: error: zo-zeroth-order: sparsity must be in [0, 1) (the fraction of noise elements zeroed), got -0.1{{$}}
// NAN: error: zo-zeroth-order: sparsity must be in [0, 1) (the fraction of noise elements zeroed), got nan{{$}}
// EVERY: error: zo-zeroth-order: mask-every must be >= 1, got 0{{$}}
// SCOPE: error: zo-zeroth-order: unknown sparsity-scope 'row' (known: layer, global){{$}}

// Layer scope: each tensor is its own domain (no mask_domain), keyed by its
// param_id; +eps, -eps and the update of a parameter share one mask.
// LAYER-LABEL: func.func @train_step(
// LAYER-SAME:    %[[W:[^:]*]]: tensor<3x4xf32> {zo.name = "w", zo.role = "param"}, %[[B:[^:]*]]: tensor<4xf32> {zo.name = "b", zo.role = "param"}, %[[SEED:[^:]*]]: tensor<i64> {zo.name = "seed", zo.role = "step"}, %{{[^:]*}}: tensor<f32> {zo.name = "lr", zo.role = "step"}, %[[STEP:[^:]*]]: tensor<i64> {zo.name = "step", zo.role = "step"})
// LAYER-NEXT:    %[[C1:.*]] = graph.constant dense<1> : tensor<i64>
// LAYER-NEXT:    %[[T0:.*]] = graph.sub %[[STEP]], %[[C1]] : (tensor<i64>, tensor<i64>) -> tensor<i64>
// LAYER-NEXT:    %[[K:.*]] = graph.constant dense<3> : tensor<i64>
// LAYER-NEXT:    %[[EPOCH:.*]] = graph.div %[[T0]], %[[K]] : (tensor<i64>, tensor<i64>) -> tensor<i64>
// LAYER:         train.add_noise %[[W]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 0 : i64}
// LAYER:         train.add_noise %[[B]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 1 : i64}
// LAYER:         train.add_noise %[[W]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 0 : i64}
// LAYER:         train.add_noise %[[B]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 1 : i64}
// LAYER:         %[[WN:.*]] = train.add_noise %[[W]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 0 : i64}
// LAYER-NEXT:    bufferization.materialize_in_destination %[[WN]] in %[[W]]
// LAYER:         %[[BN:.*]] = train.add_noise %[[B]], %[[SEED]], %{{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_seed = 9 : i64, mask_sparsity = 5.000000e-01 : f64, param_id = 1 : i64}
// LAYER-NEXT:    bufferization.materialize_in_destination %[[BN]] in %[[B]]
// LAYER-NOT:     train.add_noise
// LAYER:         return

// Global scope: one domain of 16 elements, w at offset 0 and b at 12;
// mask-every = 1 needs no division.
// GLOBAL-LABEL: func.func @train_step(
// GLOBAL:         %[[EPOCH:.*]] = graph.sub %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>) -> tensor<i64>
// GLOBAL-NOT:     graph.div {{.*}} tensor<i64>
// GLOBAL:         train.add_noise {{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_domain = 16 : i64, mask_offset = 0 : i64, mask_sparsity = 2.500000e-01 : f64, param_id = 0 : i64}
// GLOBAL:         train.add_noise {{.*}} mask(%[[EPOCH]] : tensor<i64>) {mask_domain = 16 : i64, mask_offset = 12 : i64, mask_sparsity = 2.500000e-01 : f64, param_id = 1 : i64}

// Sparsity 0 is the dense step: no mask, no epoch.
// DENSE-LABEL: func.func @train_step(
// DENSE-NOT:     mask
// DENSE:         return

// ZO-SGD-Cons: the extra forwards l1, l2 and the update use the mask too.
// CONS-LABEL: func.func @train_step(
// CONS-COUNT-10: train.add_noise {{.*}} mask(
// CONS-NOT:      train.add_noise

// Forward-Grad: the JVP tangents (train.normal) are masked like the update.
// FG-LABEL: func.func @train_step(
// FG-COUNT-2:  train.normal {{.*}} mask(
// FG-COUNT-2:  train.add_noise {{.*}} mask(
