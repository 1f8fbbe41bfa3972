#!/usr/bin/env python3
"""Independent reference for a compiled ZO-SGD step (zo-zeroth-order).

usage:
  zo_reference.py step-inputs INPUTS.npz OUT.npz --seed S --lr LR
      the model's batch plus the step scalars seed (int64), lr (float32)
      and step (int64, the 1-based step count; --step, default 1)
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
      --sparsity S [--sparsity-scope layer|global --mask-every K
          --mask-seed M --step T]: every z is z * m, m the mask of epoch
          (T - 1) // K from python/zo/sparse_mask.py (exactly floor(s n)
          zeros per tensor, or floor(s N) over all params); (c) also
          requires every masked element bit-identical after the update
  zo_reference.py trajectory MODEL.onnx INPUTS.npz PARAMS.npz MANIFEST.json
                  WRITTEN1.npz [WRITTEN2.npz ...] --outputs OUT1.npz ...
                  --seeds S1 S2 ... --eps EPS
                  --lr LR --method zo-sgd-mmt|zo-adam [--weight-decay WD]
                  [--momentum MU --beta1 B1 --beta2 B2 --adam-eps E]
      several consecutive steps from PARAMS.npz (state zero): WRITTENk.npz
      is what `zo-run --write-params` wrote after step k (parameters and
      state), OUTk.npz its --outputs (loss, projected_grad). For each step the
      losses l+/l- come from onnxruntime on the numpy reference's own
      parameters; g must match (l+ - l-) / (2 eps), and parameters and
      state must equal the numpy update (ZO-SGD-MMT b <- mu b + g z,
      p <- p (1 - lr wd) - lr b; ZO-Adam with bias correction at t = k)
      applied with OUR g (the float32 losses decide g only to ~1e-3)
  zo_reference.py blocks MODEL.onnx INPUTS.npz PARAMS.npz MANIFEST.json
                  RESULTS.npz UPDATED.npz --seed S --eps EPS --lr LR
                  --blocks layer|module|linear|tensor
                  [--block-update coordinate|simultaneous]
      block-wise ZO-SGD: groups the parameters by its own reading of the
      ONNX names and node scopes, then for each block k recovers our g_k
      from the update (updated - p = -lr g_k z) and checks it against
      onnxruntime with only block k perturbed, at the parameters the block
      was probed at (coordinate: earlier blocks already updated)
  zo_reference.py same PARAMS.npz UPD.npz
      every parameter in UPD.npz is bit-identical to the one in PARAMS.npz
Exit 0 on success; one line per mismatch and exit 1 otherwise.
"""
import argparse
import json
import sys

import numpy as np

from zo import philox, sparse_mask


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


def sparsify(noise, order, a):
    """--sparsity: z * m with the reference mask; returns (noise, masks)."""
    if not a.sparsity:
        return noise, {}
    epoch = (a.step - 1) // a.mask_every
    shapes = [tuple(p["shape"]) for p in order]
    if a.sparsity_scope == "global":
        masks = sparse_mask.global_keep(shapes, a.sparsity, a.mask_seed, epoch)
    else:
        masks = [sparse_mask.keep(s, a.sparsity, a.mask_seed, epoch, param_id=i)
                 for i, s in enumerate(shapes)]
    masks = {p["name"]: m for p, m in zip(order, masks)}
    zeros = sum(int((~m).sum()) for m in masks.values())
    total = sum(m.size for m in masks.values())
    print(f"mask: {a.sparsity_scope} s={a.sparsity} epoch {epoch}: "
          f"{zeros} of {total} zeroed")
    return {n: np.where(masks[n], z, np.float32(0)) for n, z in noise.items()}, masks


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
    noise, masks = sparsify(noise, order, a)
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
            if n in masks and not np.array_equal(updated[n][~masks[n]],
                                                 p[~masks[n]]):
                errors.append(f"{n}: a masked element was updated")
        print(f"update: {len(noise)} params, max abs error {worst:.3g}")
    return errors


