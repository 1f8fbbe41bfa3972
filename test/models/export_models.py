#!/usr/bin/env python3
"""Export the tiny ONNX test models (transformer graph + HF loss) for zo-opt.

For each family this writes, into --out (default: this script's folder):

  <family>.onnx          static shapes B=2, S=8, opset 17 (TorchScript exporter)
  <family>-dyn.onnx      same model, dynamic axes 'batch'/'sequence'
  <family>.inputs.npz    the test inputs (keys = ONNX input names)
  <family>.ref.npz       onnxruntime (CPU EP) outputs of <family>.onnx: loss, logits
  <family>.torch.npz     torch outputs (loss, logits) and the gradient of the loss
                         w.r.t. every parameter, key "grad:<name>" (see below)
  bert-opset14.onnx      bert at opset 14 (LayerNormalization decomposed)

Gradient naming in <family>.torch.npz: "grad:<ONNX initializer name>" when the
torch parameter appears in <family>.onnx as an initializer -- either under its
own name or, after the exporter's constant folding, as its transpose (e.g. a
nn.Linear weight becomes "onnx::MatMul_123" = W^T; the stored gradient is then
transposed too, so it always has the initializer's shape). A parameter that
does not map to any initializer is stored as "grad:<torch parameter name>".
Tied weights (gpt2/opt wte == lm_head) are exported by TorchScript as two
initializers (the embedding for Gather, its transpose for the LM-head MatMul);
the gradients are computed on an untied copy of the model so that each
initializer gets exactly its own gradient (the tied torch gradient is the sum).

Usage:  python3 export_models.py [--out DIR] [--families bert,gpt2,...]

Everything is float32 and deterministic (fixed seeds, single-threaded torch and
onnxruntime, zip entries written with a fixed timestamp).
"""

import argparse
import copy
import io
import os
import sys
import warnings
import zipfile

import numpy as np
import onnx
import onnxruntime as ort
import torch
import transformers
from transformers import (
    AutoModelForCausalLM,
    AutoModelForSequenceClassification,
    BertConfig,
    GPT2Config,
    LlamaConfig,
    MistralConfig,
    OPTConfig,
    RobertaConfig,
)

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_NAMES = ["input_ids", "attention_mask", "labels"]
OUTPUT_NAMES = ["loss", "logits"]
B, S = 2, 8
SEED = 1234

# Tiny sizes shared by every family.
H, L, NH, FF, V, P = 32, 2, 4, 64, 128, 64


# --------------------------------------------------------------------------
# Model construction
# --------------------------------------------------------------------------

def _cfg_bert():
    return BertConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                      num_attention_heads=NH, intermediate_size=FF,
                      max_position_embeddings=P, num_labels=2)


def _cfg_roberta():
    # RoBERTa position ids start at pad_token_id+1 (=2), so the table needs
    # P + 2 rows for P usable positions (like roberta-base's 514 = 512 + 2).
    return RobertaConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                         num_attention_heads=NH, intermediate_size=FF,
                         max_position_embeddings=P + 2, num_labels=2)


def _cfg_gpt2():
    # Default bos/eos (50256) are outside the tiny vocab; use the last id.
    return GPT2Config(vocab_size=V, n_embd=H, n_layer=L, n_head=NH, n_inner=FF,
                      n_positions=P, bos_token_id=V - 1, eos_token_id=V - 1)


def _cfg_opt():
    # OPT adds an offset of 2 to positions internally (table has P + 2 rows).
    return OPTConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                     num_attention_heads=NH, ffn_dim=FF, word_embed_proj_dim=H,
                     max_position_embeddings=P)


def _cfg_llama():
    return LlamaConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                       num_attention_heads=NH, num_key_value_heads=NH,
                       head_dim=H // NH, intermediate_size=FF,
                       max_position_embeddings=P)


