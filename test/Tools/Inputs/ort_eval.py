#!/usr/bin/env python3
"""Runs a model with onnxruntime over every full batch of an npz dataset and
compares the mean loss with the last eval loss of a zo-train log."""
import argparse
import csv

import numpy as np
import onnxruntime as ort

p = argparse.ArgumentParser()
p.add_argument("model")
p.add_argument("data")
p.add_argument("--expect-log", required=True)
a = p.parse_args()
sess = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
data = dict(np.load(a.data))
batch = sess.get_inputs()[0].shape[0]
n = len(next(iter(data.values())))
losses = [sess.run(["loss"], {k: v[i:i + batch] for k, v in data.items()})[0]
          for i in range(0, n - batch + 1, batch)]
ours = float(mean := np.mean(losses))
expected = [float(r["eval_loss"]) for r in csv.DictReader(open(a.expect_log))
            if r["eval_loss"]][-1]
if abs(ours - expected) <= 1e-4 * abs(expected):
    print(f"onnxruntime eval loss matches: {ours:.6f} vs {expected:.6f}")
else:
    print(f"FAIL: onnxruntime {ours:.6f} vs zo-train {expected:.6f}")
    raise SystemExit(1)
