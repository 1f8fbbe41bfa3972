#!/usr/bin/env bash
# SST-2 with the pretrained all-MiniLM-L6-v2, fine-tuned whole by MeZO
# (ZO-SGD) with zo-train; see docs/tasks/sst2.md for the figures.
#
#   examples/sst2/run.sh [STEPS] [LR]     (defaults: 1000 steps, lr 5e-5)
#
# Environment: ZO_TRAIN (default build/bin/zo-train), OUT (default
# examples/sst2/out). Needs torch + transformers for make_sst2.py only.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-1000}
LR=${2:-5e-5}
ZO_TRAIN=${ZO_TRAIN:-build/bin/zo-train}
OUT=${OUT:-examples/sst2/out}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

if [ ! -f "$OUT/minilm-sst2.onnx" ]; then
  nice python3 examples/sst2/make_sst2.py --out "$OUT"
fi

# MeZO: eps 1e-3, one query, batch 16; every parameter trained. The .jsonl
# files hold unpadded token ids (zo-train pads them to the model's 64).
nice "$ZO_TRAIN" "$OUT/minilm-sst2.onnx" --data "$OUT/train.jsonl" --eval "$OUT/dev.jsonl" \
  --method zo-sgd --steps "$STEPS" --lr "$LR" --eps 1e-3 --seed 0 --eval-every 100 \
  --log "$OUT/train-$LR.csv" --checkpoint "$OUT/ckpt-$LR.npz" --checkpoint-every 25 \
  --out "$OUT/minilm-sst2-tuned-$LR.onnx"

# The tuned model in onnxruntime: the same dev accuracy as zo-train's last eval.
nice python3 examples/sst2/ort_accuracy.py "$OUT/minilm-sst2-tuned-$LR.onnx" "$OUT/dev.npz" \
  --expect-log "$OUT/train-$LR.csv"