def _cfg_mistral():
    # GQA: 2 key/value heads shared by 4 query heads.  sliding_window stays at
    # the default 4096 (> any sequence here, so it never masks anything).
    return MistralConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                         num_attention_heads=NH, num_key_value_heads=NH // 2,
                         head_dim=H // NH, intermediate_size=FF,
                         max_position_embeddings=P)


# family -> (config factory, kind, pad id used at padded input positions)
FAMILIES = {
    "bert": (_cfg_bert, "cls", 0),
    "roberta": (_cfg_roberta, "cls", 1),
    "gpt2": (_cfg_gpt2, "lm", 0),
    "opt": (_cfg_opt, "lm", 1),
    "llama": (_cfg_llama, "lm", 0),
    "mistral": (_cfg_mistral, "lm", 0),
}


def build_model(family):
    make_cfg, kind, _ = FAMILIES[family]
    torch.manual_seed(SEED)
    cfg = make_cfg()
    auto = AutoModelForSequenceClassification if kind == "cls" else AutoModelForCausalLM
    model = auto.from_config(cfg, attn_implementation="eager",
                             dtype=torch.float32)
    # HF init leaves biases at 0 and norm weights at 1.  The TorchScript
    # exporter deduplicates initializers with equal values, which would merge
    # all those parameters into a single shared initializer (bad for autodiff
    # tests, and zero biases hide bugs).  Add small noise so every parameter is
    # distinct and non-trivial.
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for _, p in model.named_parameters():  # tied weights are listed once
            p.add_(0.02 * torch.randn(p.shape, generator=g, dtype=p.dtype))
    model.eval()
    return model


class LossWrapper(torch.nn.Module):
    """(input_ids, attention_mask, labels) -> (loss, logits), HF's own loss."""

    def __init__(self, model, kind):
        super().__init__()
        self.model = model
        self.kind = kind

    def forward(self, input_ids, attention_mask, labels):
        kw = {} if self.kind == "cls" else {"use_cache": False}
        out = self.model(input_ids=input_ids, attention_mask=attention_mask,
                         labels=labels, return_dict=True, **kw)
        return out.loss, out.logits


def make_inputs(family, b=B, s=S, seed=SEED):
    """Random tokens; the last sequence is right-padded (mask 0, pad token)."""
    _, kind, pad = FAMILIES[family]
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, V - 1, (b, s), generator=g, dtype=torch.int64)
    mask = torch.ones(b, s, dtype=torch.int64)
    npad = min(3, s - 1)
    if b > 1:
        mask[-1, s - npad:] = 0
        ids[-1, s - npad:] = pad
    if kind == "cls":
        labels = torch.arange(b, dtype=torch.int64) % 2
        labels = labels[torch.randperm(b, generator=g)]
    else:
        labels = ids.clone()
        labels[mask == 0] = -100          # no loss on padding
        labels[0, min(2, s - 1)] = -100   # and one ignored real token
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------

