#!/usr/bin/env python3
"""Cost of zo-opt's counter-based noise (Philox4x32-10 + Box-Muller) per element.

    python3 bench/noise.py [--build build] [--baseline OTHER_BUILD ...]
                           [--log2n 24] [--repeat 20] [--clock cpu|wall]

Generates N = 2^log2n standard normals per call on one thread, through zo-run
(`--repeat`, compilation excluded), in three forms:

  materialized train.normal returned as an N-element tensor, minus the time of
               a module that returns a zero-filled tensor of the same size
               (the same stores; zo-run's repeated calls reuse one result
               buffer, which the compiled loop writes directly);
  add_noise    train.add_noise (x + alpha z) on N elements, minus a module that
               returns x + alpha (same traffic, no noise): how a ZO step
               perturbs a GEMM weight or updates a parameter;
  column sum   train.normal consumed by a column sum (z[N/4096 x 4096] ->
               4096 floats). Reductions do not fuse with their producer, so
               the noise is stored and read back: this is the materialized
               cost plus a sum, with no baseline subtracted;

and, in the same run, torch's `Tensor.normal_()` on a preallocated N-element
tensor (torch.set_num_threads(1)) if torch is importable. With --baseline,
the same forms are measured with each other build too (e.g. one built from
the previous commit), one column per build, in the same run.

--clock cpu (default) times each form by the CPU time zo-run uses: one run
with --repeat R and one with --repeat 1, the difference divided by R - 1 (so
compilation and start-up cancel). On a machine shared with other jobs this
is far steadier than wall-clock time (which --clock wall reports, from
zo-run's own timer). N = 2^16 keeps the data in L2 (the generator's own
cost); N = 2^24 adds memory traffic. Prints ns/element.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import add_noise_module, add_scalar_module, cpu_name

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


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def zo_run_ms(build, lowered, inputs, repeat, clock):
    """ms per call: zo-run's own timer, or CPU time (repeat R minus repeat 1)."""
    cmd = [str(build / "bin" / "zo-run"), str(lowered), "--inputs", str(inputs)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if clock == "wall":
        out = subprocess.run(cmd + ["--repeat", str(repeat), "--warmup", "1"],
                             capture_output=True, text=True, check=True, env=env)
        return float(re.search(r"time: ([0-9.]+) ms per call", out.stdout).group(1))
    spent = []
    for r in (1, repeat):
        start = children_cpu()
        subprocess.run(cmd + ["--repeat", str(r)], capture_output=True,
                       check=True, env=env)
        spent.append(children_cpu() - start)
    return (spent[1] - spent[0]) / (repeat - 1) * 1e3


def ms_per_call(build, text, inputs, repeat, tmp, name, clock):
    src = tmp / f"{name}.mlir"
    lowered = tmp / f"{name}.{abs(hash(str(build)))}.lowered.mlir"
    src.write_text(text)
    # zo-run compiles linalg on tensors; the train ops go first.
    subprocess.run([str(build / "bin" / "zo-opt"), str(src),
                    "--convert-train-to-linalg", "-o", str(lowered)], check=True)
    return zo_run_ms(build, lowered, inputs, repeat, clock)


def torch_ns(n, repeat, clock):
    try:
        import torch
    except ImportError:
        return None, None
    torch.set_num_threads(1)
    buf = torch.empty(n, dtype=torch.float32)
    buf.normal_()
    now = time.process_time if clock == "cpu" else time.perf_counter
    start = now()
    for _ in range(repeat):
        buf.normal_()
    return (now() - start) / repeat / n * 1e9, torch.__version__


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--baseline", action="append", default=[],
                   help="another build to measure in the same run (repeatable)")
    p.add_argument("--log2n", type=int, default=24)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    a = p.parse_args()
    names = [a.build] + a.baseline
    builds = [(ROOT / b).resolve() for b in names]
    label = dict(zip(builds, names))
    n = 1 << a.log2n
    rows, cols = n // COLS, COLS
    fmt = dict(r=rows, c=cols)
    forms = [("sum", FUSED.format(**fmt)),
             ("materialized", MATERIALIZED.format(**fmt)),
             ("fill", FILL.format(**fmt)),
             ("add_noise", add_noise_module(rows, cols)),
             ("add_scalar", add_scalar_module(rows, cols))]
    t = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        inputs = tmp / "in.npz"
        np.savez(inputs, seed=np.array(0x123456789, np.int64),
                 x=np.zeros((rows, cols), np.float32),
                 alpha=np.array(1e-3, np.float32))
        # Builds interleaved form by form: load changes hit them alike.
        for k, v in forms:
            for b in builds:
                t[b, k] = ms_per_call(b, v, inputs, a.repeat, tmp,
                                      k, a.clock)
    per = lambda ms: ms * 1e6 / n
    print(f"machine: {cpu_name()}, one thread; N = 2^{a.log2n} = {n} normals; "
          f"{a.clock} time per call")
    print("| what | " + " | ".join(f"{label[b]} ns / element" for b in builds) + " |")
    print("|---|" + "---|" * len(builds))

    def row(label, f):
        print(f"| {label} | " + " | ".join(f(b) for b in builds) + " |")
    row("zo train.normal materialized, minus zero-fill baseline",
        lambda b: f"{per(t[b, 'materialized'] - t[b, 'fill']):.2f} "
                  f"(fill {per(t[b, 'fill']):.2f})")
    row("zo train.add_noise, minus x + alpha baseline",
        lambda b: f"{per(t[b, 'add_noise'] - t[b, 'add_scalar']):.2f} "
                  f"(x + alpha {per(t[b, 'add_scalar']):.2f})")
    row("zo train.normal, stored, then a column sum (no baseline)",
        lambda b: f"{per(t[b, 'sum']):.2f}")
    ns, version = torch_ns(n, a.repeat, a.clock)
    if ns is not None:
        print(f"| torch {version} Tensor.normal_() (preallocated) | {ns:.2f} |"
              + " |" * (len(builds) - 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
