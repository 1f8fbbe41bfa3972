#!/usr/bin/env python3
"""Numeric check of the VJP rules: ours (zo-test-vjp, compiled and run with
zo-run, in float64 by default) against central finite differences of an
independent numpy float64 model of each op.

usage: vjp_check.py CASES.mlir [--dtype f64|f32] [--only NAME] [--seed S]

CASES.mlir holds graph-dialect functions written in f32, each preceded by
the same annotations as for jvp_check.py (whose numpy models it uses):
  // REF: <numpy expression of the results over x0, x1, ...>
  // GEN: x1=pos; x2=np.array([...])   (optional, per-argument inputs)
With --dtype f64 every f32 tensor type of the function becomes f64 (the
compiled VJP then runs in float64 end to end). Each function is cut out on
its own, run through
  zo-opt --zo-test-vjp --canonicalize --convert-graph-to-linalg
         --convert-train-to-linalg --canonicalize
and zo-run on random inputs and a random cotangent w_r ~ N(0, 1) for every
float result r. Our primal must match the numpy model, and the gradient of
every float argument x must match, element by element, the central finite
difference (h = 1e-6) in float64 of phi(x) = sum_r <w_r, f_r(x)>: within
1e-6 * max|fd| + 1e-9 in f64 (1e-4 * max|fd| + 1e-5 in f32). One line per
function; exit 1 on any mismatch, on a function without a REF, or on a run
that fails.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jvp_check  # noqa: E402  (numpy op models, case parsing, inputs)

F32_TENSOR = re.compile(r"tensor<((?:\d+x)*)f32>")
TENSOR = re.compile(r"tensor<([^>]*)>")
TOLERANCES = {"f64": (1e-6, 1e-9), "f32": (1e-4, 1e-5)}


def result_types(body):
    """[(shape, dtype)] of the function's results, from its signature."""
    signature = body[:body.index("{", body.index(")"))]
    if "->" not in signature:
        return []
    return [jvp_check.parse_tensor_type(t)
            for t in TENSOR.findall(signature.split("->", 1)[1])]


def check_case(name, body, ref, gen, dtype, tmp, rng):
    if dtype == "f64":
        body = F32_TENSOR.sub(r"tensor<\1f64>", body)
    # A case named like a libm function (@exp, @tanh, ...) would capture the
    # calls the f64 math lowers to: compile it under another name.
    body = body.replace(f"func.func @{name}(", f"func.func @case_{name}(", 1)
    signature = body[:body.index("{", body.index(")"))]
    arg_text = signature.split("->", 1)[0]
    args = [jvp_check.parse_tensor_type(t)
            for t in jvp_check.TYPE_RE.findall(arg_text)]
    xs = jvp_check.make_inputs(gen, args, rng)
    is_float = [x.dtype.kind == "f" for x in xs]
    results = result_types(body)
    xs64 = [x.astype(np.float64) if f else x for x, f in zip(xs, is_float)]
    primal_ref = jvp_check.evaluate(ref, xs64)
    ws = [rng.standard_normal(shape).astype(dt) if dt in (np.float32,
                                                          np.float64)
          else None for shape, dt in results]
    feed = {f"arg{i}": x for i, x in enumerate(xs)}
    for j, w in enumerate(ws):
        if w is not None:
            feed[f"cotangent:result{j}"] = w
    src, lowered = os.path.join(tmp, "case.mlir"), os.path.join(tmp, "low.mlir")
    inputs, outputs = os.path.join(tmp, "in.npz"), os.path.join(tmp, "out.npz")
    with open(src, "w") as f:
        f.write(body + "\n")
    np.savez(inputs, **feed)
    for cmd in (["zo-opt", src, "--zo-test-vjp", "--canonicalize",
                 "--convert-graph-to-linalg", "--convert-train-to-linalg",
                 "--canonicalize", "-o", lowered],
                ["zo-run", lowered, "--entry", f"case_{name}_vjp", "--inputs",
                 inputs, "--outputs", outputs]):
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            return [f"{cmd[0]} failed: {run.stderr.strip()}"], None
    out = dict(np.load(outputs))

    rel, abs_ = TOLERANCES[dtype]
    errors, worst = [], 0.0
    if len(primal_ref) != len(results):
        return [f"REF gives {len(primal_ref)} results, the function "
                f"{len(results)}"], None
    for j, r in enumerate(primal_ref):
        ours = out[f"result{j}"].astype(np.float64)
        err = np.abs(ours - r).max() if r.size else 0.0
        if ours.shape != r.shape or not err <= rel * np.abs(r).max() + abs_:
            errors.append(f"result{j}: primal differs from the numpy model "
                          f"(max abs error {err:.3g}, shapes {ours.shape} "
                          f"{r.shape})")

    def dphi(plus, minus):
        """phi(plus) - phi(minus), differenced per element before the sum
        (no cancellation against large constant entries)."""
        return sum(float((w.astype(np.float64) * (fp - fm)).sum())
                   for w, fp, fm in zip(ws, jvp_check.evaluate(ref, plus),
                                        jvp_check.evaluate(ref, minus))
                   if w is not None)

    h = 1e-6
    for i, x in enumerate(xs64):
        if not is_float[i]:
            continue
        fd = np.zeros(x.shape)
        for e in np.ndindex(x.shape):
            plus, minus = list(xs64), list(xs64)
            plus[i], minus[i] = x.copy(), x.copy()
            plus[i][e] += h
            minus[i][e] -= h
            fd[e] = dphi(plus, minus) / (2 * h)
        key = f"grad:arg{i}"
        ours = out[key].astype(np.float64)
        scale_ = np.abs(fd).max() if fd.size else 0.0
        err = np.abs(ours - fd).max() if fd.size else 0.0
        tol = rel * scale_ + abs_
        worst = max(worst, err / max(scale_, 1e-12))
        if ours.shape != fd.shape or not err <= tol:
            errors.append(f"{key}: gradient max abs error {err:.3g} > "
                          f"{tol:.3g} (max |fd| {scale_:.3g})")
    return errors, worst


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases")
    p.add_argument("--dtype", choices=["f64", "f32"], default="f64")
    p.add_argument("--only")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    cases = jvp_check.parse_cases(open(a.cases).read())
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, body, ref, gen, _ in cases:
            if a.only and name != a.only:
                continue
            if ref is None:
                print(f"@{name}: FAIL no // REF: line")
                failed += 1
                continue
            rng = np.random.default_rng(a.seed + sum(map(ord, name)))
            errors, worst = check_case(name, body, ref, gen, a.dtype, tmp, rng)
            if errors:
                failed += 1
                for e in errors:
                    print(f"@{name}: FAIL {e}")
            else:
                print(f"@{name}: ok (worst gradient error {worst:.1e} "
                      f"relative to max |fd|)")
    print(f"{len(cases)} functions, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