def export(wrapper, inputs, path, opset=17, dynamic=False):
    kind = wrapper.kind
    dyn = None
    if dynamic:
        bs = {0: "batch", 1: "sequence"}
        dyn = {"input_ids": bs, "attention_mask": bs,
               "labels": {0: "batch"} if kind == "cls" else bs,
               "logits": {0: "batch"} if kind == "cls" else bs}
    args = tuple(inputs[n] for n in INPUT_NAMES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TracerWarnings / deprecation noise
        # dynamo=False: the (legacy) TorchScript exporter.  With torch 2.15 /
        # transformers 5.23 it exports all six families as they are (no
        # config flags or mask patches needed).  It traces the
        # Python code at the example shapes; see check_dynamic() for the
        # verification that the dynamic export really generalises.
        torch.onnx.export(wrapper, args, path, dynamo=False,
                          opset_version=opset, do_constant_folding=True,
                          input_names=INPUT_NAMES, output_names=OUTPUT_NAMES,
                          dynamic_axes=dyn, external_data=False)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    # Make the file byte-for-byte reproducible and self-describing.
    m.producer_name = "zo-opt test/models/export_models.py"
    m.producer_version = f"torch {torch.__version__} transformers {transformers.__version__}"
    onnx.save(m, path)
    return m


def ort_session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run_ort(path, inputs):
    sess = ort_session(path)
    feeds = {k: v.numpy() if torch.is_tensor(v) else v for k, v in inputs.items()}
    loss, logits = sess.run(OUTPUT_NAMES, feeds)
    return np.asarray(loss, np.float32), np.asarray(logits, np.float32)


def rel_err(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


# --------------------------------------------------------------------------
# Gradients
# --------------------------------------------------------------------------

def untied_copy(model):
    """Deep copy in which parameters shared by several modules are separate."""
    m = copy.deepcopy(model)
    seen = {}
    for mod_name, mod in m.named_modules():
        for pname, p in list(mod.named_parameters(recurse=False)):
            if id(p) in seen:
                setattr(mod, pname, torch.nn.Parameter(p.detach().clone()))
            else:
                seen[id(p)] = (mod_name, pname)
    return m


def torch_grads(wrapper, inputs):
    w = LossWrapper(untied_copy(wrapper.model), wrapper.kind)
    w.zero_grad()
    loss, logits = w(**inputs)
    loss.backward()
    grads = {}
    for name, p in w.named_parameters(remove_duplicate=False):
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        grads[name] = (p.detach().numpy().astype(np.float32),
                       g.detach().numpy().astype(np.float32))
    return loss.detach().numpy(), logits.detach().numpy(), grads


def map_grads_to_initializers(model_proto, grads):
    """Return ({key: grad array}, stats) with keys named as described above."""
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in model_proto.graph.initializer}
    by_shape = {}
    for n, a in inits.items():
        by_shape.setdefault(a.shape, []).append(n)
    out, used = {}, set()
    stats = {"by_name": 0, "by_value": 0, "transposed": 0, "unmapped": []}
    for tname, (val, grad) in grads.items():
        if tname in inits and tname not in used and np.array_equal(inits[tname], val):
            out["grad:" + tname] = grad
            used.add(tname)
            stats["by_name"] += 1
            continue
        hit = None
        for cand, transform in ((val, False), (val.T if val.ndim == 2 else None, True)):
            if cand is None:
                continue
            names = [n for n in by_shape.get(cand.shape, [])
                     if n not in used and np.array_equal(inits[n], cand)]
            if len(names) == 1:
                hit = (names[0], transform)
                break
        if hit is not None:
            n, transposed = hit
            out["grad:" + n] = grad.T.copy() if transposed else grad
            used.add(n)
            stats["by_value"] += 1
            stats["transposed"] += int(transposed)
        else:
            out["grad:" + tname] = grad
            stats["unmapped"].append(tname)
    stats["initializers_without_grad"] = sorted(set(inits) - used)
    return out, stats


# --------------------------------------------------------------------------
# Deterministic npz writer (np.savez stamps the current time into the zip)
# --------------------------------------------------------------------------

def save_npz(path, arrays, compress=False):
    comp = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=comp) as zf:
        for key in sorted(arrays):
            arr = np.asarray(arrays[key], order="C")  # (ascontiguousarray makes 0-d 1-d)
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = comp
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


# --------------------------------------------------------------------------
# Op summary (used for README.md)
# --------------------------------------------------------------------------

INTERESTING_ATTRS = {
    "SoftmaxCrossEntropyLoss", "Trilu", "CumSum", "Gemm", "Softmax",
    "LayerNormalization", "Pad", "Split", "GatherElements", "Gather",
    "ReduceMean", "Flatten", "Concat", "Transpose", "Cast", "Unsqueeze",
    "Squeeze", "Range", "Expand", "ConstantOfShape", "Einsum", "Slice", "Where",
}


