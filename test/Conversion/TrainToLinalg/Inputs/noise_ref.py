#!/usr/bin/env python3
"""References for the train -> linalg noise tests, from python/zo/philox.py.

usage:
  noise_ref.py inputs IN.npz            seeds (and x, alpha) fed to the modules
  noise_ref.py normal REF.npz IN.npz    expected normals of normal-run.mlir
  noise_ref.py words OUT.npz IN.npz     checks raw Philox words bit for bit
  noise_ref.py add_noise REF.npz IN.npz expected x + alpha z of add-noise-run.mlir
  noise_ref.py gather REF.npz IN.npz    expected (x0 + alpha z)[ids] of
                                        add-noise-gather-run.mlir
"""
import sys

import numpy as np

from zo import philox

# name: (shape, seed input, param_id, stream); must match normal-run.mlir.
NORMALS = {
    "z0": ((8, 16), "seed_a", 0, 0),
    "z1": ((3, 5), "seed_b", 7, 2),
    "z2": ((1027,), "seed_b", 1, 0),
    "z3": ((2, 3, 8), "seed_a", 0xFFFFFFFF, 1),
    "z4": ((), "seed_b", 5, 0),
    "z5": ((256, 1024), "seed_b", 2, 0),
    "z6": ((6, 2), "seed_a", 9, 3),
}
# name: (input, param_id, stream); must match add-noise-run.mlir.
ADD_NOISE = {"y0": ("x0", 3, 0), "y1": ("x1", 4, 1)}


def seeds(inputs):
    return {k: int(inputs[k].astype(np.int64).view(np.uint64))
            for k in ("seed_a", "seed_b")}


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "inputs":
        rng = np.random.default_rng(0)
        np.savez(path, seed_a=np.array(42, np.int64),
                 # > 2^63: negative as int64, the key's high word is 0x9E3779B9.
                 seed_b=np.array(0x9E3779B97F4A7C15, np.uint64).view(np.int64),
                 x0=rng.standard_normal((16, 32)).astype(np.float32),
                 x1=rng.standard_normal((5, 3)).astype(np.float32),
                 alpha=np.array(-1e-3, np.float32),
                 ids=np.array([3, 0, 15, 7], np.int64))
        return 0
    inputs = np.load(sys.argv[3])
    s = seeds(inputs)
    if cmd == "normal":
        np.savez(path, **{k: philox.normal(s[seed], p, shape, st)
                          for k, (shape, seed, p, st) in NORMALS.items()})
        return 0
    if cmd == "words":
        out, bad = np.load(path), 0
        for k, (shape, seed, p, st) in NORMALS.items():
            n = int(np.prod(shape, dtype=np.int64))
            ref = philox.uniform_words(s[seed], p, n, st)
            got = np.ascontiguousarray(out[k]).view(np.uint32).reshape(-1)
            ok = got.shape == ref.shape and np.array_equal(got, ref)
            bad += not ok
            print(f"{k}: {'ok' if ok else 'MISMATCH'}")
        return 1 if bad else 0
    if cmd == "add_noise":
        alpha = inputs["alpha"]
        ref = {}
        for k, (x, p, st) in ADD_NOISE.items():
            z = philox.normal(s["seed_b"], p, inputs[x].shape, st)
            ref[k] = inputs[x] + alpha * z
        np.savez(path, **ref)
        return 0
    if cmd == "gather":
        z = philox.normal(s["seed_b"], 3, inputs["x0"].shape)
        table = inputs["x0"] + inputs["alpha"] * z
        np.savez(path, y=table[inputs["ids"]])
        return 0
    raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    sys.exit(main())
