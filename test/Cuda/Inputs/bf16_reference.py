#!/usr/bin/env python3
"""Independent reference for a bf16 ZO-SGD step (zo-zeroth-order).

usage:
  bf16_reference.py forward MODEL.onnx INPUTS.npz PARAMS.npz OUTPUTS.npz
      our forward of the bf16 model (loss, logits) vs onnxruntime running the
      f32 MODEL.onnx with the bf16 parameters' values: equal up to what
      bf16 activations allow (logits: --rtol of their largest magnitude;
      loss: --loss-rtol)
  bf16_reference.py step MODEL.onnx INPUTS.npz PARAMS.npz MANIFEST.json
                    RESULTS.npz UPDATED.npz --seed S --eps EPS --lr LR
      (a) the perturbed parameters are bf16(p + eps z) (z from
          python/zo/philox.py, param_id = index among train_step's params,
          computed in f32 and rounded once to bf16, as the kernels do);
          onnxruntime on the f32 model at those values gives l+; our loss
          must equal it up to bf16 activations (--loss-rtol);
      (c) every updated parameter is bf16(p - lr g z) (our g): exactly the
          f32 value rounded to nearest even, except where that value is
          within float32 rounding of the noise (z here and in the kernels
          may differ in the last bits) of a halfway point between two
          bf16 values, where either neighbour is accepted; at least half
          of the elements must have changed (the check is not vacuous).
  bf16_reference.py update PARAMS.npz MANIFEST.json RESULTS.npz
                    WRITTEN.npz --method zo-sgd-mmt|zo-adam --seed S --lr LR
      one ZO-SGD-MMT / ZO-Adam step from zero state (step count 1), with
      our g: the state (f32) must equal numpy's f32 formula (b = g z;
      m = (1 - b1) g z, v = (1 - b2) (g z)^2) within --state-rtol, and
      every parameter the f32 update widened from bf16 and rounded once
      (p - lr b; p - lr (m / (1 - b1)) / (sqrt(v / (1 - b2)) + e)): the
      bf16 value must lie between the roundings of that value -/+
      --update-rtol of the update (ZO-Adam needs 1e-5: the step computes
      b^t with a polynomial pow, whose last-bit error in 1 - b2^t = 0.001
      grows in the update by the cancellation)
bf16 arrays are uint16 bit patterns (`<u2`, what zo-run writes) or
ml_dtypes.bfloat16 (`<V2`). Rounding to bf16 here is ml_dtypes' astype
(round to nearest even), not our code. Exit 0 on success; one line per
mismatch and exit 1 otherwise.
"""
import argparse
import json
import sys

import ml_dtypes
import numpy as np

from zo import philox


def bf16_to_f32(a):
    a = np.asarray(a)
    bits = a.view(np.uint16) if a.dtype.itemsize == 2 else a.astype(np.uint16)
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16_bits(x):
    return np.asarray(x, np.float32).astype(ml_dtypes.bfloat16).view(np.uint16)


def params_in_order(manifest):
    fns = {f["name"]: f for f in json.load(open(manifest))["functions"]}
    return [a for a in fns["train_step"]["args"] if a["role"] == "param"]


def run_onnx(model_path, inputs, params, outputs):
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
    model = onnx.load(model_path)
    for init in model.graph.initializer:
        if init.name in params:
            init.CopyFrom(numpy_helper.from_array(
                params[init.name].astype(np.float32), init.name))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts,
                                providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    return sess.run(outputs, {n: inputs[n] for n in names})


def check_forward(a):
    inputs = dict(np.load(a.inputs))
    params = {k: bf16_to_f32(v) for k, v in np.load(a.params).items()}
    ours = dict(np.load(a.outputs))
    loss, logits = run_onnx(a.model, inputs, params, ["loss", "logits"])
    scale = float(np.abs(logits).max())
    err = float(np.abs(ours["logits"] - logits).max())
    lerr = abs(float(ours["loss"]) - float(loss))
    print(f"forward: logits max |ours - ref| {err:.3g} (scale {scale:.3g}); "
          f"loss ours {float(ours['loss']):.6g} ref {float(loss):.6g}")
    errors = []
    if err > a.rtol * scale:
        errors.append(f"logits differ by {err:.3g} > {a.rtol} x {scale:.3g}")
    if lerr > a.loss_rtol * abs(float(loss)):
        errors.append(f"loss {float(ours['loss'])} vs onnxruntime {float(loss)}")
    return errors


