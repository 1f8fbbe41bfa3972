"""Per kernel of a PTX file: its Philox-4x32 multiplies (a mul/mad by one of
the generator's two round multipliers, 0xD2511F53 and 0xCD9E8D57, however
the back end typed it), the Philox calls they make (ten rounds of two
multiplies, a few folded when a counter word is constant: ceil(n / 20)),
and its global stores. One line per kernel that has any Philox multiply.

With --launches, a gpu-stage module (zo-cuda-lowering{stop-at=gpu
merge-launches=false}: one body per kernel) instead: the Philox multiplies
the step executes, each launch's blocks x threads x its kernel's
arith.mului_extended ops (an upper bound: threads past a bounds guard do
nothing), and the threads of those launches.

usage: philox_count.py k.ptx
       philox_count.py --launches step.gpu.mlir
"""
import math
import re
import sys

MULTIPLIERS = r"(-766435501|-845247145|3528531795|3449720151|0xD2511F53|0xCD9E8D57)"


def launches(path):
    with open(path) as f:
        text = f.read()
    multiplies = {
        m.group(1): m.group(2).count("arith.mului_extended")
        for m in re.finditer(r"gpu\.func @(\w+)\((.*?)gpu\.return", text,
                             re.S)}
    size = r"\(%c(\d+)\w*, %c(\d+)\w*, %c(\d+)\w*\)"
    executed = threads = 0
    for m in re.finditer(r"gpu\.launch_func .*?@\w+::@(\w+) blocks in " +
                         size + " threads in " + size, text):
        n = math.prod(int(g) for g in m.groups()[1:])
        if multiplies.get(m.group(1)):
            executed += n * multiplies[m.group(1)]
            threads += n
    print(f"{executed} Philox multiplies executed by {threads} threads")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--launches":
        return launches(sys.argv[2])
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    multiply = re.compile(r"\s*(mul|mad)\.\S+\s+[^;]*[\s,]" + MULTIPLIERS + r"\b",
                          re.I)
    store = re.compile(r"\s*st\.global\.")
    kernels = []
    with open(sys.argv[1]) as f:
        for line in f:
            entry = re.match(r"\s*\.visible\s+\.entry\s+(\w+)\(", line)
            if entry:
                kernels.append([entry.group(1), 0, 0])
            elif kernels and multiply.match(line):
                kernels[-1][1] += 1
            elif kernels and store.match(line):
                kernels[-1][2] += 1
    for name, muls, stores in kernels:
        if muls:
            print(f"{name}: {math.ceil(muls / 20)} Philox call ({muls} "
                  f"multiplies), {stores} global stores")


if __name__ == "__main__":
    main()
