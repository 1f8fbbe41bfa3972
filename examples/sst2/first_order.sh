#!/usr/bin/env bash
# SST-2 with the pretrained all-MiniLM-L6-v2 fine-tuned by the first-order
# methods (backpropagation: sgd, adamw, sinkgd, swan) with zo-train, the same
# model, data and evaluation as run.sh's MeZO run; figures in
# docs/tasks/sst2.md ("First-order methods").
#
#   examples/sst2/first_order.sh [STEPS] [METHODS...]
#       (defaults: 200 steps; adamw sinkgd swan sgd)
#
# Every method: batch 16, seed 0, the cosine schedule (10% warm-up, decay to
# 10% of the lr), no weight decay, a dev evaluation every 50 steps. Learning
# rates below (LR_<method> overrides); SinkGD and SWAN take the matrix
# learning-rate factor of their papers (0.05, 1) unless MATRIX_LR_SCALE is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-200}
shift || true
METHODS=("$@")
[ ${#METHODS[@]} -gt 0 ] || METHODS=(adamw sinkgd swan sgd)
ZO_TRAIN=${ZO_TRAIN:-build/bin/zo-train}
OUT=${OUT:-examples/sst2/out}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

if [ ! -f "$OUT/minilm-sst2.onnx" ]; then
  nice python3 examples/sst2/make_sst2.py --out "$OUT"
fi

for method in "${METHODS[@]}"; do
  var="LR_$method"
  case "$method" in
    sgd) lr=${!var:-1e-2} ;;
    *) lr=${!var:-1e-4} ;;
  esac
  extra=()
  if [ -n "${MATRIX_LR_SCALE:-}" ] && { [ "$method" = sinkgd ] || [ "$method" = swan ]; }; then
    extra=(--matrix-lr-scale "$MATRIX_LR_SCALE")
  fi
  tag="$method-$lr${MATRIX_LR_SCALE:+-s$MATRIX_LR_SCALE}"
  nice "$ZO_TRAIN" "$OUT/minilm-sst2.onnx" --data "$OUT/train.jsonl" --eval "$OUT/dev.jsonl" \
    --method "$method" --steps "$STEPS" --lr "$lr" --lr-schedule cosine \
    --seed 0 --eval-every 50 "${extra[@]}" \
    --log "$OUT/fo-$tag.csv" --checkpoint "$OUT/fo-$tag.npz" --checkpoint-every 50 \
    --out "$OUT/minilm-sst2-$tag.onnx" 2>&1 | tee "$OUT/fo-$tag.txt"
  nice python3 examples/sst2/ort_accuracy.py "$OUT/minilm-sst2-$tag.onnx" "$OUT/dev.npz" \
    --expect-log "$OUT/fo-$tag.csv"
done