def _attr_str(a):
    v = onnx.helper.get_attribute_value(a)
    if isinstance(v, onnx.TensorProto):
        arr = onnx.numpy_helper.to_array(v)
        if arr.size > 4:
            return f"{a.name}=<tensor {onnx.TensorProto.DataType.Name(v.data_type)} {list(arr.shape)}>"
        return f"{a.name}=<tensor {onnx.TensorProto.DataType.Name(v.data_type)} {arr.tolist()}>"
    if isinstance(v, bytes):
        v = v.decode()
    if a.name == "to":
        v = onnx.TensorProto.DataType.Name(v)
    return f"{a.name}={v}"


def op_summary(path):
    m = onnx.load(path)
    opsets = {o.domain or "ai.onnx": o.version for o in m.opset_import}
    inf = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    etype = {}
    for vi in list(inf.graph.input) + list(inf.graph.value_info) + list(inf.graph.output):
        etype[vi.name] = vi.type.tensor_type.elem_type
    for i in inf.graph.initializer:
        etype[i.name] = i.data_type
    for n in inf.graph.node:
        if n.op_type == "Constant":
            etype[n.output[0]] = n.attribute[0].t.data_type
    tname = lambda x: onnx.TensorProto.DataType.Name(etype[x]) if x in etype else "?"
    counts, attrs, types = {}, {}, {}
    for n in m.graph.node:
        key = (n.domain or "ai.onnx", n.op_type)
        counts[key] = counts.get(key, 0) + 1
        if n.op_type in INTERESTING_ATTRS or (n.attribute and n.op_type != "Constant"):
            s = ", ".join(_attr_str(a) for a in n.attribute) or "(none)"
            attrs.setdefault(n.op_type, set()).add(s)
        if n.op_type != "Constant":
            sig = "(" + ",".join(tname(x) if x else "-" for x in n.input) + ")->" + \
                  ",".join(tname(x) for x in n.output)
            types.setdefault(n.op_type, set()).add(sig)
    return opsets, counts, attrs, types, len(m.graph.node), len(m.graph.initializer)


def _short(path):
    return os.path.basename(path)[:-len(".onnx")]


