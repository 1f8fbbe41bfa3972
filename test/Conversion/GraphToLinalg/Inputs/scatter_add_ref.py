#!/usr/bin/env python3
"""Inputs and numpy reference of test/Conversion/GraphToLinalg/scatter-add-run.test.

usage: scatter_add_ref.py inputs OUT.npz
       scatter_add_ref.py reference INPUTS.npz OUT.npz

The reference is np.add.at in float32: it adds the index positions' values
in order, one float32 addition at a time, which is what the compiled op
promises (so the comparison is exact). Indices outside [-n, n) are the
op's skipped ones: they are dropped before np.add.at (which would raise).
"""
import sys

import numpy as np


def inputs(out):
    rng = np.random.default_rng(11)
    f32 = np.float32
    arrays = {
        # Embedding gradient: 7 rows of 5, 3 x 4 positions with repeated
        # rows (2 four times, once as -5), negatives and out-of-range ones.
        "table": rng.standard_normal((7, 5)).astype(f32),
        "ids": np.array([[2, 0, -1, 2], [6, -5, 7, 2], [-8, 3, 2, -7]], np.int64),
        "dy": rng.standard_normal((3, 4, 5)).astype(f32),
        # A middle axis with i32 indices and a zero table (the VJP's case).
        "ids_mid": np.array([1, -1, 1, 3, 1], np.int32),
        "u": rng.standard_normal((2, 5, 3)).astype(f32),
    }
    np.savez(out, **arrays)


def add_at(data, idx, updates, axis):
    out = np.array(data, copy=True)
    n = data.shape[axis]
    keep = (idx >= -n) & (idx < n)
    # Drop the skipped positions from the indices and the updates alike.
    upd = np.moveaxis(updates, list(range(axis, axis + idx.ndim)),
                      list(range(idx.ndim)))[keep]
    upd = np.moveaxis(upd, 0, axis)
    np.add.at(out, (slice(None),) * axis + (idx[keep],), upd)
    return out


def reference(inp, out):
    x = np.load(inp)
    results = {
        "result0": add_at(x["table"], x["ids"], x["dy"], 0),
        "result1": add_at(np.zeros((2, 4, 3), np.float32), x["ids_mid"], x["u"], 1),
    }
    for r in results.values():
        assert r.dtype == np.float32
    np.savez(out, **results)


if __name__ == "__main__":
    if sys.argv[1] == "inputs":
        inputs(sys.argv[2])
    else:
        reference(sys.argv[2], sys.argv[3])
