#!/usr/bin/env python3
"""Time and memory of one compiled ZO-SGD step, against our compiled forward
and against a PyTorch eager MeZO step, on one thread.

    python3 bench/zo_step.py [--build build] [--models llama,opt,gpt2,gpt2-small]
                             [--tokens 128,1024] [--rounds 3] [--repeat 3]

For each model and tokens-per-step size, in the same run (one thread each:
OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)):

  ours forward  `zo-run fwd.mlir --entry forward`, where `zo-opt m.onnx
                --zo-train-pipeline="to=linalg step=zo-zeroth-order{eps=1e-3}"`
                made the module with both functions and `--symbol-privatize=
                exclude=forward --symbol-dce` kept @forward only (zo-run
                compiles every function of a module);
  ours step     `zo-run step.mlir --entry train_step`, the same module with
                @train_step only
                (two forwards at +-eps z, the update; noise regenerated,
                never stored; parameters updated in place);
  torch MeZO    the MeZO reference step on the same model in torch eager
                under torch.inference_mode(): torch.manual_seed(seed), then
                for each parameter in order p.add_(torch.normal(0, 1, p.shape),
                alpha=eps) (in place), loss+, the same with -2 eps (seed
                replayed), loss-, +eps again to restore, then the update
                sweep regenerating z: p.add_(z, alpha=-lr g). Four noise
                sweeps. (MeZO's own code builds `eps * z` and `p + ...` as new
                tensors; add_ with alpha is the cheaper form, i.e. a stronger
                baseline.)

Times are per step (or per forward) after warm-up calls; compilation is
excluded. Memory, measured differently on each side (both exclude the
parameters and the batch, which both sides hold before the step starts):

  ours   peak bytes allocated by the compiled code during the timed calls
         (zo-run --print-memory: the runtime's allocation counter);
  torch  peak resident set size during the timed steps minus the resident
         set size right before them (malloc_trim(0), then VmHWM after
         resetting it through /proc/self/clear_refs, minus VmRSS): all
         memory torch and its allocator touched beyond what was live before.

Models: the largest test models (test/models/<family>-dyn.onnx, specialized
with --dim batch=B --dim sequence=S; torch side rebuilt by
test/models/export_models.py with the same weights) and a GPT-2-small-sized
random model (bench/models/make_gpt2_small.py into bench/out/ on first use;
torch side: the same HF GPT-2 config and seed). Tokens per step:
128 = B x S, 1024 = B x S (test models: S = 64, B = tokens / 64, their
position tables have 64 rows; GPT-2 small: B = 1, S = tokens).

Prints one Markdown table row per (model, size, round) and a summary with
the median and spread of the ratios over the rounds.
"""
import argparse
import ctypes
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import cpu_name

ROOT = Path(__file__).resolve().parent.parent
EPS = 1e-3
LR = 1e-6
SEED = 1234567


def env1():
    return dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                MKL_NUM_THREADS="1")


# --------------------------------------------------------------------------
# Models and inputs
# --------------------------------------------------------------------------

def test_model_shape(tokens):
    seq = 64
    return max(1, tokens // seq), min(seq, tokens)


def gpt2_small_files(batch, seq):
    out = ROOT / "bench" / "out" / f"gpt2-small-b{batch}-s{seq}.onnx"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench/models/make_gpt2_small.py"),
                        "--out", str(out), "--batch", str(batch), "--seq", str(seq),
                        "--no-ref"], check=True)
    return out, out.parent / (out.stem + ".inputs.npz")


def prepare(model, tokens, tmp):
    """-> (onnx path, zo-opt import args, inputs dict, (B, S))."""
    if model == "gpt2-small":
        batch, seq = 1, tokens
        onnx_path, inputs_path = gpt2_small_files(batch, seq)
        return onnx_path, [], dict(np.load(inputs_path)), (batch, seq)
    batch, seq = test_model_shape(tokens)
    sys.path.insert(0, str(ROOT / "test" / "models"))
    import export_models
    inputs = {k: v.numpy() for k, v in
              export_models.make_inputs(model, batch, seq).items()}
    onnx_path = ROOT / "test" / "models" / f"{model}-dyn.onnx"
    return onnx_path, [f"--dim=batch={batch}", f"--dim=sequence={seq}"], \
        inputs, (batch, seq)


def param_stats(onnx_path):
    import onnx
    m = onnx.load(str(onnx_path), load_external_data=False)
    sizes = [int(np.prod(t.dims)) for t in m.graph.initializer
             if t.data_type == onnx.TensorProto.FLOAT]
    return sum(sizes), max(sizes)


# --------------------------------------------------------------------------
# Ours
# --------------------------------------------------------------------------

