#!/usr/bin/env python3
"""Forward-pass time of zo-opt's compiled CPU code against onnxruntime.

    python3 bench/forward.py [--build build] [--repeat 20] [--skip-gpt2-small]

For each model, both runtimes run the same .onnx file on the same inputs, in
the same run of this script, on one thread each (OPENBLAS_NUM_THREADS=1 for
our BLAS calls, intra_op_num_threads=1 for onnxruntime): the ratio is what
matters, the absolute times depend on the machine. Compilation is excluded
from our time and session creation from onnxruntime's; both get warm-up calls.

Models: the largest committed test model (by parameter count) and a
GPT-2-small-sized random model (~124M parameters; generated with
bench/models/make_gpt2_small.py into bench/out/ on first use, needs torch).
Prints a Markdown table for docs/benchmarks.md.
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

ROOT = Path(__file__).resolve().parent.parent


def param_count(path):
    model = onnx.load(str(path), load_external_data=False)
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer
               if t.data_type == onnx.TensorProto.FLOAT)


def time_ours(zo_run, model, inputs, repeat, warmup, extra=()):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    out = subprocess.run([str(zo_run), str(model), "--inputs", str(inputs),
                          "--repeat", str(repeat), "--warmup", str(warmup),
                          "--print-memory", *extra],
                         env=env, capture_output=True, text=True, check=True)
    total = time.perf_counter() - start
    timing = re.search(r"time: ([0-9.]+) ms per call \(BLAS kernels: (\w*)\)",
                       out.stdout)
    ms = float(timing.group(1))
    time_ours.blas = timing.group(2)
    peak = int(re.search(r"peak_bytes=(\d+)", out.stdout).group(1))
    compile_s = total - (repeat + warmup) * ms / 1e3
    return ms, peak, compile_s


def time_ort(model, inputs, repeat, warmup):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(model), opts,
                                providers=["CPUExecutionProvider"])
    feed = dict(np.load(inputs))
    for _ in range(warmup):
        sess.run(None, feed)
    start = time.perf_counter()
    for _ in range(repeat):
        sess.run(None, feed)
    return (time.perf_counter() - start) / repeat * 1e3


def gpt2_small(batch, seq):
    out = ROOT / "bench" / "out" / f"gpt2-small-b{batch}-s{seq}.onnx"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench/models/make_gpt2_small.py"),
                        "--out", str(out), "--batch", str(batch), "--seq", str(seq)],
                       check=True)
    return out, out.parent / (out.stem + ".inputs.npz")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--skip-gpt2-small", action="store_true")
    a = p.parse_args()
    zo_run = Path(a.build) / "bin" / "zo-run"

    models = []
    tests = sorted((ROOT / "test/models").glob("*.onnx"))
    tests = [m for m in tests if "-dyn" not in m.name and "opset" not in m.name]
    largest = max(tests, key=param_count)
    models.append((f"{largest.stem} (test model, B=2 S=8)", largest,
                   largest.with_suffix(".inputs.npz"), a.repeat * 10))
    if not a.skip_gpt2_small:
        for batch, seq in [(1, 128), (1, 1024)]:
            model, inputs = gpt2_small(batch, seq)
            models.append((f"GPT-2 small 124M (B={batch} S={seq})", model, inputs,
                           a.repeat))

    rows = []
    for name, model, inputs, repeat in models:
        ours, peak, compile_s = time_ours(zo_run, model, inputs, repeat, a.warmup)
        theirs = time_ort(model, inputs, repeat, a.warmup)
        rows.append(f"| {name} | {param_count(model) / 1e6:.2f}M | {ours:.3f} | "
                    f"{theirs:.3f} | {ours / theirs:.2f}x | {peak / 2**20:.1f} MiB | "
                    f"{compile_s:.1f} |")
        print(rows[-1], file=sys.stderr, flush=True)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    print(f"machine: {cpu}, {os.cpu_count()} cores; OpenBLAS kernels "
          f"{time_ours.blas}; onnxruntime {ort.__version__}; one thread each\n")
    print("| model | params | zo-opt ms | onnxruntime ms | zo-opt / ort | "
          "zo-opt peak alloc | compile s |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
