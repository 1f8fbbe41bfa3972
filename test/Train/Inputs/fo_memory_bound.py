#!/usr/bin/env python3
"""Checks a first-order step's allocation peak on Inputs/mlp8.mlir by hand.

usage: fo_memory_bound.py STEP.txt [--expect-over] [--method sinkgd|swan]
                          [--same-allocations OTHER.txt]

STEP.txt: `zo-run --print-memory` output of @train_step. The model: 8
layers m_i = h_{i-1} w_i, h_i = relu(m_i) on 2 x 64 activations, 64 x 64
weights, loss = mean(h_8^2). Every buffer the compiled code allocates is
counted with the 64 bytes of alignment padding the bufferizer asks for.
Parameters and optimizer state are the caller's (arguments): not counted.
The issue's bound for a SinkGD step, in these terms:

  saved activations      the 16 tensors m_i, h_i (2 x 64 f32 each)
  activation gradients   at most 3 of 2 x 64 in flight
  largest gradient       one 64 x 64 weight gradient (16 KiB)
  SinkGD's scale vectors r, c and their updates: 4 of 64 floats
  step scalars           1 KiB (loss, bias corrections: 0-d buffers)

A step that kept every weight gradient until the end (fused-update=false)
needs 8 weight gradients at once, over the bound: with --expect-over the
check passes only if the peak exceeds it (the bound can fail).

--method swan: SWAN's workspace instead of SinkGD's vectors, for one
64 x 64 matrix at a time: the GradNorm'd gradient G~ (m x n, read again by
the last product) and the Newton-Schulz iteration's s x s matrices, Y, Z,
T = (3I - ZY) / 2 and the product being formed (4 of 64 x 64, whatever the
number of iterations):

  ... + largest gradient + G~ + 4 s x s + step scalars

--same-allocations OTHER.txt: also require the same number of allocations
as OTHER.txt (the same step with another iteration count: an iteration
that allocated would add to it).
"""
import argparse
import re
import sys

PAD = 64
ACT = 2 * 64 * 4 + PAD
GRAD = 64 * 64 * 4 + PAD
VEC = 64 * 4 + PAD
BOUND = 16 * ACT + 3 * ACT + GRAD + 4 * VEC + 1024
SQUARE = 64 * 64 * 4 + PAD
BOUND_SWAN = 16 * ACT + 3 * ACT + GRAD + GRAD + 4 * SQUARE + 1024


def stats(path):
    text = open(path).read()
    m = re.search(r"peak_bytes=(\d+) allocations=(\d+)", text)
    if not m:
        sys.exit(f"{path}: no 'peak_bytes=... allocations=...' line")
    return int(m.group(1)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step")
    ap.add_argument("--expect-over", action="store_true")
    ap.add_argument("--method", choices=["sinkgd", "swan"], default="sinkgd")
    ap.add_argument("--same-allocations", metavar="OTHER")
    a = ap.parse_args()
    peak, allocations = stats(a.step)
    bound = BOUND_SWAN if a.method == "swan" else BOUND
    over = peak > bound
    print(f"peak {peak}, bound {bound}: {'over' if over else 'within'}")
    ok = over if a.expect_over else not over
    if a.same_allocations:
        other = stats(a.same_allocations)[1]
        same = allocations == other
        print(f"allocations {allocations}, {other} in {a.same_allocations}: "
              f"{'same' if same else 'DIFFERENT'}")
        ok = ok and same
    print("memory bound: " + ("ok" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
