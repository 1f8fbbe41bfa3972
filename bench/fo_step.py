#!/usr/bin/env python3
"""Time and memory of our first-order steps (SinkGD, AdamW, ...) against
each other and against a PyTorch eager AdamW step, on one thread.

    python3 bench/fo_step.py [--build build] [--models llama,opt,gpt2,gpt2-small]
                             [--tokens 128] [--methods adamw,sinkgd,swan,sgd]
                             [--rounds 1] [--repeat 0] [--baseline OTHER_BUILD]

For each model and tokens-per-step size, in the same run (one thread each:
OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)):

  ours <method>  `zo-run step.mlir --entry train_step`, the module from
                 `zo-opt m.onnx --zo-train-pipeline="to=linalg
                 step=zo-first-order{method=<method>}"` (one forward, the
                 backward sweep, each parameter updated where its gradient is
                 complete), @train_step kept alone;
  torch AdamW    `loss.backward(); opt.step(); opt.zero_grad()` with
                 torch.optim.AdamW (lr 1e-4, weight_decay 0, PyTorch's
                 default implementation) in eager mode on the same model.

Times are CPU ms per step after warm-up calls (compilation excluded).
--baseline OTHER_BUILD also times each method with OTHER_BUILD's zo-opt and
zo-run (e.g. the build of the previous commit) in the same round, right
before ours, and prints a second table: baseline and current CPU ms and
peak bytes per method and their ratio (current / baseline). On a machine
other jobs load, that ratio is the figure to quote.

Memory: ours = peak bytes the compiled step allocates (parameters and
optimizer state are the caller's: not counted there) plus the optimizer
state it keeps between steps (AdamW: two tensors per parameter; SinkGD /
SWAN: AdamW's only for the non-matrix parameters); torch = peak resident set
during the timed steps minus the resident set before them (gradients,
autograd's saved tensors and the AdamW state created at the warm-up step are
counted only if they grow), so that column is a floor for torch. Models and
inputs as in zo_step.py.
"""
import argparse
import ctypes
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import cpu_name
from zo_step import (ROOT, env1, mib, param_stats, prepare, rss_kib,
                     torch_model, write_params)

LR = 1e-4


def compile_method(build, onnx_path, import_args, tmp, tag, method):
    both = tmp / f"{tag}.{method}.mlir"
    subprocess.run(["nice", str(build / "bin" / "zo-opt"), str(onnx_path),
                    *import_args,
                    f"--zo-train-pipeline=to=linalg step=zo-first-order{{method={method}}}",
                    "-o", str(both)], check=True, env=env1())
    step = tmp / f"{tag}.{method}.step.mlir"
    subprocess.run(["nice", str(build / "bin" / "zo-opt"), str(both),
                    "--symbol-privatize=exclude=train_step", "--symbol-dce",
                    "-o", str(step)], check=True)
    return step


def run_step(build, module, inputs, params, repeat, warmup):
    """-> (cpu ms per step, peak bytes). State arguments (zero at the
    start) are bound by name from a zero-filled npz."""
    out = subprocess.run(
        [str(build / "bin" / "zo-run"), str(module), "--entry", "train_step",
         "--inputs", str(inputs), "--params", str(params),
         "--repeat", str(repeat), "--warmup", str(warmup), "--print-memory"],
        env=env1(), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"zo-run {module.name} failed:\n{out.stderr}")
    cpu = float(re.search(r"cpu ([0-9.]+) ms per call", out.stdout).group(1))
    peak = int(re.search(r"peak_bytes=(\d+)", out.stdout).group(1))
    return cpu, peak


STATE_ARG = re.compile(r'tensor<([0-9x]+)xf32> \{zo.name = "([^"]+)", '
                       r'zo.role = "state"\}')


def state_npz(module, params_npz, out):
    """Parameters plus zero-filled optimizer state (the step's `state`
    arguments, read from the module's text: no compilation); returns the
    state's bytes."""
    arrays = dict(np.load(params_npz))
    state = 0
    header = next(l for l in open(module) if "func.func @train_step(" in l)
    for shape, name in STATE_ARG.findall(header):
        arrays[name] = np.zeros([int(d) for d in shape.split("x")], np.float32)
        state += arrays[name].nbytes
    np.savez(out, **arrays)
    return state


def torch_worker(a):
    import torch
    torch.set_num_threads(1)
    model = torch_model(a.model).train()
    for m in model.modules():  # deterministic: no dropout
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    inputs = {k: torch.from_numpy(v) for k, v in np.load(a.inputs).items()
              if k in ("input_ids", "attention_mask", "labels")}
    kw = {"use_cache": False} if "use_cache" in model.forward.__code__.co_varnames else {}
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)

    def step():
        loss = model(**inputs, **kw).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    for _ in range(a.warmup):
        step()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = rss_kib("VmRSS")
    start = time.process_time()
    for _ in range(a.repeat):
        step()
    cpu_ms = (time.process_time() - start) / a.repeat * 1e3
    peak = rss_kib("VmHWM")
    print(json.dumps({"step_cpu_ms": cpu_ms,
                      "peak_delta_bytes": (peak - base) * 1024,
                      "torch": torch.__version__}))


