#!/usr/bin/env python3
"""Cost of gradient-sparse ZO's exact-count mask (train.add_noise with mask).

    python3 bench/sparse_mask.py [--build build] [--repeat 20] [--skip-bert]
                                 [--interleave N]

One thread, through zo-run (`--repeat`, compilation excluded, one warm-up):

  add_noise  x + alpha z on a 1024 x 4096 tensor, dense and with a layer mask
             (sparsity 0.75, 16 swap-or-not rounds per element), each minus
             a module returning x + alpha (same memory traffic, no noise);
  bert step  zo-zeroth-order's @train_step on test/models/bert.onnx, dense
             and with sparsity=0.75 (layer), and the wall time of each
             zo-run (compilation dominates it).

--interleave N passes LLVM's --force-vector-interleave=N to the add_noise
runs (it applies to every loop, so the compiler does not use it; it shows
how latency-bound the masked loop is). Prints a markdown table with the
machine and its load average.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import add_noise_module, add_scalar_module, cpu_name

ROOT = Path(__file__).resolve().parent.parent
ROWS, COLS = 1024, 4096



def zo_run(build, args):
    """(ms per call, wall seconds of the whole run)."""
    start = time.perf_counter()
    out = subprocess.run([str(build / "bin" / "zo-run")] + args,
                         capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    return float(re.search(r"time: ([0-9.]+) ms per call", out).group(1)), wall


def noise_ms(build, text, inputs, repeat, tmp, name, extra=()):
    src, lowered = tmp / f"{name}.mlir", tmp / f"{name}.lowered.mlir"
    src.write_text(text)
    subprocess.run([str(build / "bin" / "zo-opt"), str(src),
                    "--convert-train-to-linalg", "-o", str(lowered)], check=True)
    return zo_run(build, [str(lowered), "--inputs", str(inputs), "--repeat",
                          str(repeat), "--warmup", "1", *extra])[0]


def bert_step(build, step, repeat, tmp, name):
    model = ROOT / "test" / "models" / "bert.onnx"
    mlir = tmp / f"{name}.mlir"
    subprocess.run([str(build / "bin" / "zo-opt"), str(model),
                    f"--zo-train-pipeline=to=linalg step={step}", "-o", str(mlir)],
                   check=True)
    params = tmp / "params.npz"
    if not params.exists():
        subprocess.run([sys.executable, str(ROOT / "test" / "Runtime" / "Inputs" /
                                            "onnx_params.py"), str(model), str(params)],
                       check=True)
        batch = dict(np.load(ROOT / "test" / "models" / "bert.inputs.npz"))
        batch.update(seed=np.array(1234, np.int64), lr=np.array(1e-3, np.float32),
                     step=np.array(1, np.int64))
        np.savez(tmp / "step.npz", **batch)
    return zo_run(build, [str(mlir), "--entry", "train_step", "--inputs",
                          str(tmp / "step.npz"), "--params", str(params),
                          "--repeat", str(repeat), "--warmup", "2"])


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--skip-bert", action="store_true")
    p.add_argument("--interleave", type=int, default=0)
    a = p.parse_args()
    build = (ROOT / a.build).resolve()
    n = ROWS * COLS
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        inputs = tmp / "in.npz"
        np.savez(inputs, seed=np.array(0x123456789, np.int64),
                 epoch=np.array(3, np.int64),
                 x=np.zeros((ROWS, COLS), np.float32),
                 alpha=np.array(1e-3, np.float32))
        extra = [f"--force-vector-interleave={a.interleave}"] if a.interleave else []
        note = f" (interleave {a.interleave})" if a.interleave else ""
        base = noise_ms(build, add_scalar_module(ROWS, COLS, epoch=True), inputs, a.repeat, tmp,
                        "base", extra)
        dense = noise_ms(build, add_noise_module(ROWS, COLS),
                         inputs, a.repeat, tmp, "dense", extra)
        masked = noise_ms(build, add_noise_module(ROWS, COLS, sparsity=0.75), inputs,
                          a.repeat, tmp, "masked", extra)
        rows = [(f"train.add_noise, dense, minus x + alpha{note}",
                 f"{(dense - base) * 1e6 / n:.2f} ns/element"),
                (f"train.add_noise, sparsity 0.75 (layer), minus x + alpha{note}",
                 f"{(masked - base) * 1e6 / n:.2f} ns/element")]
        if not a.skip_bert:
            d_ms, d_wall = bert_step(build, "zo-zeroth-order{eps=1e-3}", 5 * a.repeat, tmp, "bd")
            s_ms, s_wall = bert_step(build, "zo-zeroth-order{eps=1e-3 sparsity=0.75}",
                                     5 * a.repeat, tmp, "bs")
            rows += [("bert train_step, dense", f"{d_ms:.3f} ms (zo-run wall {d_wall:.0f} s)"),
                     ("bert train_step, sparsity 0.75 (layer)",
                      f"{s_ms:.3f} ms (zo-run wall {s_wall:.0f} s)")]
    print(f"machine: {cpu_name()}, one thread; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| what | cost |")
    print("|---|---|")
    for what, cost in rows:
        print(f"| {what} | {cost} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
