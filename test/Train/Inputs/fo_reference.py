#!/usr/bin/env python3
"""numpy reference of one first-order training step (zo-first-order).

usage: fo_reference.py MODEL.onnx PARAMS.npz TORCH.npz METHOD OUT.npz
                       [--lr 1e-2] [--step 1] [--momentum 0] [--weight-decay 0]
                       [--adam-eps 1e-8]

The gradient is torch autograd's, stored with the test model
(`grad:<initializer>` in <family>.torch.npz), so the expected parameters
after the step come from torch's gradients and the formulas of
../shared/ALGORITHMS.md sections 2 and 4, in float64, from zero state:

  sgd     p - lr (g + wd p), or with momentum b = g + wd p (first step);
  adamw   m = (1 - b1) g, v = (1 - b2) g^2, bias-corrected with t = step,
          p (1 - lr wd) - lr m^ / (sqrt(v^) + adam-eps) (decay on rank >= 2);
  sinkgd  the block matrices (rank 2, read only by MatMul/Gemm in the ONNX
          graph, name not matching the adamw-params regex): X = g, five
          times X = sqrt(n) X / max(|row|, 1e-8) then X = sqrt(m) X /
          max(|col|, 1e-8), materialized as the paper writes it;
          p - 0.05 lr X; AdamW for every other parameter;
  swan    the same split; GradNorm (rows to zero mean, unit std + 1e-8),
          then A = G G^T on the smaller side, five coupled Newton-Schulz
          steps on A / (|A|_F + 1e-8), p - lr Z G / sqrt(|A|_F + 1e-8).

Writes the expected parameters under their names, plus `matrices`, the
sorted names of the block matrices (one per line, as a 0-d string array).
"""
import argparse
import re

import numpy as np
import onnx

ADAMW_NAMES = re.compile(r"embed|wte|wpe|lm_head|classifier|score|pooler")


def block_matrices(model_path, params):
    g = onnx.load(model_path).graph
    users = {}
    for node in g.node:
        for name in node.input:
            users.setdefault(name, set()).add(node.op_type)
    return sorted(n for n, p in params.items()
                  if p.ndim == 2 and not ADAMW_NAMES.search(n)
                  and users.get(n) and users[n] <= {"MatMul", "Gemm"})


def adamw(p, g, lr, t, wd, b1=0.9, b2=0.999, eps=1e-8):
    m = (1 - b1) * g
    v = (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    decayed = p * (1 - lr * wd) if p.ndim >= 2 else p
    return decayed - lr * mh / (np.sqrt(vh) + eps)


def sinkhorn(g, iters=5, clamp=1e-8):
    m, n = g.shape
    x = g.copy()
    for _ in range(iters):
        x = np.sqrt(n) * x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), clamp)
        x = np.sqrt(m) * x / np.maximum(np.linalg.norm(x, axis=0, keepdims=True), clamp)
    return x


def swan(g, iters=5, clamp=1e-8):
    c = g - g.mean(axis=1, keepdims=True)
    gn = c / (np.sqrt((c * c).mean(axis=1, keepdims=True)) + clamp)
    left = g.shape[0] <= g.shape[1]
    a = gn @ gn.T if left else gn.T @ gn
    fro = np.sqrt((a * a).sum()) + clamp
    y, z = a / fro, np.eye(a.shape[0])
    for _ in range(iters):
        t = 3 * np.eye(a.shape[0]) - z @ y
        y, z = 0.5 * y @ t, 0.5 * t @ z
    inv = z / np.sqrt(fro)
    return inv @ gn if left else gn @ inv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("params")
    ap.add_argument("torch")
    ap.add_argument("method", choices=["sgd", "adamw", "sinkgd", "swan"])
    ap.add_argument("out")
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--step", type=int, default=1)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--adam-eps", type=float, default=1e-8)
    a = ap.parse_args()
    params = {k: v.astype(np.float64) for k, v in np.load(a.params).items()}
    ref = np.load(a.torch)
    matrices = block_matrices(a.model, params)
    out = {}
    for name, p in params.items():
        g = ref["grad:" + name].astype(np.float64)
        if a.method == "sgd":
            d = g + a.weight_decay * p
            new = p - a.lr * d
        elif a.method == "adamw" or name not in matrices:
            new = adamw(p, g, a.lr, a.step, a.weight_decay, eps=a.adam_eps)
        elif a.method == "sinkgd":
            new = p - 0.05 * a.lr * sinkhorn(g)
        else:
            new = p - a.lr * swan(g)
        out[name] = new.astype(np.float32)
    out["matrices"] = np.array("\n".join(matrices))
    np.savez(a.out, **out)


if __name__ == "__main__":
    main()