def run_torch(model, inputs, repeat, warmup):
    out = subprocess.run(
        [sys.executable, __file__, "--torch-worker", "--model", model,
         "--inputs", str(inputs), "--repeat", str(repeat),
         "--warmup", str(warmup)],
        env=env1(), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"torch worker failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--models", default="llama,opt,gpt2,gpt2-small")
    p.add_argument("--tokens", default="128")
    p.add_argument("--methods", default="adamw,sinkgd,swan,sgd")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--repeat", type=int, default=0,
                   help="timed steps per measurement (default 3 for "
                        "gpt2-small, 30 for test models)")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--baseline", default="",
                   help="another build dir (with bin/zo-opt, bin/zo-run) "
                        "timed in the same rounds, for a current / baseline "
                        "ratio")
    p.add_argument("--no-torch", action="store_true",
                   help="skip the PyTorch side")
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--inputs", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.torch_worker:
        return torch_worker(a)

    build = Path(a.build).resolve()
    base = Path(a.baseline).resolve() if a.baseline else None
    methods = a.methods.split(",")
    rows, version = [], "?"
    base_rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for model in a.models.split(","):
            for tokens in [int(t) for t in a.tokens.split(",")]:
                repeat = a.repeat or (3 if model == "gpt2-small" else 30)
                onnx_path, import_args, inputs, (bs, sq) = prepare(model, tokens, tmp)
                nparams, _ = param_stats(onnx_path)
                tag = f"{model}-{bs}x{sq}"
                params_npz = tmp / f"{tag}.params.npz"
                write_params(onnx_path, params_npz)
                inputs_npz = tmp / f"{tag}.inputs.npz"
                np.savez(inputs_npz, **inputs, lr=np.array(LR, np.float32),
                         step=np.array(1, np.int64))
                modules, state, base_modules = {}, {}, {}
                for m in methods:
                    modules[m] = compile_method(build, onnx_path, import_args,
                                                tmp, tag, m)
                    state[m] = state_npz(modules[m], params_npz,
                                         tmp / f"{tag}.{m}.state.npz")
                    if base:
                        base_modules[m] = compile_method(
                            base, onnx_path, import_args, tmp,
                            tag + ".base", m)
                for r in range(a.rounds):
                    ours = {}
                    for m in methods:
                        if base:
                            old = run_step(base, base_modules[m], inputs_npz,
                                           tmp / f"{tag}.{m}.state.npz",
                                           repeat, a.warmup)
                        ours[m] = run_step(build, modules[m], inputs_npz,
                                           tmp / f"{tag}.{m}.state.npz",
                                           repeat, a.warmup)
                        if base:
                            base_rows.append(
                                f"| {model} {bs}x{sq} | {m} | {old[0]:.1f} "
                                f"| {ours[m][0]:.1f} "
                                f"| {ours[m][0] / old[0]:.3f}x "
                                f"| {mib(old[1])} | {mib(ours[m][1])} |")
                            print(base_rows[-1], file=sys.stderr, flush=True)
                    if a.no_torch:
                        t = {"step_cpu_ms": float("nan"),
                             "peak_delta_bytes": 0, "torch": "not run"}
                    else:
                        t = run_torch(model, inputs_npz, repeat, a.warmup)
                    version = t["torch"]
                    cells = " | ".join(f"{ours[m][0]:.1f}" for m in methods)
                    ratios = " | ".join(
                        f"{t['step_cpu_ms'] / ours[m][0]:.2f}x" for m in methods)
                    peaks = " | ".join(f"{mib(ours[m][1])} + {mib(state[m])}"
                                       for m in methods)
                    rel = ""
                    if "adamw" in ours and "sinkgd" in ours:
                        rel = (f" | {ours['sinkgd'][0] / ours['adamw'][0]:.2f}x "
                               f"| {mib(ours['sinkgd'][1])} / {mib(ours['adamw'][1])}")
                    rows.append(f"| {model} {bs}x{sq} | {nparams / 1e6:.2f}M | {cells} "
                                f"| {t['step_cpu_ms']:.1f} | {ratios} | {peaks} "
                                f"| {mib(t['peak_delta_bytes'])}{rel} |")
                    print(rows[-1], file=sys.stderr, flush=True)

    print(f"machine: {cpu_name()}, one thread per run; torch {version}; "
          f"CPU ms per step; memory in MiB (ours: allocations of the compiled "
          f"step + optimizer state held between steps; torch: RSS growth "
          f"during the timed steps)\n")
    mcols = " | ".join(f"ours {m}" for m in methods)
    rcols = " | ".join(f"torch AdamW / ours {m}" for m in methods)
    pcols = " | ".join(f"ours {m} peak + state" for m in methods)
    extra = " | SinkGD / AdamW (ours) | peak SinkGD / AdamW" if (
        "adamw" in methods and "sinkgd" in methods) else ""
    print(f"| model B x S | params | {mcols} | torch AdamW | {rcols} | {pcols} "
          f"| torch peak RSS delta{extra} |")
    ncols = 4 + 3 * len(methods) + (2 if extra else 0)
    print("|" + "---|" * ncols)
    print("\n".join(rows))
    if base:
        print(f"\nbaseline {base} vs current {build} (same rounds, each "
              f"baseline run right before the current one):\n")
        print("| model B x S | method | baseline CPU ms | current CPU ms "
              "| current / baseline | baseline peak MiB | current peak MiB |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(base_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