def print_op_summary(paths, show_types=False):
    """Markdown: per-model header, an op x model count matrix, the attribute
    values seen for each op and (show_types) the element-type signatures."""
    info = {_short(p): op_summary(p) for p in paths}
    names = list(info)
    print("| model | nodes | initializers | opset | bytes |")
    print("|---|---|---|---|---|")
    for p in paths:
        opsets, _, _, _, nn, ni = info[_short(p)]
        ops = ", ".join(f"{d} {v}" for d, v in opsets.items())
        print(f"| {_short(p)} | {nn} | {ni} | {ops} | {os.path.getsize(p)} |")
    print()
    all_ops = sorted({k for v in info.values() for k in v[1]}, key=lambda k: (k[1], k[0]))
    print("| op | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in all_ops:
        d, op = key
        label = op if d == "ai.onnx" else f"{d}::{op}"
        print(f"| {label} | " + " | ".join(str(info[n][1].get(key, "")) for n in names) + " |")
    print()
    print("Attribute values (and the models they occur in; 'all' = every model above that has the op):")
    print()
    for _, op in all_ops:
        seen = {}
        for n in names:
            for a in info[n][2].get(op, ()):
                seen.setdefault(a, []).append(n)
        if not seen:
            continue
        have = [n for n in names if any(k[1] == op for k in info[n][1])]
        for a in sorted(seen):
            where = "all" if seen[a] == have else ", ".join(seen[a])
            print(f"- `{op}`: `{a}` -- {where}")
    if show_types:
        print()
        print("Element types (inputs)->outputs, union over the models:")
        print()
        for _, op in all_ops:
            sigs = set()
            for n in names:
                sigs |= info[n][3].get(op, set())
            if sigs:
                print(f"- `{op}`: " + "; ".join(f"`{x}`" for x in sorted(sigs)))


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def check_dynamic(family, wrapper, dyn_path, ref):
    """The dynamic model must match the static one at (B, S) and torch at
    other shapes (the tracer could otherwise have baked shapes in)."""
    errs = []
    inp = make_inputs(family)
    loss, logits = run_ort(dyn_path, inp)
    errs.append(("B=%d,S=%d vs static ort" % (B, S), rel_err(loss, ref[0]), rel_err(logits, ref[1])))
    for (b, s) in [(3, 5), (1, 13), (4, 16)]:
        inp = make_inputs(family, b, s, seed=SEED + b * 100 + s)
        with torch.no_grad():
            tl, tg = wrapper(**inp)
        loss, logits = run_ort(dyn_path, inp)
        if logits.shape != tuple(tg.shape):
            errs.append((f"B={b},S={s}", float("inf"), float("inf")))
            continue
        errs.append((f"B={b},S={s} vs torch", rel_err(loss, tl.numpy()), rel_err(logits, tg.numpy())))
    return errs


def fd_check_grads(model_proto, inputs, gmap, eps=3e-2):
    """Finite-difference check of the stored gradients against onnxruntime on
    the exported model: for every initializer W with a stored gradient g,
    perturb W along a unit direction d (mostly along g) and compare the
    central difference of the ORT loss with <g, d>.  float32 ORT limits the
    accuracy to ~1e-2 relative; a wrong name or transpose mapping shows up as
    O(1) errors.  Returns the worst relative error."""
    feeds = {k: v.numpy() for k, v in inputs.items()}
    index = {init.name: k for k, init in enumerate(model_proto.graph.initializer)}
    rng = np.random.default_rng(SEED)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    gnorm = np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in gmap.values()))
    worst = (0.0, None)
    for key in sorted(gmap):
        name = key[len("grad:"):]
        if name not in index:
            continue
        g = gmap[key].astype(np.float64)
        w = onnx.numpy_helper.to_array(model_proto.graph.initializer[index[name]]).astype(np.float64)
        d = g + 0.3 * np.abs(g).max() * rng.standard_normal(w.shape)
        d /= np.linalg.norm(d)
        vals = []
        for sign in (1.0, -1.0):
            mm = onnx.ModelProto()
            mm.CopyFrom(model_proto)
            mm.graph.initializer[index[name]].CopyFrom(
                onnx.numpy_helper.from_array((w + sign * eps * d).astype(np.float32), name))
            sess = ort.InferenceSession(mm.SerializeToString(), so,
                                        providers=["CPUExecutionProvider"])
            vals.append(float(sess.run(["loss"], feeds)[0]))
        fd = (vals[0] - vals[1]) / (2 * eps)
        an = float((g * d).sum())
        err = abs(fd - an) / max(abs(an), 1e-2 * gnorm)
        if err > worst[0]:
            worst = (err, name)
    return worst


