#!/usr/bin/env python3
"""Write an .npz of deterministic random arrays.

usage: make_npz.py out.npz [--compressed] [--seed S] name:dtype:shape ...
  dtype: f32 f64 i64 i32 bool f16 (f16 exists to test rejection)
  shape: 2x3, or "scalar" for a 0-d array
Floats are standard normal, integers uniform in [-5, 5), bools fair coins.
"""
import argparse

import numpy as np

DTYPES = {"f32": np.float32, "f64": np.float64, "i64": np.int64,
          "i32": np.int32, "bool": np.bool_, "f16": np.float16}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    p.add_argument("arrays", nargs="+")
    p.add_argument("--compressed", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    arrays = {}
    for spec in a.arrays:
        name, dtype, shape = spec.split(":")
        shape = () if shape == "scalar" else tuple(int(d) for d in shape.split("x"))
        dt = DTYPES[dtype]
        if dt == np.bool_:
            v = rng.integers(0, 2, shape).astype(np.bool_)
        elif np.issubdtype(dt, np.integer):
            v = rng.integers(-5, 5, shape).astype(dt)
        else:
            v = rng.standard_normal(shape).astype(dt)
        arrays[name] = v
    (np.savez_compressed if a.compressed else np.savez)(a.out, **arrays)


if __name__ == "__main__":
    main()
