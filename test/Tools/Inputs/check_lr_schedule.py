#!/usr/bin/env python3
"""Checks the lr column of a zo-train CSV log against the schedule computed
here, independently: constant, or GaLore's cosine with warm-up (the schedule
SinkGD and SWAN train with): for 0-based step t of T, W = floor(ratio T),
  t < W:  lr t / W
  else:   lr (m + (1 - m) (1 + cos(pi (t - W) / (T - W))) / 2)
The log's row for step t + 1 holds the lr of step t, as the float32 the step
was given; it must match within 1e-6 relative (float32 rounding of the same
double). Row 0 (the evaluation before training) has no lr.

usage: check_lr_schedule.py LOG.csv --lr LR --steps T --schedule constant|cosine
                            [--warmup-ratio 0.1] [--min-lr-ratio 0.1] [--first 1]
"""
import argparse
import csv
import math

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("log")
p.add_argument("--lr", type=float, required=True)
p.add_argument("--steps", type=int, required=True)
p.add_argument("--schedule", choices=["constant", "cosine"], required=True)
p.add_argument("--warmup-ratio", type=float, default=0.1)
p.add_argument("--min-lr-ratio", type=float, default=0.1)
p.add_argument("--first", type=int, default=1, help="first logged step")
a = p.parse_args()


def expected(t):
    if a.schedule == "constant":
        return a.lr
    warm = math.floor(a.warmup_ratio * a.steps)
    if t < warm:
        return a.lr * t / warm
    progress = (t - warm) / max(1, a.steps - warm)
    return a.lr * (a.min_lr_ratio + (1 - a.min_lr_ratio) * 0.5 *
                   (1 + math.cos(math.pi * progress)))


rows = list(csv.DictReader(open(a.log)))
logged = {int(r["step"]): r["lr"] for r in rows}
bad = []
for r in rows:
    if r["loss"] == "" and r["lr"] != "":
        bad.append(f"row of step {r['step']} without a training step has lr {r['lr']}")
want_steps = list(range(a.first, a.steps + 1))
for done in want_steps:
    if done not in logged or logged[done] == "":
        bad.append(f"step {done}: no lr logged")
        continue
    got = float(logged[done])
    want = float(np.float32(expected(done - 1)))
    if not math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-30):
        bad.append(f"step {done}: lr {got!r}, expected {want!r}")
if bad:
    print("FAIL:\n" + "\n".join(bad))
    raise SystemExit(1)
print(f"{len(want_steps)} steps: lr follows the {a.schedule} schedule")
