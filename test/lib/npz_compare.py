#!/usr/bin/env python3
"""Compare two .npz files key by key: same keys, dtypes, shapes, close values.

usage: npz_compare.py actual.npz expected.npz [--rtol R] [--atol A] [--exact]
Exit 0 when they match; otherwise one line per mismatch and exit 1.
"""
import argparse
import sys

import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("actual")
    p.add_argument("expected")
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--atol", type=float, default=1e-6)
    p.add_argument("--exact", action="store_true")
    a = p.parse_args()
    actual, expected = np.load(a.actual), np.load(a.expected)
    errors = []
    if sorted(actual.files) != sorted(expected.files):
        errors.append(f"keys differ: {sorted(actual.files)} vs {sorted(expected.files)}")
    for k in expected.files:
        if k not in actual.files:
            continue
        x, y = actual[k], expected[k]
        if x.dtype != y.dtype or x.shape != y.shape:
            errors.append(f"{k}: {x.dtype}{list(x.shape)} vs {y.dtype}{list(y.shape)}")
        elif a.exact and not np.array_equal(x, y):
            errors.append(f"{k}: values differ")
        elif not a.exact and not np.allclose(x, y, rtol=a.rtol, atol=a.atol):
            err = np.abs(x.astype(np.float64) - y.astype(np.float64))
            errors.append(f"{k}: max abs error {err.max():.3g} "
                          f"(rtol {a.rtol}, atol {a.atol})")
        else:
            print(f"{k}: ok")
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
