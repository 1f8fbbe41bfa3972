#!/usr/bin/env python3
"""Which mask did each compiled sparse ZO step use? (tiny.mlir: w, b)

usage:
  mask_epochs.py PARAMS.npz UPD1.npz:T1 [UPD2.npz:T2 ...] --sparsity S
                 --mask-every K --mask-seed M [--scope layer|global]
      UPDk.npz is what `zo-run --write-params` wrote after one step at the
      1-based step count Tk from PARAMS.npz (lr > 0). The elements the step
      left bit-identical are the masked ones; they must be exactly those
      python/zo/sparse_mask.py drops at epoch (Tk - 1) // K (so exactly
      floor(s n) per tensor, or floor(s N) in all). Prints one line per step
      saying whether its mask is new or the previous step's.
Exit 0 on success; one line per mismatch and exit 1 otherwise.
"""
import argparse
import math
import sys

import numpy as np

from zo import sparse_mask

PARAMS = ["w", "b"]  # param ids 0 and 1 of Inputs/tiny.mlir


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("params")
    p.add_argument("steps", nargs="+")
    p.add_argument("--sparsity", type=float, required=True)
    p.add_argument("--mask-every", type=int, required=True)
    p.add_argument("--mask-seed", type=int, required=True)
    p.add_argument("--scope", default="layer", choices=["layer", "global"])
    a = p.parse_args()
    params = np.load(a.params)
    shapes = [params[n].shape for n in PARAMS]
    errors, previous = [], None
    for spec in a.steps:
        path, t = spec.rsplit(":", 1)
        t = int(t)
        updated = np.load(path)
        epoch = (t - 1) // a.mask_every
        if a.scope == "global":
            keep = sparse_mask.global_keep(shapes, a.sparsity, a.mask_seed, epoch)
        else:
            keep = [sparse_mask.keep(s, a.sparsity, a.mask_seed, epoch, param_id=i)
                    for i, s in enumerate(shapes)]
        dropped = [updated[n] == params[n] for n in PARAMS]
        for n, d, k in zip(PARAMS, dropped, keep):
            if not np.array_equal(d, ~k):
                errors.append(f"step {t}: {n}: unchanged elements are not "
                              f"epoch {epoch}'s masked ones")
        zeros = [int(d.sum()) for d in dropped]
        if a.scope == "layer":
            want = [math.floor(a.sparsity * k.size) for k in keep]
            if zeros != want:
                errors.append(f"step {t}: zeros {zeros}, want {want}")
        elif sum(zeros) != math.floor(a.sparsity * sum(k.size for k in keep)):
            errors.append(f"step {t}: {sum(zeros)} zeros in all")
        pattern = np.concatenate([d.reshape(-1) for d in dropped])
        same = previous is not None and np.array_equal(pattern, previous)
        previous = pattern
        print(f"step {t}: epoch {epoch}, {'same mask' if same else 'new mask'}, "
              f"zeros {' + '.join(map(str, zeros))} = {sum(zeros)}")
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
