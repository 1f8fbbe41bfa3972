// zo-traffic-report on a hand-sized step: y = x w + b (2x3 . 3x4, bias 4),
// two forwards and an in-place update of w and b. Every figure below is
// worked out by hand from the shapes (f32 = 4 bytes):
//   forward  GEMM   reads x, w (6 + 12) x 4 = 72 B, writes t 32 B (beta = 0:
//                   C not read), 2 m n k = 48 flop
//            bias   reads t 32 B + b 16 B (broadcast: each element once),
//                   writes y 32 B, 8 adds
//            total  read 120 B, written 64 B, traffic 184 B, 2 launches
//   step     2 forwards (368 B) + w update (reads and writes w: 48 + 48 B,
//            2 flop x 12) + b update (16 + 16 B): read 304, written 192,
//            traffic 496 B, 6 launches, 2 GEMMs
//   minimum  2 forwards x 184 + 2 x 64 B of trained parameters = 496 B
//   MeZO     2 forwards + 4 in-place sweeps of w (96 B) and of b (32 B):
//            368 + 384 + 128 = 880 B, 12 launches; 496 / 880 = 0.564
// RUN: zo-opt %s --zo-traffic-report -o /dev/null 2>&1 | FileCheck %s
// RUN: zo-opt %s --zo-traffic-report="format=json output=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: zo-opt %s --zo-traffic-report="kernels=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=KERNELS

// CHECK: zo traffic report: a static model, not a measurement
// CHECK: forward{{ +}}2{{ +}}1{{ +}}0.00{{ +}}0.00{{ +}}0.00
// CHECK: train_step{{ +}}6{{ +}}2
// CHECK: reference MeZO schedule{{ +}}12{{ +}}2
// CHECK: minimum traffic (2 forwards + read/write of 0.00 MiB trained parameters)
// CHECK: train_step traffic: 0.564x the reference schedule, 1.000x the minimum

// JSON: "forward": {
// JSON: "bytes_read": 120,
// JSON: "bytes_written": 64,
// JSON: "flops": 56,
// JSON: "gemm_launches": 1,
// JSON: "launches": 2,
// JSON: "param_bytes": 64,
// JSON: "forwards_per_step": 2,
// JSON: "minimum_traffic_bytes": 496,
// JSON: "reference_mezo": {
// JSON: "bytes_read": 496,
// JSON: "bytes_written": 384,
// JSON: "launches": 12,
// JSON: "traffic_vs_minimum": 1,
// JSON: "traffic_vs_reference": 0.56363
// JSON: "train_step": {
// JSON: "bytes_read": 304,
// JSON: "bytes_written": 192,
// JSON: "flops": 144,
// JSON: "trained_param_bytes": 64

// KERNELS: kernels of @forward:
// KERNELS-NEXT: gemm{{ +}}72 B read{{ +}}32 B written{{ +}}48 flop  func.call @zo_rt_sgemm
// KERNELS-NEXT: loop{{ +}}48 B read{{ +}}32 B written{{ +}}8 flop  linalg.generic

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
  %t = memref.alloc() : memref<2x4xf32>
  call @zo_rt_sgemm(%x, %w, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y1 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  call @zo_rt_sgemm(%x, %w, %t, %zero) : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>, f32) -> ()
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %b : memref<2x4xf32>, memref<4xf32>) outs(%y2 : memref<2x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
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