def check_step(a):
    errors = []
    inputs = dict(np.load(a.inputs))
    raw = dict(np.load(a.params))
    params = {k: bf16_to_f32(v) for k, v in raw.items()}
    results = dict(np.load(a.results))
    updated = dict(np.load(a.updated))
    order = params_in_order(a.manifest)
    eps, lr = np.float32(a.eps), np.float32(a.lr)
    noise = {p["name"]: philox.normal(a.seed, i, tuple(p["shape"]))
             for i, p in enumerate(order)}
    plus = {n: bf16_to_f32(f32_to_bf16_bits(params[n] + eps * z))
            for n, z in noise.items()}
    (lp,) = run_onnx(a.model, inputs, plus, ["loss"])
    lp = float(lp)
    loss, g = float(results["loss"]), float(results["projected_grad"])
    print(f"l+ ours {loss:.6g} ref {lp:.6g}; g ours {g:.6g}")
    if abs(loss - lp) > a.loss_rtol * abs(lp):
        errors.append(f"l+ {loss} vs onnxruntime {lp}")
    alpha = np.float32(-lr * np.float32(g))
    changed = total = ties = 0
    for n, z in noise.items():
        step = alpha * z
        exact = params[n] + step                       # f32, as the kernels
        want = f32_to_bf16_bits(exact)
        got = np.asarray(updated[n]).view(np.uint16)
        if got.shape != want.shape:
            errors.append(f"{n}: shape {got.shape} vs {want.shape}")
            continue
        # Halfway points: the f32 value's distance to the midpoint between
        # the two bf16 neighbours, against z's last-bit uncertainty.
        lo_bits = (exact.view(np.uint32) >> 16).astype(np.uint16)
        hi_bits = lo_bits + np.uint16(1)
        lo, hi = bf16_to_f32(lo_bits), bf16_to_f32(hi_bits)
        mid = (lo.astype(np.float64) + hi) / 2
        slack = 4 * np.abs(step.astype(np.float64)) * 2.0 ** -23 + \
            np.abs(exact.astype(np.float64)) * 2.0 ** -24
        near = np.abs(exact - mid) <= slack
        ok = (got == want) | (near & ((got == lo_bits) | (got == hi_bits)))
        bad = int((~ok).sum())
        if bad:
            i = int(np.flatnonzero(~ok.reshape(-1))[0])
            errors.append(f"{n}: {bad} of {got.size} updated elements are not "
                          f"bf16(p - lr g z), first at {i}: got "
                          f"{bf16_to_f32(got.reshape(-1)[i]):.8g} want "
                          f"{bf16_to_f32(want.reshape(-1)[i]):.8g}")
        changed += int((got != np.asarray(raw[n]).view(np.uint16)).sum())
        total += got.size
        ties += int(near.sum())
    print(f"update: {len(noise)} params, {total} elements, {changed} changed, "
          f"{ties} within rounding of a halfway point")
    if changed * 2 < total:
        errors.append(f"only {changed} of {total} elements changed")
    return errors


def check_update(a):
    errors = []
    raw = dict(np.load(a.params))
    results = dict(np.load(a.results))
    written = dict(np.load(a.written))
    order = params_in_order(a.manifest)
    g = np.float32(results["projected_grad"])
    lr, f = np.float32(a.lr), np.float32
    changed = total = ties = 0
    for i, spec in enumerate(order):
        n = spec["name"]
        p = bf16_to_f32(raw[n])
        u = g * philox.normal(a.seed, i, tuple(spec["shape"]))
        if a.method == "zo-sgd-mmt":
            state = {"momentum": u}
            exact = p - lr * u
        else:
            m = f(1 - a.beta1) * u
            v = f(1 - a.beta2) * (u * u)
            state = {"adam_m": m, "adam_v": v}
            mhat = m / f(1 - a.beta1)
            vhat = v / f(1 - a.beta2)
            exact = p - lr * (mhat / (np.sqrt(vhat) + f(a.adam_eps)))
        for kind, want in state.items():
            got = written[f"{kind}:{n}"]
            if got.dtype != np.float32:
                errors.append(f"{kind}:{n}: state is {got.dtype}, not f32")
                continue
            bad = int((np.abs(got - want) > a.state_rtol * np.abs(want)).sum())
            if bad:
                errors.append(f"{kind}:{n}: {bad} of {got.size} state "
                              "elements differ from numpy's f32 formula")
        # Rounding to bf16 is monotonic: with the f32 value known to within
        # tol, the result lies between the roundings of its bounds.
        tol = a.update_rtol * np.abs(exact - p) + np.abs(exact) * 2.0 ** -24
        lo = bf16_to_f32(f32_to_bf16_bits(exact - tol))
        hi = bf16_to_f32(f32_to_bf16_bits(exact + tol))
        got = np.asarray(written[n]).view(np.uint16)
        value = bf16_to_f32(got)
        bad = int((~((value >= lo) & (value <= hi))).sum())
        if bad:
            errors.append(f"{n}: {bad} of {got.size} updated elements are not "
                          "the f32 update rounded once to bf16")
        changed += int((got != np.asarray(raw[n]).view(np.uint16)).sum())
        total += got.size
        ties += int((lo != hi).sum())
    print(f"{a.method} update: {len(order)} params, {total} elements, "
          f"{changed} changed, {ties} within --update-rtol of a halfway "
          "point")
    if changed * 2 < total:
        errors.append(f"only {changed} of {total} elements changed")
    return errors


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("forward")
    for n in ("model", "inputs", "params", "outputs"):
        f.add_argument(n)
    f.add_argument("--rtol", type=float, default=2e-2)
    f.add_argument("--loss-rtol", type=float, default=1e-3)
    s = sub.add_parser("step")
    for n in ("model", "inputs", "params", "manifest", "results", "updated"):
        s.add_argument(n)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--eps", type=float, required=True)
    s.add_argument("--lr", type=float, required=True)
    s.add_argument("--loss-rtol", type=float, default=1e-3)
    u = sub.add_parser("update")
    for n in ("params", "manifest", "results", "written"):
        u.add_argument(n)
    u.add_argument("--method", choices=["zo-sgd-mmt", "zo-adam"],
                   required=True)
    u.add_argument("--seed", type=int, required=True)
    u.add_argument("--lr", type=float, required=True)
    u.add_argument("--beta1", type=float, default=0.9)
    u.add_argument("--beta2", type=float, default=0.999)
    u.add_argument("--adam-eps", type=float, default=1e-8)
    u.add_argument("--state-rtol", type=float, default=1e-6)
    u.add_argument("--update-rtol", type=float, default=1e-6)
    a = p.parse_args()
    errors = (check_forward(a) if a.cmd == "forward" else
              check_step(a) if a.cmd == "step" else check_update(a))
    for e in errors:
        print("error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
