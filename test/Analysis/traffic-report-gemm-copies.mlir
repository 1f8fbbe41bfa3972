// The minimum with materialized GEMM weights (zo-traffic-report): a GEMM
// library call reads its weight from memory, so a ZO step whose forwards
// run on a perturbed weight must write each perturbed copy and read the
// weight to make it. For each parameter whose copies the step's GEMMs read,
// with P forwards reading a copy, the floor is the minimum + (P + 1) x its
// bytes: its P reads in the minimum become reads of the copies, one read
// of it makes them, P writes store them.
//
// The hand-sized step of traffic-report.mlir (y = x w + b, x 2x3, w 3x4,
// b 4, f32) with its two forwards on copies of w (48 B). Worked out by hand:
//   forward   GEMM reads x, w 24 + 48 B, writes t 32 B; bias loop reads t,
//             b 32 + 16 B, writes y 32 B: 120 + 64 = 184 B
//   step      twin loop: reads w 48 B, writes w + k and w - k 2 x 48 B
//             2 x (GEMM on a copy: 72 B read, 32 written; bias loop: 48
//             read, 32 written)
//             updates of w (48 + 48 B) and b (16 + 16 B)
//             read 48 + 2 x 120 + 48 + 16 = 352 B, written 96 + 2 x 64 +
//             48 + 16 = 288 B: 640 B
//   minimum   2 x 184 + 2 x 64 = 496 B; the step is 640 / 496 = 1.290x
//   floor     w's copies read by 2 GEMMs, w read by 1 per forward: P = 2,
//             496 + 3 x 48 = 640 B, so the step is at 1.000x the floor
//   MeZO      368 + 4 x 96 + 4 x 32 = 880 B; the floor is 640 / 880 =
//             0.727x of it
// RUN: zo-opt %s -split-input-file --zo-traffic-report -o /dev/null 2>&1 | FileCheck %s
// RUN: zo-opt %s -split-input-file --zo-traffic-report="format=json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=JSON

// CHECK: train_step traffic: 0.727x the reference schedule, 1.290x the minimum
// CHECK-NEXT: minimum with materialized GEMM weights (+ 0.00 MiB: 1 perturbed GEMM weights of 0.00 MiB, each read once, its copy written once per forward): 0.00 MiB, 0.727x the reference schedule
// CHECK-NEXT: train_step traffic: 1.000x the minimum with materialized GEMM weights
// JSON: "minimum_traffic_bytes": 496,
// JSON: "minimum_with_materialized_gemm_weights_bytes": 640,
// JSON: "perturbed_gemm_weight_bytes": 48,
// JSON: "perturbed_gemm_weights": 1,
// JSON: "traffic_vs_minimum": 1.29
// JSON: "traffic_vs_minimum_with_materialized_gemm_weights": 1,
// JSON: "bytes_read": 352,
// JSON: "bytes_written": 288,

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#vec = affine_map<(d0) -> (d0)>
func.func private @zo_rt_sgemm(memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32)

