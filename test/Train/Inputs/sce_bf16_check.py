"""The softmax cross entropy's gradient for bf16 scores against numpy in
float64 (vjp-sce-bf16.mlir).

    sce_bf16_check.py inputs OUT.npz      random bf16 scores [16, 4096]
                                          (N(0, 3^2), so the log-sum-exp is
                                          about 12), labels, cotangent 1
    sce_bf16_check.py check IN.npz OUT.npz

bf16 values travel as their 16-bit patterns ('<u2'). The reference is the
exact gradient of the mean loss of the bf16 scores, (softmax(s) -
onehot(y)) / N, in float64. Printed: the median and 99th percentile of the
relative error of the non-target entries (the softmax itself, where
rounding the log-sum-exp to bf16 costs up to 3%) and the largest error
relative to the largest entry; "ok" when those are below 0.5%, 1% and 1%.
"""
import sys

import numpy as np

N, C = 16, 4096


def to_bf16_bits(x):
    u = np.asarray(x, np.float32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16_bits(u):
    return (np.asarray(u).view(np.uint16).astype(np.uint32) << 16).view(
        np.float32).astype(np.float64)


def inputs(out):
    rng = np.random.default_rng(0)
    s = to_bf16_bits(3 * rng.standard_normal((N, C)))
    y = rng.integers(0, C, N).astype(np.int64)
    np.savez(out, s=s, y=y,
             **{"cotangent:result0": to_bf16_bits(np.float32(1.0)).reshape(())})


def check(inp, out):
    i = np.load(inp)
    s, y = from_bf16_bits(i["s"]), i["y"]
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    ref = p.copy()
    ref[np.arange(N), y] -= 1
    ref /= N
    g = from_bf16_bits(np.load(out)["grad:s"])
    off = np.ones_like(ref, bool)
    off[np.arange(N), y] = False
    rel = np.abs(g - ref)[off] / np.abs(ref)[off]
    med, p99 = np.median(rel), np.percentile(rel, 99)
    worst = np.abs(g - ref).max() / np.abs(ref).max()
    print(f"median {med:.2e} p99 {p99:.2e} max/max {worst:.2e}")
    print("ok" if med < 5e-3 and p99 < 1e-2 and worst < 1e-2 else "MISMATCH")


if __name__ == "__main__":
    {"inputs": lambda: inputs(sys.argv[2]),
     "check": lambda: check(sys.argv[2], sys.argv[3])}[sys.argv[1]]()
