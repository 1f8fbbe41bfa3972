#!/usr/bin/env python3
"""Loss after the same number of steps on the bundled task, per method.

    python3 bench/methods_loss.py [--build build] [--steps 500]
        [--methods zo-sgd,sgd,adamw,sinkgd,swan] [--lrs 1e-4,1e-3,1e-2,1e-1]
        [--seed 7] [--lr-schedule constant|cosine|default]

Runs `zo-train test/models/bert.onnx --data examples/bert-task/train.npz
--eval examples/bert-task/train.npz --steps N --method M --lr LR --seed S`
for every method and every learning rate of the sweep (the same data order
and step seeds for all), and reports, per method, the run with the lowest
final eval loss: its lr, train and eval loss, eval accuracy, the peak bytes
the compiled step allocated (zo-train's last line) and the optimizer state
it keeps between steps (the checkpoint's non-parameter tensors). Every
method runs with a constant learning rate (`--lr-schedule constant`, as
for the table in docs/benchmarks.md) unless --lr-schedule says otherwise
(`default`: each method's own default, cosine for sinkgd and swan). MeZO is
zo-sgd (eps 1e-3, one query): a ZO step needs far more steps than a
first-order one; the table shows where each stands after the same count.
"""
import argparse
import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parent.parent


def run(build, method, lr, steps, seed, tmp, schedule="constant"):
    log, ckpt = tmp / f"{method}-{lr}.csv", tmp / f"{method}-{lr}.npz"
    out = subprocess.run(
        [str(build / "bin" / "zo-train"), str(ROOT / "test/models/bert.onnx"),
         "--data", str(ROOT / "examples/bert-task/train.npz"),
         "--eval", str(ROOT / "examples/bert-task/train.npz"),
         "--steps", str(steps), "--method", method, "--lr", str(lr),
         "--seed", str(seed), "--log", str(log), "--checkpoint", str(ckpt)]
        + ([] if schedule == "default" else ["--lr-schedule", schedule]),
        capture_output=True, text=True)
    if out.returncode != 0:
        return None
    rows = list(csv.DictReader(open(log)))
    last = rows[-1]
    peak = float(re.search(r"peak memory allocated by the compiled step: "
                           r"([0-9.]+) KiB", out.stderr).group(1))
    params = {t.name for t in onnx.load(str(ROOT / "test/models/bert.onnx")).graph.initializer}
    state = sum(v.nbytes for k, v in np.load(ckpt).items()
                if k not in params and not k.startswith("zo."))
    return {"lr": lr, "loss": float(last["loss"]),
            "eval_loss": float(last["eval_loss"]),
            "eval_accuracy": float(last["eval_accuracy"]),
            "peak_kib": peak, "state_kib": state / 1024}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--methods", default="zo-sgd,sgd,adamw,sinkgd,swan")
    p.add_argument("--lrs", default="1e-4,1e-3,1e-2,1e-1")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--lr-schedule", default="constant",
                   choices=["constant", "cosine", "default"])
    a = p.parse_args()
    build = Path(a.build).resolve()
    print(f"bert test model on examples/bert-task (eval = the training set), "
          f"{a.steps} steps, seed {a.seed}, best lr of {a.lrs} by final eval loss\n")
    print("| method | lr | train loss | eval loss | eval accuracy "
          "| step peak KiB | optimizer state KiB |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for m in a.methods.split(","):
            runs = [r for lr in a.lrs.split(",")
                    if (r := run(build, m, float(lr), a.steps, a.seed, Path(d),
                                  a.lr_schedule))
                    and np.isfinite(r["eval_loss"])]
            if not runs:
                print(f"| {m} | - | diverged at every lr | | | | |")
                continue
            b = min(runs, key=lambda r: r["eval_loss"])
            print(f"| {m} | {b['lr']:g} | {b['loss']:.4f} | {b['eval_loss']:.4f} "
                  f"| {b['eval_accuracy']:.3f} | {b['peak_kib']:.1f} "
                  f"| {b['state_kib']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
