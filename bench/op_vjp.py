#!/usr/bin/env python3
"""Time the forward + backward of one normalization or loss op at a model's
shape, with our build and optionally another one, in the same rounds.

    python3 bench/op_vjp.py [--build build] [--baseline OTHER_BUILD]
                            [--ops sce,rms_norm,layer_norm] [--rows 1024]
                            [--vocab 50257] [--width 768] [--rounds 3]

Each op is one function (`sce`: softmax_cross_entropy_loss of [rows, vocab]
scores, mean over the rows; `rms_norm` / `layer_norm`: [rows, width] with a
[width] scale), turned into its forward + backward by
`zo-opt --zo-test-vjp --convert-graph-to-linalg`, and run as `zo-run
--entry <op>_vjp --repeat R --warmup 1 --print-memory` on one thread with
random inputs (seed 0) and cotangents. With --baseline, each round runs
the baseline's zo-opt / zo-run right before ours (--same-zo-run: the
baseline's module run by our zo-run, so that only the compiler's output
differs, not the runner's lowering); the table gives both CPU
ms per call, their ratio (current / baseline: the figure to quote on a
loaded machine), the peak bytes the compiled code allocates (inputs and
results are the caller's), and the largest difference between the two
builds' gradients relative to the largest gradient entry. The softmax
cross entropy's gradient is also checked against numpy (float64).
"""
import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from common import cpu_name
from zo_step import env1


def module(op, rows, vocab, width):
    if op == "sce":
        return (
            f'func.func @sce(%s: tensor<{rows}x{vocab}xf32> {{zo.name = "s"}}, '
            f'%y: tensor<{rows}xi64> {{zo.name = "y"}}) -> tensor<f32> {{\n'
            f"  %0 = graph.softmax_cross_entropy_loss %s, %y "
            f"{{ignore_index = -100 : i64}} : (tensor<{rows}x{vocab}xf32>, "
            f"tensor<{rows}xi64>) -> tensor<f32>\n"
            f"  return %0 : tensor<f32>\n}}\n")
    t = f"tensor<{rows}x{width}xf32>"
    bias = ", %b" if op == "layer_norm" else ""
    btype = f", tensor<{width}xf32>" if op == "layer_norm" else ""
    barg = (f', %b: tensor<{width}xf32> {{zo.name = "b"}}'
            if op == "layer_norm" else "")
    return (
        f'func.func @{op}(%x: {t} {{zo.name = "x"}}, '
        f'%s: tensor<{width}xf32> {{zo.name = "scale"}}{barg}) -> {t} {{\n'
        f"  %0 = graph.{op} %x, %s{bias} {{axis = 1 : i64, "
        f"epsilon = 1.0e-5 : f32}} : ({t}, tensor<{width}xf32>{btype}) -> {t}\n"
        f"  return %0 : {t}\n}}\n")


def inputs(op, rows, vocab, width):
    rng = np.random.default_rng(0)
    if op == "sce":
        return {"s": (3 * rng.standard_normal((rows, vocab))).astype(np.float32),
                "y": rng.integers(0, vocab, rows).astype(np.int64),
                "cotangent:result0": np.array(1.0, np.float32)}
    d = {"x": rng.standard_normal((rows, width)).astype(np.float32),
         "scale": rng.standard_normal(width).astype(np.float32),
         "cotangent:result0":
             rng.standard_normal((rows, width)).astype(np.float32)}
    if op == "layer_norm":
        d["b"] = rng.standard_normal(width).astype(np.float32)
    return d