def compile_step(build, onnx_path, import_args, tmp, tag):
    """-> (forward-only module, train_step-only module, seconds). One zo-opt
    run makes @forward and @train_step; each timed module keeps one of them
    (zo-run JIT-compiles every function of a module, and the step's
    compilation is the slow one)."""
    start = time.perf_counter()
    both = tmp / f"{tag}.mlir"
    subprocess.run(["nice", str(build / "bin" / "zo-opt"), str(onnx_path), *import_args,
                    f"--zo-train-pipeline=to=linalg step=zo-zeroth-order{{eps={EPS}}}",
                    "-o", str(both)], check=True, env=env1())
    seconds = time.perf_counter() - start
    out = []
    for keep in ("forward", "train_step"):
        path = tmp / f"{tag}.{keep}.mlir"
        subprocess.run(["nice", str(build / "bin" / "zo-opt"), str(both),
                        f"--symbol-privatize=exclude={keep}", "--symbol-dce",
                        "-o", str(path)], check=True)
        out.append(path)
    return out[0], out[1], seconds


def write_params(onnx_path, out):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(str(onnx_path))
    np.savez(out, **{t.name: numpy_helper.to_array(t) for t in m.graph.initializer})


def run_ours(build, module, entry, inputs, params, repeat, warmup):
    """-> (wall ms, cpu ms, peak bytes) per call."""
    out = subprocess.run(
        [str(build / "bin" / "zo-run"), str(module),
         "--entry", entry, "--inputs", str(inputs), "--params", str(params),
         "--repeat", str(repeat), "--warmup", str(warmup), "--print-memory"],
        env=env1(), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"zo-run --entry {entry} failed:\n{out.stderr}")
    ms = float(re.search(r"time: ([0-9.]+) ms per call", out.stdout).group(1))
    cpu = re.search(r"cpu ([0-9.]+) ms per call", out.stdout)
    peak = int(re.search(r"peak_bytes=(\d+)", out.stdout).group(1))
    return ms, float(cpu.group(1)) if cpu else ms, peak


# --------------------------------------------------------------------------
# torch MeZO (runs in a child process: clean RSS accounting)
# --------------------------------------------------------------------------

def torch_model(model):
    import torch
    if model == "gpt2-small":
        from transformers import AutoModelForCausalLM, GPT2Config
        torch.manual_seed(1234)
        cfg = GPT2Config(vocab_size=50257, n_embd=768, n_layer=12, n_head=12,
                         n_positions=1024, bos_token_id=50256, eos_token_id=50256)
        m = AutoModelForCausalLM.from_config(cfg, attn_implementation="eager",
                                             dtype=torch.float32)
        return m.eval()
    sys.path.insert(0, str(ROOT / "test" / "models"))
    import export_models
    return export_models.build_model(model)


