#!/usr/bin/env python3
"""Build a random-init GPT-2-small-sized model with the (loss, logits) wrapper
and export it to ONNX for benchmarks (not committed: ~650 MB).

    python3 bench/models/make_gpt2_small.py --out /tmp/gpt2-small.onnx [--batch 1 --seq 128]

Writes:
  <out>                 the model, static shapes [batch, seq], opset 17, TorchScript
                        exporter (dynamo=False), do_constant_folding=True -- the same
                        export as test/models/export_models.py
  <stem>.inputs.npz     input_ids / attention_mask / labels (int64)
  <stem>.ref.npz        onnxruntime (CPU) loss and logits, unless --no-ref

Size: GPT-2 small has ~124.4M parameters (n_embd 768, 12 layers, 12 heads,
vocab 50257, n_positions 1024).  The exporter's constant folding stores the
tied LM head a second time, transposed (768 x 50257, ~154 MB), as its own
initializer, so the file is ~650 MB.  That is below protobuf's 2 GB limit, so
everything is kept in one self-contained .onnx file (external_data=False, no
side files); onnx.load() reads it directly.

--n-layer/--n-embd/--n-head/--vocab override the size (e.g. for a quick smoke
test of the script itself).
"""

import argparse
import io
import os
import sys
import time
import warnings
import zipfile

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM, GPT2Config

SEED = 1234


class LossWrapper(torch.nn.Module):
    """(input_ids, attention_mask, labels) -> (loss, logits), HF's own loss."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, labels):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask,
                         labels=labels, use_cache=False, return_dict=True)
        return out.loss, out.logits


def save_npz(path, arrays):
    """np.savez, but with a fixed zip timestamp (reproducible bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for key in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[key], order="C"),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output .onnx path")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--n-layer", type=int, default=12)
    ap.add_argument("--n-embd", type=int, default=768)
    ap.add_argument("--n-head", type=int, default=12)
    ap.add_argument("--vocab", type=int, default=50257)
    ap.add_argument("--n-positions", type=int, default=1024)
    ap.add_argument("--pad", type=int, default=0,
                    help="mask out (attention_mask 0, label -100) the last N tokens "
                         "of the last sequence (default 0: no padding)")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--no-ref", action="store_true",
                    help="do not run onnxruntime to write <stem>.ref.npz")
    args = ap.parse_args()
    if args.seq > args.n_positions:
        ap.error("--seq must be <= --n-positions")

    torch.manual_seed(SEED)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    t0 = time.time()
    cfg = GPT2Config(vocab_size=args.vocab, n_embd=args.n_embd, n_layer=args.n_layer,
                     n_head=args.n_head, n_positions=args.n_positions,
                     bos_token_id=args.vocab - 1, eos_token_id=args.vocab - 1)
    model = AutoModelForCausalLM.from_config(cfg, attn_implementation="eager",
                                             dtype=torch.float32)
    # Same as the test models: HF init leaves biases at 0 / LayerNorm weights at
    # 1, and the exporter would merge equal-valued initializers.  Small noise
    # keeps every parameter a distinct initializer.
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.add_(0.02 * torch.randn(p.shape, generator=g, dtype=p.dtype))
    model.eval()
    wrapper = LossWrapper(model).eval()
    nparams = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, transformers {transformers.__version__}; "
          f"GPT-2 with {nparams / 1e6:.1f}M parameters")

    gi = torch.Generator().manual_seed(SEED)
    b, s = args.batch, args.seq
    ids = torch.randint(0, args.vocab - 1, (b, s), generator=gi, dtype=torch.int64)
    mask = torch.ones(b, s, dtype=torch.int64)
    labels = ids.clone()
    if args.pad:
        mask[-1, s - args.pad:] = 0
        labels[-1, s - args.pad:] = -100
    inputs = {"input_ids": ids, "attention_mask": mask, "labels": labels}

    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    stem = out[:-len(".onnx")] if out.endswith(".onnx") else out
    before = set(os.listdir(os.path.dirname(out)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(wrapper, (ids, mask, labels), out, dynamo=False,
                          opset_version=args.opset, do_constant_folding=True,
                          input_names=["input_ids", "attention_mask", "labels"],
                          output_names=["loss", "logits"], external_data=False)
    print(f"exported {out}: {os.path.getsize(out) / 2**20:.1f} MiB "
          f"in {time.time() - t0:.0f} s")
    stray = sorted(set(os.listdir(os.path.dirname(out))) - before - {os.path.basename(out)})
    if stray:
        print(f"warning: the exporter wrote external-data side files: {stray[:5]}")
    save_npz(stem + ".inputs.npz", {k: v.numpy() for k, v in inputs.items()})
    print(f"wrote {stem}.inputs.npz")

    if not args.no_ref:
        import onnxruntime as ort
        with torch.no_grad():
            t_loss, t_logits = wrapper(**inputs)
        t1 = time.time()
        sess = ort.InferenceSession(out, providers=["CPUExecutionProvider"])
        loss, logits = sess.run(["loss", "logits"], {k: v.numpy() for k, v in inputs.items()})
        dt = time.time() - t1
        err_l = abs(float(loss) - float(t_loss)) / abs(float(t_loss))
        err_g = float(np.abs(logits - t_logits.numpy()).max() / np.abs(t_logits.numpy()).max())
        save_npz(stem + ".ref.npz", {"loss": np.asarray(loss, np.float32),
                                     "logits": np.asarray(logits, np.float32)})
        print(f"wrote {stem}.ref.npz (ORT load+run {dt:.1f} s); loss torch={float(t_loss):.6f} "
              f"ort={float(loss):.6f}; rel err loss {err_l:.2e} logits {err_g:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
