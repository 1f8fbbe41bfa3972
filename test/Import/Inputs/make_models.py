"""Writes the tiny binary ONNX models the importer's binary-input tests use.

Usage: make_models.py OUTDIR. tiny.onnx (MatMul + Add + Relu, batch dim
'batch'), ext.onnx (same graph, weights in ext.bin as external data), trunc.onnx and corrupt.onnx.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def make(path, external=False):
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3), "w")
    b = numpy_helper.from_array(np.ones(3, dtype=np.float32), "b")
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
             helper.make_node("Add", ["h", "b"], ["a"], name="add"),
             helper.make_node("Relu", ["a"], ["y"], name="relu")]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
        initializer=[w, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    if external:
        onnx.save_model(model, path, save_as_external_data=True,
                        all_tensors_to_one_file=True, location="ext.bin",
                        size_threshold=0)
    else:
        onnx.save_model(model, path)


make(os.path.join(out, "tiny.onnx"))
make(os.path.join(out, "ext.onnx"), external=True)

# Broken files: a truncated copy and bytes that are no protobuf at all.
with open(os.path.join(out, "tiny.onnx"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "trunc.onnx"), "wb") as f:
    f.write(data[:60])
with open(os.path.join(out, "corrupt.onnx"), "wb") as f:
    f.write(b"\xff\xff\xff\xffgarbage")
