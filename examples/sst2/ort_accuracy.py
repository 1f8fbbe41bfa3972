#!/usr/bin/env python3
"""Dev accuracy and mean loss of an SST-2 model (the one make_sst2.py writes,
or zo-train's tuned copy) run by onnxruntime, over the full batches of an
.npz dataset, as zo-train evaluates it.

    python3 examples/sst2/ort_accuracy.py MODEL.onnx DEV.npz [--expect-log train.csv]

With --expect-log, the figures are compared with the last evaluation in a
zo-train CSV log (exit 1 when they differ).
"""
import argparse
import csv

import numpy as np
import onnxruntime as ort

p = argparse.ArgumentParser()
p.add_argument("model")
p.add_argument("data")
p.add_argument("--expect-log")
a = p.parse_args()

so = ort.SessionOptions()
so.intra_op_num_threads = 1
so.inter_op_num_threads = 1
sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
data = dict(np.load(a.data))
batch = sess.get_inputs()[0].shape[0]
n = len(data["labels"])
losses, correct, counted = [], 0, 0
for i in range(0, n - batch + 1, batch):
    feeds = {k: v[i:i + batch] for k, v in data.items()}
    loss, logits = sess.run(["loss", "logits"], feeds)
    losses.append(float(loss))
    correct += int((logits.argmax(1) == feeds["labels"]).sum())
    counted += batch
loss, acc = float(np.mean(losses)), correct / counted
print(f"onnxruntime: {counted} examples, mean loss {loss:.6f}, "
      f"accuracy {acc:.4f} ({correct}/{counted})")
if a.expect_log:
    rows = [r for r in csv.DictReader(open(a.expect_log)) if r["eval_loss"]]
    want_loss, want_acc = float(rows[-1]["eval_loss"]), float(rows[-1]["eval_accuracy"])
    print(f"zo-train (step {rows[-1]['step']}): mean loss {want_loss:.6f}, "
          f"accuracy {want_acc:.4f}")
    if abs(loss - want_loss) > 1e-4 * abs(want_loss) + 1e-6 or abs(acc - want_acc) > 1e-6:
        raise SystemExit("FAIL: onnxruntime and zo-train disagree")
    print("onnxruntime matches zo-train")
