#!/usr/bin/env python3
"""Checks a training step's allocation peak against the forward's.

usage: memory_bound.py PARAMS.npz FORWARD.txt STEP.txt [--slack BYTES]

FORWARD.txt / STEP.txt hold `zo-run --print-memory` output of @forward and
@train_step. A ZO step runs its forward clones one after another and writes
each update into the parameter's own buffer, so the only weight-sized
buffer it adds to a forward's working set is the perturbed copy of the GEMM
weight being consumed: peak(step) <= peak(forward) + max param bytes +
slack. The slack covers the step's own scalars (l+, l-, g, -lr g: 0-d
buffers, each counted with the 64-byte alignment padding the bufferizer
requests), not any tensor of the model's size.
"""
import argparse
import re
import sys

import numpy as np


def peak(path):
    text = open(path).read()
    m = re.search(r"peak_bytes=(\d+)", text)
    if not m:
        sys.exit(f"{path}: no 'peak_bytes=' line (zo-run --print-memory)")
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("params")
    ap.add_argument("forward")
    ap.add_argument("step")
    ap.add_argument("--slack", type=int, default=1024)
    a = ap.parse_args()
    params = np.load(a.params)
    name, largest = max(((k, v.nbytes) for k, v in params.items()),
                        key=lambda kv: kv[1])
    fwd, step = peak(a.forward), peak(a.step)
    bound = fwd + largest + a.slack
    print(f"forward peak {fwd}, train_step peak {step}, largest param "
          f"{largest} ({name}), bound {bound}")
    if step > bound:
        print(f"FAIL: train_step peak {step} > bound {bound} "
              f"(excess {step - bound})")
        return 1
    print("memory bound: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
