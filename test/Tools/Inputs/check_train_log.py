#!/usr/bin/env python3
"""Checks a zo-train CSV log: the last eval loss is below the first by --min-drop."""
import argparse
import csv

p = argparse.ArgumentParser()
p.add_argument("log")
p.add_argument("--min-drop", type=float, required=True)
a = p.parse_args()
evals = [float(r["eval_loss"]) for r in csv.DictReader(open(a.log)) if r["eval_loss"]]
first, last = evals[0], evals[-1]
if first - last >= a.min_drop:
    print(f"eval loss decreased: {first:.6f} -> {last:.6f}")
else:
    print(f"FAIL: eval loss {first:.6f} -> {last:.6f}, wanted a drop of {a.min_drop}")
    raise SystemExit(1)
