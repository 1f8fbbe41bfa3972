#!/usr/bin/env python3
"""Every op of the graph dialect that can take float operands must have a
numeric test of its JVP (forward-mode) or VJP (reverse-mode) rule: its
mnemonic must appear in the code (not the comments) of some
test/Train/<mode>-*.mlir file, where jvp_check.py / vjp_check.py compare
the rule with finite differences (an op without a rule fails there with an
error). Ops registered as zero-derivative (comparisons, shape) are
exercised the same way: their cases check that nothing leaks through.

usage: rule_coverage.py jvp|vjp GraphOps.td TEST_DIR
"""
import glob
import os
import re
import sys

# Ops whose operands are never float tensors: nothing to differentiate.
NO_FLOAT_OPERANDS = {"constant", "constant_of_shape", "not", "and", "or"}


def main():
    mode, td, test_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode not in ("jvp", "vjp"):
        sys.exit(f"rule_coverage.py: mode must be jvp or vjp, got {mode}")
    ops = re.findall(r'^def Graph_\w+Op\s*:\s*Graph_\w*Op<"(\w+)"',
                     open(td).read(), re.M)
    code = ""
    for path in glob.glob(os.path.join(test_dir, f"{mode}-*.mlir")):
        code += "\n".join(l for l in open(path).read().splitlines()
                          if not l.lstrip().startswith("//"))
    needed = [op for op in ops if op not in NO_FLOAT_OPERANDS]
    missing = [op for op in needed
               if not re.search(r"\bgraph\." + op + r"\b", code)]
    for op in missing:
        print(f"MISSING numeric {mode.upper()} test for graph.{op}")
    print(f"{len(ops)} graph ops, {len(needed)} with float operands, "
          f"{len(needed) - len(missing)} tested")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
