#!/usr/bin/env python3
"""The .jsonl dataset format of zo-train, independently in numpy.

  jsonl_tool.py to-jsonl IN.npz OUT.jsonl [--vary-length KEY,...]
      one JSON object per example of an npz dataset; with --vary-length the
      listed keys are cut to 5 + i % 4 elements (example i), which is what
      the zero padding of the format puts back when they were padded with 0;
      every object also gets a "text" key, which readers must ignore.
  jsonl_tool.py to-npz MODEL IN.jsonl OUT.npz [--pad NAME=VALUE,...] [--truncate]
      the dataset a .jsonl file stands for, for the inputs of MODEL (.onnx or
      .onnxtext): lists shorter than the model's per-example shape are padded
      at the end (0, or --pad), longer ones are cut with --truncate.
"""
import argparse
import json

import numpy as np
import onnx
import onnx.parser

DTYPES = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.DOUBLE: np.float64,
          onnx.TensorProto.INT64: np.int64, onnx.TensorProto.INT32: np.int32,
          onnx.TensorProto.BOOL: np.bool_}


def to_jsonl(a):
    data = dict(np.load(a.inp))
    vary = set(a.vary_length.split(",")) if a.vary_length else set()
    n = len(next(iter(data.values())))
    with open(a.out, "w") as f:
        for i in range(n):
            obj = {"text": f"example {i}"}
            for k, v in data.items():
                x = v[i]
                if k in vary:
                    x = x[:5 + i % 4]
                obj[k] = x.tolist()
            f.write(json.dumps(obj) + "\n")


def model_inputs(path):
    if path.endswith(".onnxtext"):
        m = onnx.parser.parse_model(open(path).read())
    else:
        m = onnx.load(path)
    inits = {i.name for i in m.graph.initializer}
    for i in m.graph.input:
        if i.name in inits:
            continue
        t = i.type.tensor_type
        yield i.name, DTYPES[t.elem_type], [d.dim_value for d in t.shape.dim]


def to_npz(a):
    pads = dict(kv.split("=") for kv in a.pad.split(",")) if a.pad else {}
    lines = [json.loads(l) for l in open(a.inp) if l.strip()]
    out = {}
    for name, dtype, shape in model_inputs(a.model):
        example = tuple(shape[1:])
        arr = np.full((len(lines),) + example, float(pads.get(name, 0)))
        for i, obj in enumerate(lines):
            v = np.asarray(obj[name], dtype=np.float64)
            if v.size == 0:  # [] (or [[]]) of a rank-r example: all padding
                v = v.reshape((0,) * len(example))
            if not a.truncate:
                assert all(s <= e for s, e in zip(v.shape, example)), (name, i)
            cut = tuple(slice(0, min(s, e)) for s, e in zip(v.shape, example))
            arr[(i,) + cut] = v[cut]
        out[name] = arr.astype(dtype)
    np.savez(a.out, **out)


p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
j = sub.add_parser("to-jsonl")
j.add_argument("inp")
j.add_argument("out")
j.add_argument("--vary-length")
n = sub.add_parser("to-npz")
n.add_argument("model")
n.add_argument("inp")
n.add_argument("out")
n.add_argument("--pad")
n.add_argument("--truncate", action="store_true")
a = p.parse_args()
to_jsonl(a) if a.cmd == "to-jsonl" else to_npz(a)
