#!/usr/bin/env python3
"""References for masked-noise-run.mlir, from python/zo/sparse_mask.py.

usage:
  mask_ref.py inputs IN.npz             seeds, epochs, x and alpha
  mask_ref.py check OUT.npz IN.npz      zero pattern bit for bit, exact zero
                                        counts (per tensor, global), values
                                        to 2e-6 of x + alpha (z * m)
"""
import sys

import numpy as np

from zo import philox, sparse_mask

# name: (shape, param_id, stream, sparsity, mask_seed, epoch input, global
# slice or None, input x or None); must match masked-noise-run.mlir.
GLOBAL_DOMAIN = 16 * 32 + 5 * 3 + 64
CASES = {
    "z0": ((16, 32), 3, 0, 0.75, 42, "ep_a", None, None),
    "z1": ((5, 3), 7, 1, 0.5, 42, "ep_a", None, None),
    "z2": ((1027,), 1, 0, 0.3, 0x9E3779B97F4A7C15, "ep_b", None, None),
    "z3": ((256, 1024), 2, 0, 0.9, 7, "ep_b", None, None),
    "z4": ((5, 3), 4, 0, 0.01, 42, "ep_a", None, None),
    "y0": ((16, 32), 0, 0, 0.6, 5, "ep_b", 0, "x0"),
    "y1": ((5, 3), 1, 0, 0.6, 5, "ep_b", 16 * 32, "x1"),
    "y2": ((64,), 2, 0, 0.6, 5, "ep_b", 16 * 32 + 15, "x2"),
    # The last 64 elements of huge global domains: 2^31 (the largest done in
    # i32) and 2^40 + 12345 (i64, the high word enters the hash).
    "w0": ((64,), 5, 0, 0.5, 3, "ep_a", ((1 << 31) - 64, 1 << 31), "x2"),
    "w1": ((64,), 6, 0, 0.5, 3, "ep_a", ((1 << 40) + 12345 - 64, (1 << 40) + 12345), "x2"),
}
SEED = 0x123456789


def expected(name, inputs):
    shape, pid, stream, s, mseed, ep, offset, x = CASES[name]
    epoch = int(inputs[ep].astype(np.int64).view(np.uint64))
    domain = GLOBAL_DOMAIN
    if isinstance(offset, tuple):
        offset, domain = offset
    if offset is None:
        keep = sparse_mask.keep(shape, s, mseed, epoch, param_id=pid)
    else:
        keep = sparse_mask.keep(shape, s, mseed, epoch, domain=domain,
                                offset=offset)
    z = np.where(keep, philox.normal(SEED, pid, shape, stream), np.float32(0))
    value = z if x is None else inputs[x] + inputs["alpha"] * z
    return keep, value.astype(np.float32)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "inputs":
        rng = np.random.default_rng(1)
        np.savez(path, seed=np.array(SEED, np.int64),
                 ep_a=np.array(0, np.int64),
                 # > 2^32: the epoch's high word matters.
                 ep_b=np.array((5 << 32) + 17, np.int64),
                 x0=rng.standard_normal((16, 32)).astype(np.float32),
                 x1=rng.standard_normal((5, 3)).astype(np.float32),
                 x2=rng.standard_normal((64,)).astype(np.float32),
                 alpha=np.array(0.5, np.float32))
        return 0
    out, inputs = np.load(path), np.load(sys.argv[3])
    bad, global_zeros = 0, 0
    for name, case in CASES.items():
        keep, ref = expected(name, inputs)
        got = out[name]
        x = case[7]
        # Dropped elements: exactly x (or 0); kept ones: z != 0, so moved.
        dropped = got == (inputs[x] if x else 0)
        pattern = np.array_equal(dropped, ~keep)
        close = np.allclose(got, ref, rtol=0, atol=2e-6)
        zeros = int((~keep).sum())
        size = keep.size
        if case[6] is None:
            want = int(np.floor(case[3] * size))
            count = zeros == want
        elif isinstance(case[6], tuple):
            want, count = "-", True
        else:
            global_zeros += zeros
            want, count = "-", True
        ok = pattern and close and count
        bad += not ok
        print(f"{name}: {'ok' if ok else 'MISMATCH'} zeros {zeros}/{size}"
              f" (floor(s n) = {want}) pattern {pattern} values {close}")
    want = int(np.floor(0.6 * GLOBAL_DOMAIN))
    ok = global_zeros == want
    bad += not ok
    print(f"global: {'ok' if ok else 'MISMATCH'} zeros {global_zeros}/"
          f"{GLOBAL_DOMAIN} (floor(s N) = {want})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
