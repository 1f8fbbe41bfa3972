#!/usr/bin/env python3
"""Numeric check of the JVP rules: ours (zo-test-jvp, compiled and run with
zo-run in float32) against central finite differences of an independent
numpy float64 model of each op.

usage: jvp_check.py CASES.mlir [--directions K] [--only NAME]

CASES.mlir holds graph-dialect functions, each preceded by
  // REF: <numpy expression of the results over x0, x1, ...>  (a tuple for
          several results; helpers below: softmax, layer_norm, ...)
  // GEN: x1=pos; x2=np.array([...])   (optional; per-argument inputs:
          'pos' uniform in [0.5, 2], 'bool', or a python expression; float
          arguments default to N(0, 1), integer ones must be given)
Each function is cut out on its own, run through
  zo-opt --zo-test-jvp{directions=K} --canonicalize --convert-graph-to-linalg
         --convert-train-to-linalg --canonicalize
and zo-run on random inputs and random tangents (N(0, 1) for every float
argument). For every result: our primal must match the numpy model, and
each tangent must match (f(x + h t) - f(x - h t)) / 2h in float64
(h = 1e-6), within 1e-4 * max|reference| + 1e-5 (float32 arithmetic and
the polynomial math of the CPU target). One line per function; exit 1 on
any mismatch, on a function without a REF, or on a run that fails.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

# ---------------------------------------------------------------------------
# numpy float64 models of the graph ops (independent of the compiler)
# ---------------------------------------------------------------------------
erf = np.vectorize(math.erf, otypes=[np.float64])


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def silu(x):
    return x * sigmoid(x)


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    c = math.sqrt(2.0 / math.pi)
    return 0.5 * x * (1.0 + np.tanh(c * (x + 0.044715 * x ** 3)))


def relu(x):
    return np.maximum(x, 0.0)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def scatter_add(data, idx, updates, axis):
    """graph.scatter_add: np.add.at along `axis` (negative indices wrap,
    repeated ones accumulate)."""
    out = np.array(data, copy=True)
    np.add.at(out, (slice(None),) * axis + (idx,), updates)
    return out


def layer_norm(x, scale, bias, axis, eps):
    axes = tuple(range(axis, x.ndim))
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps) * scale
    return y if bias is None else y + bias


def rms_norm(x, scale, axis, eps):
    axes = tuple(range(axis, x.ndim))
    return x / np.sqrt((x ** 2).mean(axis=axes, keepdims=True) + eps) * scale


def gemm(a, b, c=None, alpha=1.0, beta=1.0, trans_a=False, trans_b=False):
    y = alpha * ((a.T if trans_a else a) @ (b.T if trans_b else b))
    return y if c is None else y + beta * c


def cumsum(x, axis, exclusive=False, reverse=False):
    if reverse:
        x = np.flip(x, axis)
    y = np.cumsum(x, axis=axis)
    if exclusive:
        y = y - x
    return np.flip(y, axis) if reverse else y


def nll(logp, target, weights=None, reduction="mean", ignore_index=None):
    """ONNX NegativeLogLikelihoodLoss, class dimension 1."""
    target = np.asarray(target)
    keep = np.ones(target.shape, bool) if ignore_index is None \
        else target != ignore_index
    cls = np.where(keep, target, 0)
    picked = np.take_along_axis(logp, np.expand_dims(cls, 1), 1).squeeze(1)
    w = np.ones(target.shape) if weights is None else weights[cls]
    w = w * keep
    per = -picked * w
    if reduction == "none":
        return per
    if reduction == "sum":
        return per.sum()
    return per.sum() / w.sum()


def sce(scores, labels, weights=None, reduction="mean", ignore_index=None):
    return nll(log_softmax(scores, 1), labels, weights, reduction,
               ignore_index)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
TYPE_RE = re.compile(r"%[\w.]+\s*:\s*tensor<([^>]*)>")
DTYPES = {"f32": np.float32, "f64": np.float64, "i64": np.int64,
          "i32": np.int32, "i1": np.bool_}


def parse_tensor_type(spec):
    *dims, elt = spec.split("x")
    return tuple(int(d) for d in dims), DTYPES[elt]


def parse_cases(text):
    """[(name, function text, REF, GEN, [(shape, dtype)] args)]."""
    lines = text.splitlines()
    cases, ref, gen, i = [], None, None, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("// REF:"):
            ref = line[len("// REF:"):].strip()
        elif line.startswith("// GEN:"):
            gen = line[len("// GEN:"):].strip()
        m = re.match(r"func\.func @(\w+)\(", line)
        if m:
            j = i
            while lines[j] != "}":
                j += 1
            body = "\n".join(lines[i:j + 1])
            signature = body[:body.index("{", body.index(")"))]
            arg_text = signature[:signature.index(")")] \
                if "->" in signature else signature
            args = [parse_tensor_type(t) for t in TYPE_RE.findall(arg_text)]
            cases.append((m.group(1), body, ref, gen, args))
            ref, gen, i = None, None, j
        i += 1
    return cases


def make_inputs(gen, args, rng):
    specs = {}
    for item in filter(None, (s.strip() for s in (gen or "").split(";"))):
        k, v = item.split("=", 1)
        specs[k.strip()] = v.strip()
    xs = []
    for i, (shape, dtype) in enumerate(args):
        spec = specs.get(f"x{i}")
        if spec == "pos":
            x = rng.uniform(0.5, 2.0, shape)
        elif spec == "bool":
            x = rng.random(shape) < 0.5
        elif spec is not None:
            x = np.asarray(eval(spec, {"np": np, "rng": rng}))
        elif dtype in (np.float32, np.float64):
            x = rng.standard_normal(shape)
        else:
            raise ValueError(f"x{i}: integer argument needs a GEN entry")
        xs.append(np.asarray(x).astype(dtype).reshape(shape))
    return xs


def evaluate(ref, xs):
    env = dict(globals())
    env.update({f"x{i}": x for i, x in enumerate(xs)})
    out = eval(ref, env)
    return [np.asarray(o, np.float64) for o in
            (out if isinstance(out, tuple) else (out,))]


def check_case(name, body, ref, gen, args, directions, tmp, rng):
    xs = make_inputs(gen, args, rng)
    is_float = [x.dtype.kind == "f" for x in xs]
    tangents = [[rng.standard_normal(x.shape).astype(x.dtype)
                 if f else None for x, f in zip(xs, is_float)]
                for _ in range(directions)]
    prefix = (lambda d: "tangent:") if directions == 1 \
        else (lambda d: f"tangent{d}:")
    feed = {f"arg{i}": x for i, x in enumerate(xs)}
    for d in range(directions):
        for i, t in enumerate(tangents[d]):
            if t is not None:
                feed[prefix(d) + f"arg{i}"] = t
    src, lowered = os.path.join(tmp, "case.mlir"), os.path.join(tmp, "low.mlir")
    inputs, outputs = os.path.join(tmp, "in.npz"), os.path.join(tmp, "out.npz")
    with open(src, "w") as f:
        f.write(body + "\n")
    np.savez(inputs, **feed)
    for cmd in (["zo-opt", src,
                 f"--zo-test-jvp=directions={directions}", "--canonicalize",
                 "--convert-graph-to-linalg", "--convert-train-to-linalg",
                 "--canonicalize", "-o", lowered],
                ["zo-run", lowered, "--entry", name + "_jvp", "--inputs",
                 inputs, "--outputs", outputs]):
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            return [f"{cmd[0]} failed: {run.stderr.strip()}"]
    out = dict(np.load(outputs))

    xs64 = [x.astype(np.float64) if f else x for x, f in zip(xs, is_float)]
    primal_ref = evaluate(ref, xs64)
    errors, worst = [], 0.0
    names = [f"result{i}" for i in range(len(primal_ref))]
    for n, r in zip(names, primal_ref):
        ours = out[n].astype(np.float64)
        err = np.abs(ours - r).max() if r.size else 0.0
        if ours.shape != r.shape or err > 1e-4 * np.abs(r).max() + 1e-5:
            errors.append(f"{n}: primal differs from the numpy model "
                          f"(max abs error {err:.3g}, shapes {ours.shape} "
                          f"{r.shape})")
    h = 1e-6
    for d in range(directions):
        at = lambda s: [x + s * h * t.astype(np.float64) if t is not None
                        else x for x, t in zip(xs64, tangents[d])]
        fd = [(p - m) / (2 * h) for p, m in
              zip(evaluate(ref, at(1.0)), evaluate(ref, at(-1.0)))]
        for n, r, ref_t in zip(names, primal_ref, fd):
            key = prefix(d) + n
            if key not in out:  # an integer result has no tangent
                continue
            ours = out[key].astype(np.float64)
            scale_ = np.abs(ref_t).max() if ref_t.size else 0.0
            err = np.abs(ours - ref_t).max() if ref_t.size else 0.0
            tol = 1e-4 * scale_ + 1e-5
            worst = max(worst, err / max(scale_, 1e-12))
            if ours.shape != ref_t.shape or not err <= tol:
                errors.append(f"{key}: tangent max abs error {err:.3g} > "
                              f"{tol:.3g} (max |fd| {scale_:.3g})")
    return errors, worst


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases")
    p.add_argument("--directions", type=int, default=1)
    p.add_argument("--only")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    cases = parse_cases(open(a.cases).read())
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, body, ref, gen, args in cases:
            if a.only and name != a.only:
                continue
            if ref is None:
                print(f"@{name}: FAIL no // REF: line")
                failed += 1
                continue
            rng = np.random.default_rng(a.seed + sum(map(ord, name)))
            result = check_case(name, body, ref, gen, args, a.directions, tmp,
                                rng)
            errors, worst = result if isinstance(result, tuple) \
                else (result, None)
            if errors:
                failed += 1
                for e in errors:
                    print(f"@{name}: FAIL {e}")
            else:
                print(f"@{name}: ok (worst tangent error {worst:.1e} "
                      f"relative to max |fd|)")
    print(f"{len(cases)} functions, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
