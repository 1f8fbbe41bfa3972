#!/usr/bin/env bash
# Installs, builds and runs the main job on the bundled example model: the
# tiny BERT classifier of test/models is imported, compiled for the CPU and
# run on a batch; its loss and logits are compared with onnxruntime's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
BUILD_DIR=${ZO_BUILD_DIR:-build}
MODEL=test/models/bert.onnx
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== graph IR of $MODEL (a few of its ops) =="
"$BUILD_DIR/bin/zo-opt" "$MODEL" --zo-compile-to=graph |
  grep -E "graph\.(gather|layer_norm|matmul|softmax |gelu|softmax_cross)" |
  awk '!seen[$3]++' | cut -c1-150
echo "..."
echo
echo "== compiled forward on the CPU =="
"$BUILD_DIR/bin/zo-run" "$MODEL" --inputs test/models/bert.inputs.npz \
  --outputs "$OUT/out.npz" --print-memory
python3 - "$OUT/out.npz" "$MODEL" test/models/bert.inputs.npz <<'PY'
import sys
import numpy as np
import onnxruntime as ort
ours = np.load(sys.argv[1])
feed = dict(np.load(sys.argv[3]))
ref = dict(zip(["loss", "logits"],
               ort.InferenceSession(sys.argv[2], providers=["CPUExecutionProvider"]).run(None, feed)))
for k in ["loss", "logits"]:
    err = np.abs(ours[k] - ref[k]).max() / max(np.abs(ref[k]).max(), 1e-30)
    print(f"{k:7s} zo-opt {np.array2string(ours[k].ravel()[:4], precision=6)}  "
          f"onnxruntime {np.array2string(ref[k].ravel()[:4], precision=6)}  max rel err {err:.1e}")
PY

echo
echo "== zeroth-order training (MeZO / ZO-SGD) on the bundled task =="
"$BUILD_DIR/bin/zo-train" "$MODEL" --data examples/bert-task/train.npz \
  --eval examples/bert-task/train.npz --steps 1000 --lr 1e-3 --eval-every 250 \
  --log "$OUT/train.csv" --out "$OUT/bert-tuned.onnx" 2>&1 | tr '\r' '\n' | grep -E "^eval|peak|wrote|step 1000/"
python3 - "$OUT/bert-tuned.onnx" <<'PY'
import sys
import numpy as np
import onnxruntime as ort
sess = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
data = dict(np.load("examples/bert-task/train.npz"))
losses = [sess.run(["loss"], {k: v[i:i + 2] for k, v in data.items()})[0] for i in range(0, 32, 2)]
print(f"onnxruntime on the tuned model: mean loss {np.mean(losses):.6f}")
PY
