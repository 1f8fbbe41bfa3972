#!/usr/bin/env python3
"""Checks the launch budget of a CUDA ZO step (issue 4's target).

usage: launch_bound.py GPU.mlir --layers L

GPU.mlir is `zo-cuda-lowering{stop-at=gpu}` output holding @forward and
@train_step. Launches of a function = its `gpu.launch_func` ops + its
cuBLAS calls (`call @zo_cuda_*gemm*`). The step may launch at most
2 x (launches of one forward) + L (one per transformer layer) + 1.
Prints the counts and "launch bound: ok", or "launch bound: EXCEEDED" and
exits 1.
"""
import argparse
import re
import sys


def launches(text, name):
    m = re.search(r"func\.func @%s\(" % re.escape(name), text)
    if not m:
        sys.exit(f"no @{name} in the input")
    # The function's body: up to the next top-level func.func / gpu.module.
    end = re.compile(r"^  (func\.func|gpu\.module|gpu\.binary) ", re.M)
    stop = end.search(text, m.end())
    body = text[m.end():stop.start() if stop else len(text)]
    kernels = len(re.findall(r"gpu\.launch_func", body))
    gemms = len(re.findall(r"call @zo_cuda_\w*gemm", body))
    return kernels, gemms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpu_mlir")
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--at-most", type=int,
                    help="an interim cap on the step's launches, checked "
                         "instead of the bound (which is still printed)")
    a = ap.parse_args()
    text = open(a.gpu_mlir).read()
    fk, fg = launches(text, "forward")
    sk, sg = launches(text, "train_step")
    forward, step = fk + fg, sk + sg
    bound = 2 * forward + a.layers + 1
    print(f"forward: {fk} kernels + {fg} GEMMs = {forward} launches")
    print(f"train_step: {sk} kernels + {sg} GEMMs = {step} launches")
    print(f"bound 2 x {forward} + {a.layers} + 1 = {bound}")
    if a.at_most is not None:
        ok = step <= a.at_most
        print(f"interim cap {a.at_most}: {'ok' if ok else 'EXCEEDED'}")
        return 0 if ok else 1
    if step > bound:
        print("launch bound: EXCEEDED")
        return 1
    print("launch bound: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
