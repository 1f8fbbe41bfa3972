#!/usr/bin/env python3
"""The small bundled task on which training visibly helps.

Sequences of 8 random token ids (the vocabulary of test/models/bert.onnx);
label 1 when the token at position 1 is above 64. train.npz holds 32
examples: fitting them is what a zeroth-order method visibly does to the tiny
random-init BERT in a thousand steps (eval.npz, 64 held-out examples, is
there to show it does not generalize: the random model's features do not
carry the rule). Deterministic: rerunning writes identical files.

    python3 examples/bert-task/make_task.py   # writes train.npz, eval.npz here
"""
from pathlib import Path

import numpy as np


def make(n, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(3, 127, size=(n, 8)).astype(np.int64)
    return dict(input_ids=ids, attention_mask=np.ones((n, 8), np.int64),
                labels=(ids[:, 1] > 64).astype(np.int64))


if __name__ == "__main__":
    here = Path(__file__).parent
    np.savez(here / "train.npz", **make(32, 1))
    np.savez(here / "eval.npz", **make(64, 2))
