#!/usr/bin/env python3
"""Checks the in-place updates of a bf16 training step at the gpu stage.

usage: bf16_updates.py STEP.gpu.mlir   (zo-cuda-lowering stop-at=gpu)

For @train_step, follows each `param` and `state` argument through the host
views (collapse/expand_shape, cast) into the kernels `gpu.launch_func`
passes it to, and requires of every bf16 parameter that
  - some kernel stores into it (it is updated in place, no copy back),
  - every value stored into it is `arith.truncf <f32> : f32 to bf16` (the
    update is computed in f32 and rounded once, at the store),
  - every kernel storing into it also loads it and widens what it loaded
    (`arith.extf ... : bf16 to f32`);
and of every state buffer that it is f32 and stored by some kernel with an
f32 value. Prints one summary line; exits 1 with one line per problem.
"""
import re
import sys

ARG = re.compile(r'%(arg\d+): memref<([^>]*)> \{zo.name = "([^"]*)", '
                 r'zo.role = "(param|state)"\}')
VIEW = re.compile(r'^\s*(%[\w.]+) = memref\.(?:collapse_shape|expand_shape|'
                  r'cast|subview|reinterpret_cast) (%[\w.]+)')
LAUNCH = re.compile(r'gpu\.launch_func .*@\w+::@(\w+) .*args\((.*)\)\s*$')
KERNEL = re.compile(r'^\s*gpu\.func @(\w+)\((.*?)\) kernel')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = open(sys.argv[1]).read()
    lines = text.splitlines()
    # Kernel bodies.
    kernels, current = {}, None
    for line in lines:
        m = KERNEL.match(line)
        if m:
            params = re.findall(r'(%arg\d+): ', m.group(2))
            current = kernels[m.group(1)] = {"args": params, "body": []}
            continue
        if current is not None:
            if re.match(r'^\s*gpu\.return', line) or re.match(r'^    \}', line):
                if re.match(r'^    \}', line):
                    current = None
                continue
            current["body"].append(line)
    # The step's host function.
    start = next(i for i, l in enumerate(lines)
                 if l.lstrip().startswith("func.func @train_step("))
    roles = {}
    for name, mtype, zname, role in ARG.findall(lines[start]):
        roles["%" + name] = (mtype, zname, role)
    root = {}
    uses = {k: [] for k in roles}   # host arg -> [(kernel, kernel arg)]
    for line in lines[start + 1:]:
        if line.startswith("  }"):
            break
        m = VIEW.match(line)
        if m:
            src = root.get(m.group(2), m.group(2))
            root[m.group(1)] = src
            continue
        m = LAUNCH.search(line)
        if m:
            values = re.findall(r'(%[\w.]+) : ', m.group(2))
            for pos, v in enumerate(values):
                r = root.get(v, v)
                if r in uses:
                    uses[r].append((m.group(1), pos))
    problems = []
    nparams = nstate = 0
    for arg, (mtype, zname, role) in roles.items():
        elem = mtype.split("x")[-1]
        stored = False
        for kname, pos in uses[arg]:
            k = kernels[kname]
            karg = re.escape(k["args"][pos])
            # Sibling regions (merged launches) reuse value names: a use
            # refers to the latest definition above it.
            defs, loaded = {}, set()
            stores = widened = 0
            for line in k["body"]:
                m = re.match(r'^\s*(%[\w.#]+) = (.*)$', line)
                if m:
                    defs[m.group(1)] = m.group(2)
                    loaded.discard(m.group(1))
                    if re.match(r'memref\.load ' + karg + r'\[', m.group(2)):
                        loaded.add(m.group(1))
                    w = re.match(r'arith\.extf (%[\w.#]+) : bf16 to f32',
                                 m.group(2))
                    if w and w.group(1) in loaded:
                        widened += 1
                    continue
                m = re.match(r'^\s*memref\.store (%[\w.#]+), ' + karg
                             + r'\[', line)
                if not m:
                    continue
                stores += 1
                d = defs.get(m.group(1), "")
                if role == "param" and elem == "bf16" and not re.match(
                        r'arith\.truncf %[\w.#]+ : f32 to bf16$', d):
                    problems.append(f"{zname}: {kname} stores "
                                    f"{m.group(1)} = {d!r}, not a rounding "
                                    "of an f32 value")
                if role == "state" and not re.search(r'(: f32|xf32>)$', d):
                    problems.append(f"{zname}: {kname} stores {d!r}")
            if not stores:
                continue
            stored = True
            if role == "param" and elem == "bf16" and not widened:
                problems.append(f"{zname}: {kname} updates it without "
                                "loading and widening it")
        if role == "state" and elem != "f32":
            problems.append(f"{zname}: state is {elem}, not f32")
        if not stored:
            problems.append(f"{zname}: no kernel stores into it")
        elif role == "param" and elem == "bf16":
            nparams += 1
        elif role == "state":
            nstate += 1
    total = sum(1 for t, _, r in roles.values() if r == "param")
    print(f"{nparams} of {total} params bf16 and updated in place from f32, "
          f"{nstate} f32 state buffers")
    for p in problems:
        print("error:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
