#!/usr/bin/env python3
"""Independent reference for a compiled Forward-Grad step
(zo-zeroth-order{method=forward-grad}).

usage (the step's inputs come from zo_reference.py step-inputs):
  forward_grad_reference.py check TORCH.npz PARAMS.npz MANIFEST.json
                            RESULTS.npz --seed S [--queries Q] [--lr LR
                            --updated UPD.npz] [--weight-decay WD]
      d_s = sum_p <grad_p, v_p,s> in float64, with grad_p torch autograd's
      gradient (TORCH.npz, key grad:<param name>) and v_p,s =
      python/zo/philox.py's normal(seed, param_id = index among the
      role=param arguments of @train_step, stream = s). Our projected_grad
      must equal mean_s d_s within 1e-4 relative to the natural scale of d
      (||grad||, the standard deviation of d over the noise) and our loss
      torch's loss within 1e-5 relative. With --updated (needs --queries 1):
      every updated parameter must equal p (1 - lr wd) - lr d v, with our d
      (wd on rank >= 2 only), within 1e-6.
Exit 0 on success; one line per mismatch and exit 1 otherwise.
"""
import argparse
import json
import sys

import numpy as np

from zo import philox


def params_in_order(manifest):
    fns = {f["name"]: f for f in json.load(open(manifest))["functions"]}
    return [a for a in fns["train_step"]["args"] if a["role"] == "param"]


def check(a):
    errors = []
    torch = dict(np.load(a.torch))
    params = dict(np.load(a.params))
    results = dict(np.load(a.results))
    order = params_in_order(a.manifest)
    d_ref = np.zeros(a.queries)
    grad_norm2 = 0.0
    for i, p in enumerate(order):
        key = "grad:" + p["name"]
        if key not in torch:
            errors.append(f"no torch gradient for parameter {p['name']}")
            continue
        g = torch[key].astype(np.float64)
        grad_norm2 += float((g * g).sum())
        for s in range(a.queries):
            v = philox.normal(a.seed, i, tuple(p["shape"]), stream=s)
            d_ref[s] += float((g * v.astype(np.float64)).sum())
    d_mean = float(d_ref.mean())
    d, loss = float(results["projected_grad"]), float(results["loss"])
    scale = np.sqrt(grad_norm2)
    err = abs(d - d_mean)
    print(f"d ours {d:.7g} ref {d_mean:.7g} (torch grads . philox noise, "
          f"{len(order)} params, q = {a.queries}); |error| / ||grad|| "
          f"{err / scale:.2g}, / |d| {err / max(abs(d_mean), 1e-30):.2g}")
    if not err <= 1e-4 * scale:
        errors.append(f"projected_grad {d} vs {d_mean} (||grad|| {scale:.3g})")
    print(f"loss ours {loss:.7g} torch {float(torch['loss']):.7g}")
    if not np.isclose(loss, float(torch["loss"]), rtol=1e-5, atol=0):
        errors.append(f"loss {loss} vs torch {float(torch['loss'])}")
    if a.updated:
        assert a.queries == 1, "--updated checks q = 1 steps"
        updated = dict(np.load(a.updated))
        lr, wd = np.float32(a.lr), np.float32(a.weight_decay)
        worst = 0.0
        for i, p in enumerate(order):
            n = p["name"]
            z = philox.normal(a.seed, i, tuple(p["shape"]))
            base = params[n]
            if wd and base.ndim >= 2:
                base = base * (np.float32(1) - lr * wd)
            expected = base - lr * np.float32(d) * z
            e = np.abs(updated[n].astype(np.float64) - expected).max()
            worst = max(worst, float(e))
            if not np.allclose(updated[n], expected, rtol=1e-6, atol=1e-6):
                errors.append(f"{n}: update max abs error {e:.3g}")
        print(f"update: {len(order)} params, max abs error {worst:.3g}")
    return errors


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    for name in ("torch", "params", "manifest", "results"):
        c.add_argument(name)
    c.add_argument("--seed", type=int, required=True)
    c.add_argument("--queries", type=int, default=1)
    c.add_argument("--lr", type=float, default=0.0)
    c.add_argument("--weight-decay", type=float, default=0.0)
    c.add_argument("--updated")
    a = p.parse_args()
    errors = check(a)
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