func.func @forward(%x: memref<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %w: memref<3x4xf32> {zo.name = "w", zo.role = "param"},
                   %b: memref<4xf32> {zo.name = "b", zo.role = "param"},
                   %y: memref<2x4xf32> {zo.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<2x4xf32>
  call @zo_rt_sgemm(%x, %w, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  return
}

func.func @train_step(%x: memref<2x3xf32> {zo.name = "x", zo.role = "input"},
                      %w: memref<3x4xf32> {zo.name = "w", zo.role = "param"},
                      %b: memref<4xf32> {zo.name = "b", zo.role = "param"},
                      %lr: memref<f32> {zo.name = "lr", zo.role = "step"},
                      %y1: memref<2x4xf32>, %y2: memref<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %k = arith.constant 0.1 : f32
  %wp = memref.alloc() : memref<3x4xf32>
  %wm = memref.alloc() : memref<3x4xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<3x4xf32>) outs(%wp, %wm : memref<3x4xf32>, memref<3x4xf32>) {
  ^bb0(%v: f32, %o1: f32, %o2: f32):
    %p = arith.addf %v, %k : f32
    %m = arith.subf %v, %k : f32
    linalg.yield %p, %m : f32, f32
  }
  %t = memref.alloc() : memref<2x4xf32>
  call @zo_rt_sgemm(%x, %wp, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y1 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  call @zo_rt_sgemm(%x, %wm, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y2 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  memref.dealloc %wp : memref<3x4xf32>
  memref.dealloc %wm : memref<3x4xf32>
  %l = memref.load %lr[] : memref<f32>
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%w : memref<3x4xf32>) {
  ^bb0(%o: f32):
    %d = arith.mulf %l, %o : f32
    %s = arith.subf %o, %d : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#vec], iterator_types = ["parallel"]}
      outs(%b : memref<4xf32>) {
  ^bb0(%o: f32):
    %d = arith.mulf %l, %o : f32
    %s = arith.subf %o, %d : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The CUDA loops stage's form (an scf.parallel kernel storing two
// buffers): the first GEMM reads w + k, a copy of w; the second reads u,
// stored by the same kernel from w and b together, which is a copy of
// neither. So one forward reads a copy of w (P = 1); were u taken for a
// copy too, P would be 2 and the floor 640 B.
//   step      the kernel: reads w 48 B and b 16 B, writes w + k and u
//             2 x 48 B; 2 x (72 + 32, 48 + 32) for the forwards; updates
//             96 + 32 B: read 48 + 16 + 240 + 64 = 368 B, written 96 +
//             128 + 64 = 288 B: 656 B
//   minimum   496 B (656 / 496 = 1.323x)
//   floor     496 + (1 + 1) x 48 = 592 B; the step is at 1.108x of it
// CHECK: train_step traffic: 0.745x the reference schedule, 1.323x the minimum
// CHECK-NEXT: minimum with materialized GEMM weights (+ 0.00 MiB: 1 perturbed GEMM weights of 0.00 MiB, each read once, its copy written once per forward): 0.00 MiB, 0.673x the reference schedule
// CHECK-NEXT: train_step traffic: 1.108x the minimum with materialized GEMM weights
// JSON: "minimum_with_materialized_gemm_weights_bytes": 592,
// JSON: "perturbed_gemm_weight_bytes": 48,
// JSON: "perturbed_gemm_weights": 1,
// JSON: "bytes_read": 368,
// JSON: "bytes_written": 288,

#idb = affine_map<(d0, d1) -> (d0, d1)>
#rowb = affine_map<(d0, d1) -> (d1)>
#vecb = affine_map<(d0) -> (d0)>
func.func private @zo_rt_sgemm(memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32)

func.func @forward(%x: memref<2x3xf32> {zo.name = "x", zo.role = "input"},
                   %w: memref<3x4xf32> {zo.name = "w", zo.role = "param"},
                   %b: memref<4xf32> {zo.name = "b", zo.role = "param"},
                   %y: memref<2x4xf32> {zo.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<2x4xf32>
  call @zo_rt_sgemm(%x, %w, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#idb, #rowb, #idb], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  return
}

func.func @train_step(%x: memref<2x3xf32> {zo.name = "x", zo.role = "input"},
                      %w: memref<3x4xf32> {zo.name = "w", zo.role = "param"},
                      %b: memref<4xf32> {zo.name = "b", zo.role = "param"},
                      %lr: memref<f32> {zo.name = "lr", zo.role = "step"},
                      %y1: memref<2x4xf32>, %y2: memref<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %k = arith.constant 0.1 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %wp = memref.alloc() : memref<3x4xf32>
  %u = memref.alloc() : memref<3x4xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c4) step (%c1, %c1) {
    %v = memref.load %w[%i, %j] : memref<3x4xf32>
    %p = arith.addf %v, %k : f32
    memref.store %p, %wp[%i, %j] : memref<3x4xf32>
    %c = memref.load %b[%j] : memref<4xf32>
    %q = arith.addf %v, %c : f32
    memref.store %q, %u[%i, %j] : memref<3x4xf32>
    scf.reduce
  }
  %t = memref.alloc() : memref<2x4xf32>
  call @zo_rt_sgemm(%x, %wp, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#idb, #rowb, #idb], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y1 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  call @zo_rt_sgemm(%x, %u, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#idb, #rowb, #idb], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y2 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  memref.dealloc %wp : memref<3x4xf32>
  memref.dealloc %u : memref<3x4xf32>
  %l = memref.load %lr[] : memref<f32>
  linalg.generic {indexing_maps = [#idb], iterator_types = ["parallel", "parallel"]}
      outs(%w : memref<3x4xf32>) {
  ^bb0(%o: f32):
    %d = arith.mulf %l, %o : f32
    %s = arith.subf %o, %d : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#vecb], iterator_types = ["parallel"]}
      outs(%b : memref<4xf32>) {
  ^bb0(%o: f32):
    %d = arith.mulf %l, %o : f32
    %s = arith.subf %o, %d : f32
    linalg.yield %s : f32
  }
  return
}
