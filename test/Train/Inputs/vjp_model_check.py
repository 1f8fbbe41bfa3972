#!/usr/bin/env python3
"""Full-model gradients of zo-test-vjp against torch autograd.

usage:
  vjp_model_check.py inputs MODEL.inputs.npz TORCH.npz OUT.npz
      The inputs of @forward_vjp: the model's inputs, the loss cotangent 1
      and a zero logits cotangent (shape and type from TORCH.npz's logits),
      so the gradients are d loss / d parameter.
  vjp_model_check.py check TORCH.npz RESULTS.npz
      Every `grad:<name>` of TORCH.npz (torch autograd on the exported
      model, test/models/README.md) must be in RESULTS.npz and match within
      1e-4 relative: max |ours - torch| <= 1e-4 max |torch| per parameter,
      with 1e-6 of the largest gradient entry of the model as an absolute
      floor, for parameters whose gradient is (mathematically) zero, such as
      attention key biases (softmax is shift-invariant), where both sides
      are float32 rounding noise;
      every `grad:` we return must have a torch reference; the loss must
      match torch's within 1e-5 relative.
Exit 0 on success; one line per mismatch and exit 1 otherwise.
"""
import sys

import numpy as np


def inputs(model_inputs, torch_path, out):
    feed = dict(np.load(model_inputs))
    logits = np.load(torch_path)["logits"]
    feed["cotangent:loss"] = np.array(1.0, np.float32)
    feed["cotangent:logits"] = np.zeros(logits.shape, np.float32)
    np.savez(out, **feed)
    return 0


def check(torch_path, results_path):
    torch = dict(np.load(torch_path))
    ours = dict(np.load(results_path))
    refs = {k: v.astype(np.float64) for k, v in torch.items()
            if k.startswith("grad:")}
    floor = 1e-6 * max(np.abs(g).max() for g in refs.values())
    errors, worst, worst_name = [], 0.0, ""
    zero_like, worst_abs = 0, 0.0
    for key, ref in sorted(refs.items()):
        if key not in ours:
            errors.append(f"{key}: no gradient computed")
            continue
        got = ours[key].astype(np.float64)
        if got.shape != ref.shape:
            errors.append(f"{key}: shape {got.shape}, torch {ref.shape}")
            continue
        err = np.abs(got - ref).max()
        scale = np.abs(ref).max()
        if scale <= 100 * floor:  # a (mathematically) zero gradient
            zero_like += 1
            worst_abs = max(worst_abs, err)
        elif err / scale > worst:
            worst, worst_name = err / scale, key
        if not err <= 1e-4 * scale + floor:
            errors.append(f"{key}: max abs error {err:.3g}, max |torch| "
                          f"{scale:.3g}")
    extra = [k for k in ours if k.startswith("grad:") and k not in refs]
    for k in extra:
        errors.append(f"{k}: computed but torch has no reference")
    print(f"gradients: {len(refs)} parameters, worst relative error "
          f"{worst:.2g} ({worst_name}); {zero_like} with a gradient within "
          f"100x the floor (e.g. attention key biases, whose gradient is 0), "
          f"worst abs error {worst_abs:.2g} (floor {floor:.2g})")
    loss, ref_loss = float(ours["loss"]), float(torch["loss"])
    print(f"loss ours {loss:.7g} torch {ref_loss:.7g}")
    if not np.isclose(loss, ref_loss, rtol=1e-5, atol=0):
        errors.append(f"loss {loss} vs torch {ref_loss}")
    for e in errors:
        print("MISMATCH " + e)
    return 1 if errors else 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "inputs":
        return inputs(*sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        return check(*sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