def trajectory(a):
    errors = []
    inputs = dict(np.load(a.inputs))
    params = {k: v.astype(np.float32) for k, v in np.load(a.params).items()}
    order = params_in_order(a.manifest)
    eps, lr = np.float32(a.eps), np.float32(a.lr)
    kinds = {"zo-sgd-mmt": ["momentum"], "zo-adam": ["adam_m", "adam_v"]}[a.method]
    state = {f"{k}:{p['name']}": np.zeros(p["shape"], np.float32)
             for p in order for k in kinds}
    if not len(a.steps) == len(a.seeds) == len(a.outputs):
        return ["one --seeds and one --outputs entry per step file"]
    worst_p = worst_s = 0.0
    for t, (path, out, seed) in enumerate(zip(a.steps, a.outputs, a.seeds),
                                          start=1):
        ours = dict(np.load(path))
        ours.update(np.load(out))
        noise = {p["name"]: philox.normal(seed, i, tuple(p["shape"]))
                 for i, p in enumerate(order)}
        lp = onnx_loss(a.model, inputs,
                       {n: params[n] + eps * z for n, z in noise.items()})
        lm = onnx_loss(a.model, inputs,
                       {n: params[n] - eps * z for n, z in noise.items()})
        g_ref = (lp - lm) / (2 * float(eps))
        g = np.float32(ours["projected_grad"])
        g_tol = 2e-6 * (abs(lp) + abs(lm)) / (2 * float(eps)) + 1e-4 * abs(g_ref)
        if abs(float(g) - g_ref) > g_tol:
            errors.append(f"step {t}: projected_grad {g} vs {g_ref}")
        if not np.isclose(float(ours["loss"]), lp, rtol=1e-4, atol=0):
            errors.append(f"step {t}: loss {float(ours['loss'])} vs {lp}")
        for n, z in noise.items():
            p = params[n]
            decay = np.float32(1) - lr * np.float32(a.weight_decay) \
                if p.ndim >= 2 else np.float32(1)
            u = g * z
            if a.method == "zo-sgd-mmt":
                b = np.float32(a.momentum) * state[f"momentum:{n}"] + u
                state[f"momentum:{n}"] = b
                params[n] = p * decay - lr * b
            else:
                b1, b2 = np.float32(a.beta1), np.float32(a.beta2)
                m = b1 * state[f"adam_m:{n}"] + (np.float32(1) - b1) * u
                v = b2 * state[f"adam_v:{n}"] + (np.float32(1) - b2) * u * u
                state[f"adam_m:{n}"], state[f"adam_v:{n}"] = m, v
                m_hat = m / (np.float32(1) - b1 ** np.float32(t))
                v_hat = v / (np.float32(1) - b2 ** np.float32(t))
                params[n] = p * decay - lr * m_hat / (
                    np.sqrt(v_hat) + np.float32(a.adam_eps))
        for n, ref in list(params.items()) + list(state.items()):
            if n not in ours:
                errors.append(f"step {t}: {n} missing from {path}")
                continue
            err = np.abs(ours[n].astype(np.float64) - ref)
            scale = 1e-5 * max(1.0, float(np.abs(ref).max()))
            if n in params:
                worst_p = max(worst_p, float(err.max()))
            else:
                worst_s = max(worst_s, float(err.max()))
            if err.max() > scale:
                errors.append(f"step {t}: {n} max abs error {err.max():.3g}")
        # The next step starts from our values, so float32 differences in
        # the losses (and hence g) do not compound.
        for n in params:
            params[n] = ours[n].astype(np.float32)
        for n in state:
            state[n] = ours[n].astype(np.float32)
        print(f"step {t}: l+ {lp:.7g} g ours {float(g):.7g} ref {g_ref:.7g}")
    print(f"{a.method}: {len(a.steps)} steps, {len(params)} params, "
          f"{len(state)} state tensors; max abs error params {worst_p:.3g} "
          f"state {worst_s:.3g}")
    return errors


def module_path(model, name):
    """The module a parameter belongs to (docs/methods/zo-block.md)."""
    if "::" not in name and "." in name:
        return name.rsplit(".", 1)[0]
    for node in model.graph.node:
        if name in node.input and node.name.startswith("/") \
                and node.name.count("/") >= 2:
            return node.name[1:].rsplit("/", 1)[0].replace("/", ".")
    return name


def block_key(path, name, level):
    if level == "tensor":
        return name
    if level == "linear":
        return path
    parts = path.split(".")
    numeric = [i for i, p in enumerate(parts) if p.isdigit()]
    if numeric:
        keep = numeric[0] + (1 if level == "layer" else 2)
    else:
        keep = len(parts) - 1 if level == "layer" else len(parts)
    keep = max(1, min(keep, len(parts)))
    return ".".join(parts[:keep])


