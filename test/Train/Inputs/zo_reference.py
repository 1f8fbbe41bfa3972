#!/usr/bin/env python3
"""Independent reference for a compiled ZO-SGD step (zo-zeroth-order).

usage:
  zo_reference.py step-inputs INPUTS.npz OUT.npz --seed S --lr LR
      the model's batch plus the step scalars seed (int64) and lr (float32)
  zo_reference.py check MODEL.onnx INPUTS.npz PARAMS.npz MANIFEST.json
                  RESULTS.npz --seed S --eps EPS [--lr LR --updated UPD.npz]
      (a) onnxruntime on the model with every parameter p replaced by
          p + eps z and p - eps z (z from python/zo/philox.py, param_id =
          index among the role=param arguments of @train_step) gives l+ and
          l-; our loss must equal l+ and l+ - 2 eps g must equal l- (~1e-4
          relative), and g must match (l+ - l-) / (2 eps) within what the
          float32 losses allow;
      (c) with --updated: updated params == p - lr g z (our g), ~1e-6
      --method zo-sign [--weight-decay WD]: (a) as above; (c) updated ==
          p (1 - lr wd) - lr sign(g) z (wd on rank >= 2 only);
      --method zo-cons: l0 = L(p) too; our loss must equal l0 and g match
          (l+ - l-) / (2 eps); then l1 = L(p - lr g z), l2 = L(p + lr g z)
          (our g) with onnxruntime give the choice c in {-1, 0, +1}
          (l1 > l0 ? (l0 < l2 ? 0 : +1) : (l1 < l2 ? -1 : +1)); every
          comparison must be decided by more than the float32 error; (c)
          updated == p + c lr g z
  zo_reference.py same PARAMS.npz UPD.npz
      every parameter in UPD.npz is bit-identical to the one in PARAMS.npz
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


def onnx_loss(model_path, inputs, replaced):
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
    model = onnx.load(model_path)
    for init in model.graph.initializer:
        if init.name in replaced:
            init.CopyFrom(numpy_helper.from_array(replaced[init.name], init.name))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts,
                                providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    out = sess.run(["loss"], {n: inputs[n] for n in names})
    return float(out[0])


def cons_choice(l0, l1, l2):
    """ZO-SGD-Cons (ZO-Bench): the coefficient of lr g z taken."""
    if l1 > l0:
        return 0 if l0 < l2 else 1
    return -1 if l1 < l2 else 1


def check_cons(a):
    errors = []
    inputs = dict(np.load(a.inputs))
    params = dict(np.load(a.params))
    results = dict(np.load(a.results))
    order = params_in_order(a.manifest)
    eps, lr = np.float32(a.eps), np.float32(a.lr)
    noise = {p["name"]: philox.normal(a.seed, i, tuple(p["shape"]))
             for i, p in enumerate(order)}
    at = lambda alpha: {n: (params[n] + np.float32(alpha) * z).astype(np.float32)
                        for n, z in noise.items()}
    l0 = onnx_loss(a.model, inputs, {})
    lp = onnx_loss(a.model, inputs, at(eps))
    lm = onnx_loss(a.model, inputs, at(-eps))
    g_ref = (lp - lm) / (2 * float(eps))
    loss, g = float(results["loss"]), float(results["projected_grad"])
    g_tol = 2e-6 * (abs(lp) + abs(lm)) / (2 * float(eps)) + 1e-4 * abs(g_ref)
    print(f"l0 ours {loss:.7g} ref {l0:.7g}; g ours {g:.7g} ref {g_ref:.7g} "
          f"(tol {g_tol:.2g})")
    if not np.isclose(loss, l0, rtol=1e-4, atol=0):
        errors.append(f"l0 {loss} vs onnxruntime {l0}")
    if abs(g - g_ref) > g_tol:
        errors.append(f"projected_grad {g} vs {g_ref}")
    step = np.float32(lr * np.float32(g))
    l1 = onnx_loss(a.model, inputs, at(-step))
    l2 = onnx_loss(a.model, inputs, at(step))
    c = cons_choice(l0, l1, l2)
    margin = min(abs(l1 - l0), abs(l0 - l2), abs(l1 - l2))
    print(f"l1 {l1:.7g} l2 {l2:.7g} choice c = {c:+d} "
          f"(smallest loss gap {margin:.3g})")
    if margin <= 1e-5 * max(abs(l0), abs(l1), abs(l2)):
        errors.append(f"losses too close to decide the choice robustly "
                      f"(gap {margin:.3g}); pick another seed or lr")
    if a.updated:
        updated = dict(np.load(a.updated))
        worst = 0.0
        for n, z in noise.items():
            expected = params[n] + np.float32(c) * step * z
            err = np.abs(updated[n].astype(np.float64) - expected)
            worst = max(worst, float(err.max()))
            if not np.allclose(updated[n], expected, rtol=1e-6, atol=1e-6):
                errors.append(f"{n}: update max abs error {err.max():.3g}")
        print(f"update: {len(noise)} params, c = {c:+d}, "
              f"max abs error {worst:.3g}")
    return errors


def check(a):
    if a.method == "zo-cons":
        return check_cons(a)
    errors = []
    inputs = dict(np.load(a.inputs))
    params = dict(np.load(a.params))
    results = dict(np.load(a.results))
    order = params_in_order(a.manifest)
    eps = np.float32(a.eps)
    noise = {p["name"]: philox.normal(a.seed, i, tuple(p["shape"]))
             for i, p in enumerate(order)}
    plus = {n: (params[n] + eps * z).astype(np.float32) for n, z in noise.items()}
    minus = {n: (params[n] - eps * z).astype(np.float32) for n, z in noise.items()}
    lp = onnx_loss(a.model, inputs, plus)
    lm = onnx_loss(a.model, inputs, minus)
    g_ref = (lp - lm) / (2 * float(eps))
    loss, g = float(results["loss"]), float(results["projected_grad"])
    lm_ours = loss - 2 * float(eps) * g
    # Each loss carries ~1e-6 relative float32 error; g inherits it / (2 eps).
    g_tol = 2e-6 * (abs(lp) + abs(lm)) / (2 * float(eps)) + 1e-4 * abs(g_ref)
    print(f"l+ ours {loss:.7g} ref {lp:.7g}; l- ours {lm_ours:.7g} ref {lm:.7g}; "
          f"g ours {g:.7g} ref {g_ref:.7g} (tol {g_tol:.2g})")
    if not np.isclose(loss, lp, rtol=1e-4, atol=0):
        errors.append(f"l+ {loss} vs onnxruntime {lp}")
    if not np.isclose(lm_ours, lm, rtol=1e-4, atol=0):
        errors.append(f"l- {lm_ours} vs onnxruntime {lm}")
    if abs(g - g_ref) > g_tol:
        errors.append(f"projected_grad {g} vs {g_ref}")
    if a.updated:
        updated = dict(np.load(a.updated))
        lr = np.float32(a.lr)
        worst = 0.0
        coef = np.float32(g)
        if a.method == "zo-sign":
            coef = np.float32(np.sign(g))
            print(f"sign(g) = {coef:+.0f}")
        for n, z in noise.items():
            p = params[n]
            if a.weight_decay and p.ndim >= 2:
                p = p * (np.float32(1) - lr * np.float32(a.weight_decay))
            expected = p - lr * coef * z
            err = np.abs(updated[n].astype(np.float64) - expected)
            worst = max(worst, float(err.max()))
            if not np.allclose(updated[n], expected, rtol=1e-6, atol=1e-6):
                errors.append(f"{n}: update max abs error {err.max():.3g}")
        print(f"update: {len(noise)} params, max abs error {worst:.3g}")
    return errors


def same(a):
    ref, upd = np.load(a.params), np.load(a.updated)
    errors = [f"{k}: values differ" for k in upd.files
              if not np.array_equal(ref[k], upd[k])]
    print(f"{len(upd.files)} params compared bit for bit")
    return errors


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("step-inputs")
    s.add_argument("inputs")
    s.add_argument("out")
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--lr", type=float, required=True)
    c = sub.add_parser("check")
    for name in ("model", "inputs", "params", "manifest", "results"):
        c.add_argument(name)
    c.add_argument("--seed", type=int, required=True)
    c.add_argument("--eps", type=float, required=True)
    c.add_argument("--lr", type=float, default=0.0)
    c.add_argument("--updated")
    c.add_argument("--method", default="zo-sgd",
                   choices=["zo-sgd", "zo-sign", "zo-cons"])
    c.add_argument("--weight-decay", type=float, default=0.0)
    m = sub.add_parser("same")
    m.add_argument("params")
    m.add_argument("updated")
    a = p.parse_args()
    if a.cmd == "step-inputs":
        data = dict(np.load(a.inputs))
        data["seed"] = np.array(a.seed, dtype=np.int64)
        data["lr"] = np.array(a.lr, dtype=np.float32)
        np.savez(a.out, **data)
        return 0
    errors = check(a) if a.cmd == "check" else same(a)
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
