#!/usr/bin/env python3
"""Cost of zo-opt's counter-based noise (Philox4x32-10 + Box-Muller) per element.

    python3 bench/noise.py [--build build-noise] [--log2n 24] [--repeat 20]

Generates N = 2^log2n standard normals per call on one thread, through zo-run
(`--repeat`, compilation excluded, one warm-up call), in three forms:

  fused        train.normal consumed by a column sum (z[4096 x N/4096] -> 4096
               floats): the noise is never stored, as in a ZO step, so this
               is the generator's own cost;
  materialized train.normal returned as an N-element tensor, minus the time of
               a module that returns a zero-filled tensor of the same size
               (zo-run allocates and clears every result buffer per call);
  add_noise    train.add_noise (x + alpha z) on N elements, minus a module that
               returns x + alpha (same traffic, no noise);

and, in the same run, torch's `Tensor.normal_()` on a preallocated N-element
tensor (torch.set_num_threads(1)) if torch is importable. Prints ns/element.
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
COLS = 4096

FUSED = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}})
    -> (tensor<{c}xf32> {{zo.name = "colsum"}}) {{
  %z = train.normal %seed {{param_id = 0 : i64}} : tensor<i64> -> tensor<{r}x{c}xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<{c}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<{c}xf32>) -> tensor<{c}xf32>
  %s = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d1)>],
                       iterator_types = ["reduction", "parallel"]}}
       ins(%z : tensor<{r}x{c}xf32>) outs(%acc : tensor<{c}xf32>) {{
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %o, %a : f32
    linalg.yield %t : f32
  }} -> tensor<{c}xf32>
  return %s : tensor<{c}xf32>
}}
"""
MATERIALIZED = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}})
    -> (tensor<{r}x{c}xf32> {{zo.name = "z"}}) {{
  %z = train.normal %seed {{param_id = 0 : i64}} : tensor<i64> -> tensor<{r}x{c}xf32>
  return %z : tensor<{r}x{c}xf32>
}}
"""
FILL = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}})
    -> (tensor<{r}x{c}xf32> {{zo.name = "z"}}) {{
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<{r}x{c}xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<{r}x{c}xf32>) -> tensor<{r}x{c}xf32>
  return %z : tensor<{r}x{c}xf32>
}}
"""
ADD_NOISE = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}},
                   %x: tensor<{r}x{c}xf32> {{zo.name = "x", zo.role = "input"}},
                   %alpha: tensor<f32> {{zo.name = "alpha", zo.role = "input"}})
    -> (tensor<{r}x{c}xf32> {{zo.name = "y"}}) {{
  %y = train.add_noise %x, %seed, %alpha {{param_id = 0 : i64}} : tensor<{r}x{c}xf32>, tensor<i64>, tensor<f32>
  return %y : tensor<{r}x{c}xf32>
}}
"""
ADD_SCALAR = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}},
                   %x: tensor<{r}x{c}xf32> {{zo.name = "x", zo.role = "input"}},
                   %alpha: tensor<f32> {{zo.name = "alpha", zo.role = "input"}})
    -> (tensor<{r}x{c}xf32> {{zo.name = "y"}}) {{
  %e = tensor.empty() : tensor<{r}x{c}xf32>
  %y = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> ()>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}}
       ins(%x, %alpha : tensor<{r}x{c}xf32>, tensor<f32>) outs(%e : tensor<{r}x{c}xf32>) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  }} -> tensor<{r}x{c}xf32>
  return %y : tensor<{r}x{c}xf32>
}}
"""


def ms_per_call(build, text, inputs, repeat, tmp, name):
    src = tmp / f"{name}.mlir"
    lowered = tmp / f"{name}.lowered.mlir"
    src.write_text(text)
    # zo-run compiles linalg on tensors; the train ops go first.
    subprocess.run([str(build / "bin" / "zo-opt"), str(src),
                    "--convert-train-to-linalg", "-o", str(lowered)], check=True)
    out = subprocess.run([str(build / "bin" / "zo-run"), str(lowered),
                          "--inputs", str(inputs), "--repeat", str(repeat),
                          "--warmup", "1"],
                         capture_output=True, text=True, check=True)
    return float(re.search(r"time: ([0-9.]+) ms per call", out.stdout).group(1))


def torch_ns(n, repeat):
    try:
        import torch
    except ImportError:
        return None, None
    torch.set_num_threads(1)
    buf = torch.empty(n, dtype=torch.float32)
    buf.normal_()
    start = time.perf_counter()
    for _ in range(repeat):
        buf.normal_()
    return (time.perf_counter() - start) / repeat / n * 1e9, torch.__version__


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build-noise")
    p.add_argument("--log2n", type=int, default=24)
    p.add_argument("--repeat", type=int, default=20)
    a = p.parse_args()
    build = (ROOT / a.build).resolve()
    n = 1 << a.log2n
    rows, cols = n // COLS, COLS
    fmt = dict(r=rows, c=cols)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        inputs = tmp / "in.npz"
        np.savez(inputs, seed=np.array(0x123456789, np.int64),
                 x=np.zeros((rows, cols), np.float32),
                 alpha=np.array(1e-3, np.float32))
        t = {k: ms_per_call(build, v.format(**fmt), inputs, a.repeat, tmp, k)
             for k, v in [("fused", FUSED), ("materialized", MATERIALIZED),
                          ("fill", FILL), ("add_noise", ADD_NOISE),
                          ("add_scalar", ADD_SCALAR)]}
    per = lambda ms: ms * 1e6 / n
    print(f"machine: {cpu_name()}, one thread; N = 2^{a.log2n} = {n} normals")
    print("| what | ns / element |")
    print("|---|---|")
    print(f"| zo train.normal fused into a column sum (nothing stored) | {per(t['fused']):.3f} |")
    print(f"| zo train.normal materialized, minus zero-fill baseline "
          f"({per(t['fill']):.3f}) | {per(t['materialized'] - t['fill']):.3f} |")
    print(f"| zo train.add_noise, minus x + alpha baseline "
          f"({per(t['add_scalar']):.3f}) | {per(t['add_noise'] - t['add_scalar']):.3f} |")
    ns, version = torch_ns(n, a.repeat)
    if ns is not None:
        print(f"| torch {version} Tensor.normal_() (preallocated) | {ns:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