def sce_reference(x):
    s = x["s"].astype(np.float64)
    y = x["y"]
    m = s.max(1, keepdims=True)
    p = np.exp(s - m)
    p /= p.sum(1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def run(build, mlir, entry, inputs_npz, out_npz, repeat):
    out = subprocess.run(
        [str(build / "bin" / "zo-run"), str(mlir), "--entry", entry,
         "--inputs", str(inputs_npz), "--outputs", str(out_npz),
         "--repeat", str(repeat), "--warmup", "1", "--print-memory"],
        env=env1(), capture_output=True, text=True, check=True)
    cpu = float(re.search(r"cpu ([0-9.]+) ms per call", out.stdout).group(1))
    peak = int(re.search(r"peak_bytes=(\d+)", out.stdout).group(1))
    return cpu, peak


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default="build")
    p.add_argument("--baseline", default="")
    p.add_argument("--ops", default="sce,rms_norm,layer_norm")
    p.add_argument("--rows", type=int, default=1024)
    p.add_argument("--vocab", type=int, default=50257)
    p.add_argument("--width", type=int, default=768)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--same-zo-run", action="store_true",
                   help="run the baseline's modules with our zo-run")
    p.add_argument("--repeat", type=int, default=0,
                   help="calls per measurement (default 5 for sce, 300 "
                        "for the norms)")
    a = p.parse_args()
    builds = [("current", Path(a.build).resolve())]
    if a.baseline:
        builds.insert(0, ("baseline", Path(a.baseline).resolve()))
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for op in a.ops.split(","):
            if op not in ("sce", "rms_norm", "layer_norm"):
                sys.exit(f"op_vjp.py: unknown op '{op}' "
                         "(sce, rms_norm, layer_norm)")
            repeat = a.repeat or (5 if op == "sce" else 300)
            src = tmp / f"{op}.mlir"
            src.write_text(module(op, a.rows, a.vocab, a.width))
            x = inputs(op, a.rows, a.vocab, a.width)
            inputs_npz = tmp / f"{op}.inputs.npz"
            np.savez(inputs_npz, **x)
            compiled = {}
            for tag, build in builds:
                compiled[tag] = tmp / f"{op}.{tag}.mlir"
                subprocess.run(
                    ["nice", str(build / "bin" / "zo-opt"), str(src),
                     "--zo-test-vjp", "--convert-graph-to-linalg",
                     "-o", str(compiled[tag])], check=True)
            times = {tag: [] for tag, _ in builds}
            peaks = {}
            for _ in range(a.rounds):
                for tag, build in builds:
                    if a.same_zo_run:
                        build = builds[-1][1]
                    cpu, peak = run(build, compiled[tag], f"{op}_vjp",
                                    inputs_npz, tmp / f"{op}.{tag}.out.npz",
                                    repeat)
                    times[tag].append(cpu)
                    peaks[tag] = peak
            outs = {tag: dict(np.load(tmp / f"{op}.{tag}.out.npz"))
                    for tag, _ in builds}
            grads = [k for k in outs["current"] if k.startswith("grad:")]
            cells = []
            for tag, _ in builds:
                cells.append(" / ".join(f"{t:.2f}" for t in times[tag]))
            if a.baseline:
                ratio = " / ".join(f"{c / b:.3f}x" for b, c in
                                   zip(times["baseline"], times["current"]))
                diff = max(
                    float(np.abs(outs["current"][k] - outs["baseline"][k]).max()
                          / np.abs(outs["baseline"][k]).max()) for k in grads)
                cells += [ratio, f"{diff:.1e}"]
            cells += [f"{peaks[tag] / 2**20:.3f}" for tag, _ in builds]
            if op == "sce":
                ref = sce_reference(x)
                g = outs["current"]["grad:s"]
                cells.append(f"{np.abs(g - ref).max() / np.abs(ref).max():.1e}")
            else:
                cells.append("")
            shape = (f"{a.rows}x{a.vocab}" if op == "sce"
                     else f"{a.rows}x{a.width}")
            rows.append(f"| {op} {shape} | " + " | ".join(cells) + " |")
            print(rows[-1], file=sys.stderr, flush=True)

    print(f"machine: {cpu_name()}, one thread; CPU ms per call of "
          f"forward + backward, per round\n")
    head = ["op", *(f"{t} CPU ms" for t, _ in builds)]
    if a.baseline:
        head += ["current / baseline", "max grad diff / max grad"]
    head += [f"{t} peak MiB" for t, _ in builds]
    head += ["sce grad vs numpy"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