def blocks(a):
    import onnx
    errors = []
    model = onnx.load(a.model)
    inputs = dict(np.load(a.inputs))
    params = {k: v.astype(np.float32) for k, v in np.load(a.params).items()}
    updated = dict(np.load(a.updated))
    results = dict(np.load(a.results))
    order = params_in_order(a.manifest)
    eps, lr = np.float32(a.eps), np.float32(a.lr)
    groups = {}
    for i, p in enumerate(order):
        key = block_key(module_path(model, p["name"]), p["name"], a.blocks)
        groups.setdefault(key, []).append((i, p["name"]))
    current = dict(params)
    gs = []
    for k, (key, members) in enumerate(groups.items()):
        noise = {n: philox.normal(a.seed, i, params[n].shape) for i, n in members}
        lp = onnx_loss(a.model, inputs,
                       {**current, **{n: current[n] + eps * z for n, z in noise.items()}})
        lm = onnx_loss(a.model, inputs,
                       {**current, **{n: current[n] - eps * z for n, z in noise.items()}})
        g_ref = (lp - lm) / (2 * float(eps))
        # Our g_k, from our update of the block.
        num = sum(float(np.sum((updated[n] - params[n]).astype(np.float64) * z))
                  for n, z in noise.items())
        den = sum(float(np.sum(z.astype(np.float64) ** 2)) for z in noise.values())
        g = -num / (float(lr) * den)
        g_tol = 2e-6 * (abs(lp) + abs(lm)) / (2 * float(eps)) + 1e-3 * abs(g_ref)
        if abs(g - g_ref) > g_tol:
            errors.append(f"block {k} ({key}): g {g:.7g} vs {g_ref:.7g}")
        for n, z in noise.items():
            expected = params[n] - lr * np.float32(g) * z
            if not np.allclose(updated[n], expected, rtol=1e-6, atol=1e-6):
                errors.append(f"block {k}: {n} is not p - lr g_k z")
        if k == 0 and not np.isclose(float(results["loss"]), lp, rtol=1e-4):
            errors.append(f"loss {float(results['loss'])} vs block 0 l+ {lp}")
        if a.block_update == "coordinate":
            for n in noise:
                current[n] = updated[n].astype(np.float32)
        gs.append(g)
        print(f"block {k} {key}: {len(members)} params, g ours {g:.7g} "
              f"ref {g_ref:.7g}")
    mean = float(np.mean(gs))
    if not np.isclose(float(results["projected_grad"]), mean, rtol=1e-3,
                      atol=1e-6):
        errors.append(f"projected_grad {float(results['projected_grad'])} "
                      f"vs mean g_k {mean}")
    print(f"{len(groups)} blocks ({a.blocks}, {a.block_update})")
    return errors


def same(a):
    ref, upd = np.load(a.params), np.load(a.updated)
    names = [k for k in upd.files if k in ref.files]
    errors = [f"{k}: values differ" for k in names
              if not np.array_equal(ref[k], upd[k])]
    print(f"{len(names)} params compared bit for bit")
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
    s.add_argument("--step", type=int, default=1)
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
    c.add_argument("--sparsity", type=float, default=0.0)
    c.add_argument("--sparsity-scope", default="layer", choices=["layer", "global"])
    c.add_argument("--mask-every", type=int, default=1)
    c.add_argument("--mask-seed", type=int, default=0)
    c.add_argument("--step", type=int, default=1)
    t = sub.add_parser("trajectory")
    for name in ("model", "inputs", "params", "manifest"):
        t.add_argument(name)
    t.add_argument("steps", nargs="+")
    t.add_argument("--seeds", type=int, nargs="+", required=True)
    t.add_argument("--outputs", nargs="+", required=True)
    t.add_argument("--eps", type=float, required=True)
    t.add_argument("--lr", type=float, required=True)
    t.add_argument("--method", required=True, choices=["zo-sgd-mmt", "zo-adam"])
    t.add_argument("--weight-decay", type=float, default=0.0)
    t.add_argument("--momentum", type=float, default=0.9)
    t.add_argument("--beta1", type=float, default=0.9)
    t.add_argument("--beta2", type=float, default=0.999)
    t.add_argument("--adam-eps", type=float, default=1e-8)
    k = sub.add_parser("blocks")
    for name in ("model", "inputs", "params", "manifest", "results", "updated"):
        k.add_argument(name)
    k.add_argument("--seed", type=int, required=True)
    k.add_argument("--eps", type=float, required=True)
    k.add_argument("--lr", type=float, required=True)
    k.add_argument("--blocks", required=True,
                   choices=["layer", "module", "linear", "tensor"])
    k.add_argument("--block-update", default="coordinate",
                   choices=["coordinate", "simultaneous"])
    m = sub.add_parser("same")
    m.add_argument("params")
    m.add_argument("updated")
    a = p.parse_args()
    if a.cmd == "step-inputs":
        data = dict(np.load(a.inputs))
        data["seed"] = np.array(a.seed, dtype=np.int64)
        data["lr"] = np.array(a.lr, dtype=np.float32)
        data["step"] = np.array(a.step, dtype=np.int64)
        np.savez(a.out, **data)
        return 0
    errors = {"check": check, "trajectory": trajectory, "blocks": blocks,
              "same": same}[a.cmd](a)
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
