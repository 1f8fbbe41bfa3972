"""Checks `ptxas -v` output (stdin) against a PTX file: every kernel
(`.entry`) of the PTX is reported, and with 0 bytes of spill stores and
spill loads. Prints one summary line; exits 1 with one line per problem.

usage: ptxas -v -arch=sm_XX k.ptx -o k.cubin 2>&1 | check_ptxas.py k.ptx
"""
import re
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        entries = re.findall(r"^\s*\.visible\s+\.entry\s+(\w+)\(", f.read(),
                         re.M)
    log = sys.stdin.read()
    problems = []
    if "error" in log.lower():
        problems.append("ptxas reported an error")
    # "Function properties for K" is followed by a line
    # "N bytes stack frame, S bytes spill stores, L bytes spill loads".
    props = dict(re.findall(
        r"Function properties for (\w+)\s*\n\s*\d+ bytes stack frame, "
        r"(\d+ bytes spill stores, \d+ bytes spill loads)", log))
    registers = [int(r) for r in re.findall(r"Used (\d+) registers", log)]
    for name in entries:
        spills = props.get(name)
        if spills is None:
            problems.append(f"{name}: not in the ptxas -v output")
        elif spills != "0 bytes spill stores, 0 bytes spill loads":
            problems.append(f"{name}: {spills}")
    if not entries:
        problems.append("no .entry in the PTX")
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"{len(entries)} kernels, 0 spills, at most {max(registers)} "
          f"registers")


if __name__ == "__main__":
    main()