def rss_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def torch_worker(a):
    import torch
    torch.set_num_threads(1)
    model = torch_model(a.model)
    inputs = {k: torch.from_numpy(v) for k, v in np.load(a.inputs).items()
              if k in ("input_ids", "attention_mask", "labels")}
    params = [p for _, p in model.named_parameters()]
    kw = {"use_cache": False} if "use_cache" in model.forward.__code__.co_varnames else {}

    def loss():
        return float(model(**inputs, **kw).loss)

    def perturb(seed, scale):
        torch.manual_seed(seed)
        for p in params:
            z = torch.normal(0.0, 1.0, size=p.shape, dtype=p.dtype)
            p.add_(z, alpha=scale * EPS)

    def step(seed):
        perturb(seed, 1.0)
        lp = loss()
        perturb(seed, -2.0)
        lm = loss()
        perturb(seed, 1.0)
        g = (lp - lm) / (2 * EPS)
        torch.manual_seed(seed)
        for p in params:
            z = torch.normal(0.0, 1.0, size=p.shape, dtype=p.dtype)
            p.add_(z, alpha=-LR * g)
        return lp

    with torch.inference_mode():
        for i in range(a.warmup):
            step(SEED + i)
        fwd_start, fwd_cpu = time.perf_counter(), time.process_time()
        for _ in range(a.repeat):
            loss()
        fwd_ms = (time.perf_counter() - fwd_start) / a.repeat * 1e3
        fwd_cpu_ms = (time.process_time() - fwd_cpu) / a.repeat * 1e3
        # Give freed heap memory back first: memory kept by malloc from the
        # warm-up would be reused without raising the resident set.
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        base = rss_kib("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(a.repeat):
            step(SEED + 100 + i)
        ms = (time.perf_counter() - start) / a.repeat * 1e3
        cpu_ms = (time.process_time() - cpu) / a.repeat * 1e3
        peak = rss_kib("VmHWM")
    print(json.dumps({"step_ms": ms, "forward_ms": fwd_ms,
                      "step_cpu_ms": cpu_ms, "forward_cpu_ms": fwd_cpu_ms,
                      "peak_delta_bytes": (peak - base) * 1024,
                      "params": sum(p.numel() for p in params),
                      "torch": torch.__version__}))


def run_torch(model, inputs, repeat, warmup):
    out = subprocess.run(
        [sys.executable, __file__, "--torch-worker",
         "--model", model, "--inputs", str(inputs), "--repeat", str(repeat),
         "--warmup", str(warmup)],
        env=env1(), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"torch worker failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------

def mib(b):
    return f"{b / 2**20:.1f}"


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--models", default="llama,opt,gpt2,gpt2-small")
    p.add_argument("--tokens", default="128,1024")
    p.add_argument("--rounds", type=int, default=3,
                   help="repeat every measurement this many times (spread)")
    p.add_argument("--repeat", type=int, default=0,
                   help="timed calls per measurement (default: 3 for "
                        "gpt2-small, 50 for test models)")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--inputs", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.torch_worker:
        return torch_worker(a)

    build = Path(a.build).resolve()
    rows, ratios = [], {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for model in a.models.split(","):
            for tokens in [int(t) for t in a.tokens.split(",")]:
                repeat = a.repeat or (3 if model == "gpt2-small" else 50)
                onnx_path, import_args, inputs, (bs, sq) = prepare(model, tokens, tmp)
                nparams, largest = param_stats(onnx_path)
                tag = f"{model}-{bs}x{sq}"
                fwd_module, step_module, compile_s = compile_step(
                    build, onnx_path, import_args, tmp, tag)
                params_npz = tmp / f"{tag}.params.npz"
                write_params(onnx_path, params_npz)
                inputs_npz = tmp / f"{tag}.inputs.npz"
                np.savez(inputs_npz, **inputs, seed=np.array(SEED, np.int64),
                         lr=np.array(LR, np.float32), step=np.array(1, np.int64))
                for r in range(a.rounds):
                    fwd_ms, fwd_cpu, fwd_peak = run_ours(
                        build, fwd_module, "forward", inputs_npz, params_npz,
                        repeat, a.warmup)
                    step_ms, step_cpu, step_peak = run_ours(
                        build, step_module, "train_step", inputs_npz, params_npz,
                        repeat, a.warmup)
                    t = run_torch(model, inputs_npz, repeat, a.warmup)
                    key = (model, tokens)
                    ratios.setdefault(key, []).append(
                        (step_cpu / fwd_cpu, t["step_cpu_ms"] / step_cpu,
                         step_ms / fwd_ms, t["step_ms"] / step_ms,
                         step_peak - fwd_peak - 4 * largest,
                         step_peak - t["peak_delta_bytes"]))
                    rows.append(
                        f"| {model} {bs}x{sq} | {nparams / 1e6:.2f}M / {t['params'] / 1e6:.2f}M "
                        f"| {fwd_cpu:.1f} | {step_cpu:.1f} | {step_cpu / fwd_cpu:.2f}x "
                        f"| {t['forward_cpu_ms']:.1f} | {t['step_cpu_ms']:.1f} "
                        f"| {t['step_cpu_ms'] / step_cpu:.2f}x "
                        f"| {step_ms / fwd_ms:.2f}x | {t['step_ms'] / step_ms:.2f}x "
                        f"| {mib(fwd_peak)} | {mib(step_peak)} | {mib(4 * largest)} "
                        f"| {mib(t['peak_delta_bytes'])} |")
                    print(rows[-1], file=sys.stderr, flush=True)
                print(f"compiled {tag} in {compile_s:.1f} s", file=sys.stderr)
                torch_version = t["torch"]

    print(f"machine: {cpu_name()}, {os.cpu_count()} cores, one thread per run; "
          f"torch {torch_version}; eps {EPS}, lr {LR}; times are CPU ms per "
          f"call (wall-clock ratios in their own columns)\n")
    print("| model B x S | params (ONNX / torch) | our fwd | our step "
          "| step / fwd | torch fwd | torch MeZO step | torch / ours "
          "| step / fwd (wall) | torch / ours (wall) "
          "| our fwd peak MiB | our step peak MiB | largest param MiB "
          "| torch step peak RSS delta MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\nmedian (min-max) over rounds:\n")
    print("| model | tokens | step / fwd | torch / ours | step / fwd (wall) "
          "| torch / ours (wall) | step peak - (fwd peak + largest param) "
          "| step peak - torch RSS delta |")
    print("|---|---|---|---|---|---|---|---|")
    for (model, tokens), rs in ratios.items():
        def fmt(i):
            v = [x[i] for x in rs]
            return f"{statistics.median(v):.2f}x ({min(v):.2f}-{max(v):.2f})"
        def worst(i):
            return f"{max(x[i] for x in rs) / 2**20:+.2f} MiB"
        print(f"| {model} | {tokens} | {fmt(0)} | {fmt(1)} | {fmt(2)} | {fmt(3)} "
              f"| {worst(4)} | {worst(5)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
