#!/usr/bin/env python3
"""Inputs and expected results of Inputs/bf16-gemm.mlir, bf16 as uint16.

usage: bf16_gemm_cases.py OUTDIR
writes ab.npz (a 2x3, b 3x4), c.want.npz (c = a b), bmm.npz (a 2x3x4,
b 2x5x4, c0 2x3x5) and bmm.want.npz (c = a b^T + c0). The products are
summed in float64 (exact here: bf16 products and sums of a few of them fit)
and rounded once to bf16 (ml_dtypes, round to nearest even), which is what
a GEMM accumulating in f32 gives for these sizes.
"""
import os
import sys

import ml_dtypes
import numpy as np


def bf16(x):
    return np.asarray(x, np.float32).astype(ml_dtypes.bfloat16)


def bits(x):
    return bf16(x).view(np.uint16)


def widen(b):
    return (b.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(7)
    a, b = bits(rng.standard_normal((2, 3))), bits(rng.standard_normal((3, 4)))
    np.savez(os.path.join(out, "ab.npz"), a=a, b=b)
    np.savez(os.path.join(out, "c.want.npz"), c=bits(widen(a) @ widen(b)))
    a = bits(rng.standard_normal((2, 3, 4)))
    b = bits(rng.standard_normal((2, 5, 4)))
    c0 = bits(rng.standard_normal((2, 3, 5)))
    np.savez(os.path.join(out, "bmm.npz"), a=a, b=b, c0=c0)
    want = widen(a) @ widen(b).transpose(0, 2, 1) + widen(c0)
    np.savez(os.path.join(out, "bmm.want.npz"), c=bits(want))
    return 0


if __name__ == "__main__":
    sys.exit(main())
