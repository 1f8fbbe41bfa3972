#!/usr/bin/env python3
"""Makes a bf16 copy of a test model (test/models/<family>.onnx).

usage: bf16_model.py IN.onnx OUT.onnx [--params OUT_PARAMS.npz]

What a bf16 export of the model looks like (torch `model.to(torch.bfloat16)`
then torch.onnx.export): every float initializer, float Constant /
ConstantOfShape value and Cast-to-float becomes bf16, so the graph computes
in bf16, with the loss computed in f32 from the logits cast to f32 (as mixed
precision training does) and `logits` returned as f32.

f32 -> bf16 is round to nearest even, saturating to the largest finite bf16
(the attention masks' float32 minimum would otherwise become -inf: bf16
exports use torch.finfo(torch.bfloat16).min instead).

--params writes the bf16 parameters (every converted initializer) as the
uint16 bit patterns numpy can store (`<u2`), keyed by name, which is how
zo-run reads bf16 tensors.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

FLOAT, BF16 = TensorProto.FLOAT, TensorProto.BFLOAT16


def to_bf16_bits(x):
    """float32 array -> uint16 bf16 bit patterns (nearest even, saturating)."""
    x = np.asarray(x, dtype=np.float32)
    shape = x.shape
    x = x.reshape(-1)
    u = x.view(np.uint32).astype(np.uint64)
    nan = np.isnan(x)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    finite = np.isfinite(x)
    overflow = finite & ((rounded & 0x7F80) == 0x7F80)
    rounded[overflow] = np.where(x[overflow] < 0, 0xFF7F, 0x7F7F)
    rounded[nan] = 0x7FC0
    return rounded.reshape(shape)


def bf16_tensor(array, name):
    t = TensorProto()
    t.name = name
    t.data_type = BF16
    t.dims.extend(array.shape)
    t.raw_data = to_bf16_bits(array).tobytes()
    return t


def convert(model):
    g = model.graph
    params = {}
    for i, init in enumerate(g.initializer):
        if init.data_type != FLOAT:
            continue
        a = numpy_helper.to_array(init)
        g.initializer[i].CopyFrom(bf16_tensor(a, init.name))
        params[init.name] = to_bf16_bits(a)
    for node in g.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == FLOAT:
                attr.t.CopyFrom(bf16_tensor(numpy_helper.to_array(attr.t), attr.t.name))
            if node.op_type == "Cast" and attr.name == "to" and attr.i == FLOAT:
                attr.i = BF16
            if attr.type == onnx.AttributeProto.TENSORS:
                raise SystemExit(f"node {node.name}: tensor lists are not handled")
    del g.value_info[:]
    # The loss in f32 from f32 logits; `logits` returned as f32.
    losses = [n for n in g.node if n.op_type == "SoftmaxCrossEntropyLoss"]
    if len(losses) != 1:
        raise SystemExit("expected one SoftmaxCrossEntropyLoss")
    loss = losses[0]
    outputs = {o.name for o in g.output}
    scores = loss.input[0]
    if "logits" not in outputs:
        raise SystemExit("expected a graph output 'logits'")
    # `logits` becomes the f32 cast of the bf16 tensor that was the output.
    bf16_logits = "logits_bf16"
    for n in g.node:
        for k, name in enumerate(n.input):
            if name == "logits":
                n.input[k] = bf16_logits
        for k, name in enumerate(n.output):
            if name == "logits":
                n.output[k] = bf16_logits
    if scores == "logits":
        scores = bf16_logits
    pos = list(g.node).index(loss)
    g.node.insert(pos, onnx.helper.make_node(
        "Cast", [scores], ["loss_scores_f32"], to=FLOAT, name="CastLossScores"))
    loss.input[0] = "loss_scores_f32"
    g.node.append(onnx.helper.make_node(
        "Cast", [bf16_logits], ["logits"], to=FLOAT, name="CastLogits"))
    for o in g.output:
        if o.name not in ("loss", "logits"):
            o.type.tensor_type.elem_type = BF16
    onnx.checker.check_model(model)
    return params


def main():
    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--params")
    args = p.parse_args()
    model = onnx.load(args.input)
    params = convert(model)
    onnx.save(model, args.output)
    if args.params:
        np.savez(args.params, **params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