def do_family(family, out_dir, tol, fd_check=False):
    _, kind, _ = FAMILIES[family]
    model = build_model(family)
    wrapper = LossWrapper(model, kind).eval()
    inputs = make_inputs(family)
    nparams = sum(p.numel() for p in model.parameters())

    static_path = os.path.join(out_dir, f"{family}.onnx")
    dyn_path = os.path.join(out_dir, f"{family}-dyn.onnx")
    mp = export(wrapper, inputs, static_path)
    export(wrapper, inputs, dyn_path, dynamic=True)
    extra = []
    if family == "bert":
        p14 = os.path.join(out_dir, "bert-opset14.onnx")
        export(wrapper, inputs, p14, opset=14)
        extra.append(p14)

    ort_loss, ort_logits = run_ort(static_path, inputs)
    t_loss, t_logits, grads = torch_grads(wrapper, inputs)
    with torch.no_grad():  # sanity: the untied copy computes the same thing
        l2, g2 = wrapper(**inputs)
    assert np.array_equal(l2.numpy(), t_loss) and np.array_equal(g2.numpy(), t_logits)

    gmap, gstats = map_grads_to_initializers(mp, grads)

    np_inputs = {k: v.numpy() for k, v in inputs.items()}
    save_npz(os.path.join(out_dir, f"{family}.inputs.npz"), np_inputs)
    save_npz(os.path.join(out_dir, f"{family}.ref.npz"),
             {"loss": ort_loss.astype(np.float32), "logits": ort_logits.astype(np.float32)})
    tor = {"loss": np.asarray(t_loss, np.float32), "logits": t_logits.astype(np.float32)}
    tor.update({k: v.astype(np.float32) for k, v in gmap.items()})
    save_npz(os.path.join(out_dir, f"{family}.torch.npz"), tor, compress=True)

    ok = True
    el, eg = rel_err(ort_loss, t_loss), rel_err(ort_logits, t_logits)
    print(f"[{family}] params={nparams} loss torch={float(t_loss):.6f} ort={float(ort_loss):.6f} "
          f"rel_err loss={el:.2e} logits={eg:.2e}")
    ok &= el < tol and eg < tol
    for p in extra:
        l, g = run_ort(p, inputs)
        e1, e2 = rel_err(l, t_loss), rel_err(g, t_logits)
        print(f"[{family}] {os.path.basename(p)}: rel_err loss={e1:.2e} logits={e2:.2e}")
        ok &= e1 < tol and e2 < tol
    for name, e1, e2 in check_dynamic(family, wrapper, dyn_path, (ort_loss, ort_logits)):
        print(f"[{family}] -dyn {name}: rel_err loss={e1:.2e} logits={e2:.2e}")
        ok &= e1 < tol and e2 < tol
    print(f"[{family}] grads: {len(gmap)} stored; mapped by name={gstats['by_name']} "
          f"by value={gstats['by_value']} (transposed {gstats['transposed']}); "
          f"unmapped torch params={gstats['unmapped']}; "
          f"initializers without grad={gstats['initializers_without_grad']}")
    if fd_check:
        err, name = fd_check_grads(mp, inputs, gmap)
        print(f"[{family}] finite-difference check of stored grads vs ORT: "
              f"worst rel err {err:.2e} ({name})")
        ok &= err < 0.1
    for p in [static_path, dyn_path] + extra:
        sz = os.path.getsize(p)
        print(f"[{family}] {os.path.basename(p)}: {sz} bytes")
        ok &= sz < 1 << 20
    return ok, [static_path, dyn_path] + extra


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=HERE, help="output folder (default: %(default)s)")
    ap.add_argument("--families", default=",".join(FAMILIES),
                    help="comma-separated subset of: %(default)s")
    ap.add_argument("--tol", type=float, default=1e-4,
                    help="max relative error torch vs onnxruntime (default %(default)g)")
    ap.add_argument("--ops", action="store_true",
                    help="also print the op summary (for README.md)")
    ap.add_argument("--types", action="store_true",
                    help="with --ops: also print the input/output element types per op")
    ap.add_argument("--fd-check", action="store_true",
                    help="also check the stored gradients by finite differences "
                         "through onnxruntime (a few seconds per family)")
    args = ap.parse_args()

    fams = [f.strip() for f in args.families.split(",") if f.strip()]
    bad = [f for f in fams if f not in FAMILIES]
    if bad:
        ap.error(f"unknown families {bad}; choose from {list(FAMILIES)}")
    os.makedirs(args.out, exist_ok=True)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"onnx {onnx.__version__}, onnxruntime {ort.__version__}, numpy {np.__version__}")

    all_ok, paths = True, []
    for f in fams:
        ok, ps = do_family(f, args.out, args.tol, args.fd_check)
        all_ok &= ok
        paths += ps
    if args.ops:
        print()
        print_op_summary(paths, args.types)
    if not all_ok:
        print("SOME CHECKS FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
