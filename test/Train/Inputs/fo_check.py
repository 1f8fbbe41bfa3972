#!/usr/bin/env python3
"""Compares a first-order step's parameters with fo_reference.py's.

usage: fo_check.py PARAMS0.npz OURS.npz REF.npz TORCH.npz [--tol 2e-3]

Per parameter, the update (new - old) against the reference's: max abs
difference <= tol * max abs reference update. The gradient comes from our
reverse mode on one side and torch autograd on the other, both float32, so
agreement is to about 1e-4 of a gradient's scale, and small gradient
entries carry more relative error; tol covers that, a wrong formula or a
wrong gradient is off by O(1). Tensors whose torch gradient is numerically
zero (max |g| < 1e-6; the attention key biases, whose exact gradient is 0
since softmax ignores a per-row shift) are listed as skipped: any update
AdamW makes of them is its epsilon acting on rounding noise. Prints one
line per parameter and `all: ok` or exits 1.
"""
import argparse
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("params")
    ap.add_argument("ours")
    ap.add_argument("ref")
    ap.add_argument("torch")
    ap.add_argument("--tol", type=float, default=2e-3)
    a = ap.parse_args()
    p0, ours, ref, torch = (np.load(f) for f in (a.params, a.ours, a.ref, a.torch))
    bad = 0
    for name in sorted(p0.files):
        g = torch["grad:" + name]
        if np.abs(g).max() < 1e-6:
            print(f"{name}: skipped (zero gradient)")
            continue
        want = ref[name].astype(np.float64) - p0[name]
        got = ours[name].astype(np.float64) - p0[name]
        err = np.abs(got - want).max() / max(np.abs(want).max(), 1e-30)
        ok = err <= a.tol
        bad += not ok
        print(f"{name}: {'ok' if ok else 'FAIL'} (relative error {err:.2e})")
    print("all: ok" if not bad else f"FAIL: {bad} parameters")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
