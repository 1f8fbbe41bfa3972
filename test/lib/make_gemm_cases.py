#!/usr/bin/env python3
"""Write GEMM cases for zo-cuda-gemm-check and numpy's answers.

usage: make_gemm_cases.py cases.npz expected.npz
Each case is C = A B + beta C on strided views (offset, shape, strides in
elements) of flat f32 buffers, as the compiled code passes memref views:
plain, transposed operands, padded rows, column-major C, views no BLAS can
read in place (packed), k = 0, vectors, batched (incl. a broadcast batch).
"""
import sys

import numpy as np
from numpy.lib.stride_tricks import as_strided

rng = np.random.default_rng(7)


def view(buf, offset, shape, strides):
    return as_strided(buf[offset:], shape=shape,
                      strides=[s * buf.itemsize for s in strides])


def buffer(n):
    return rng.standard_normal(n).astype(np.float32)


def span(offset, shape, strides):
    return offset + 1 + sum((d - 1) * s for d, s in zip(shape, strides)) \
        if all(shape) else offset + 1


cases, expected = {}, {}


def add(a, b, c, beta, nan_c=False):
    """a, b, c: (offset, shape, strides); 2-D or 3-D (batched)."""
    i = len(expected)
    bufs = []
    for (off, shape, strides), is_c in ((a, False), (b, False), (c, True)):
        bufs.append(buffer(span(off, shape, strides) + 3))
    if nan_c:  # C's elements (not the gaps between them) are NaN
        view(bufs[2], *c)[...] = np.nan
    va, vb, vc = (view(buf, *spec) for buf, spec in zip(bufs, (a, b, c)))
    prod = np.matmul(va.astype(np.float64), vb.astype(np.float64))
    result = bufs[2].astype(np.float64).copy()
    vr = view(result, *c)
    if beta == 0:
        vr[...] = prod
    else:
        vr[...] = prod + beta * vc.astype(np.float64)
    for name, buf in zip("abc", bufs):
        cases[f"{name}{i}"] = buf
    for name, (off, shape, strides) in zip("abc", (a, b, c)):
        if len(shape) == 2:
            lay = [off, *shape, *strides]
        else:
            lay = [off, shape[0], strides[0], shape[1], shape[2], strides[1],
                   strides[2]]
        cases[f"l{name}{i}"] = np.array(lay, np.int64)
    cases[f"beta{i}"] = np.array(beta, np.float32)
    expected[f"c{i}"] = result.astype(np.float32)


m, k, n = 3, 4, 5
# 0: all row-major, beta 0 (C is NaN: must not be read)
add((0, (m, k), (k, 1)), (0, (k, n), (n, 1)), (0, (m, n), (n, 1)), 0.0, True)
# 1: A transposed view (stored k x m), beta 1
add((0, (m, k), (1, m)), (0, (k, n), (n, 1)), (0, (m, n), (n, 1)), 1.0)
# 2: B transposed view (stored n x k), beta 0.5
add((0, (m, k), (k, 1)), (0, (k, n), (1, k)), (0, (m, n), (n, 1)), 0.5)
# 3: both transposed, C with padded rows and an offset
add((2, (m, k), (1, m)), (1, (k, n), (1, k)), (4, (m, n), (7, 1)), 1.0)
# 4: column-major C (a transposed output view): no swap
add((0, (m, k), (k, 1)), (0, (k, n), (n, 1)), (0, (m, n), (1, m)), 1.0)
# 5: column-major C and transposed A
add((0, (m, k), (1, m)), (0, (k, n), (n, 1)), (1, (m, n), (1, m + 2)), 0.0,
    True)
# 6: A with no unit stride (every other column): packed
add((0, (m, k), (2 * k, 2)), (0, (k, n), (n, 1)), (0, (m, n), (n, 1)), 1.0)
# 7: B and C with no unit stride: packed, C scattered back
add((0, (m, k), (k, 1)), (3, (k, n), (3 * n, 3)), (0, (m, n), (2 * n, 2)), 1.0)
# 8: as 7 with beta 0 (C not read, NaN)
add((0, (m, k), (k, 1)), (3, (k, n), (3 * n, 3)), (0, (m, n), (2 * n, 2)), 0.0,
    True)
# 9: k = 0, beta 2: C = 2 C
add((0, (m, 0), (1, 1)), (0, (0, n), (n, 1)), (0, (m, n), (n, 1)), 2.0)
# 10: k = 0, beta 0: C = 0 even where it was NaN
add((0, (m, 0), (1, 1)), (0, (0, n), (n, 1)), (0, (m, n), (n, 1)), 0.0, True)
# 11: row vector times matrix (m = 1) and a column result (n = 1)
add((0, (1, k), (k, 1)), (0, (k, n), (n, 1)), (0, (1, n), (n, 1)), 1.0)
add((0, (m, k), (k, 1)), (0, (k, 1), (1, 1)), (0, (m, 1), (1, 1)), 1.0)
# 13: m = 0: nothing
add((0, (0, k), (k, 1)), (0, (k, n), (n, 1)), (0, (0, n), (n, 1)), 1.0)
# 14: batched, all row-major
bt = 3
add((0, (bt, m, k), (m * k, k, 1)), (0, (bt, k, n), (k * n, n, 1)),
    (0, (bt, m, n), (m * n, n, 1)), 0.0, True)
# 15: batched, transposed A (attention's Q K^T style), B broadcast (batch
#     stride 0), beta 1
add((0, (bt, m, k), (m * k, 1, m)), (0, (bt, k, n), (0, n, 1)),
    (0, (bt, m, n), (m * n, n, 1)), 1.0)
# 16: batched, column-major C
add((0, (bt, m, k), (m * k, k, 1)), (0, (bt, k, n), (k * n, 1, k)),
    (0, (bt, m, n), (m * n, 1, m)), 0.5)
# 17: batched with a packed operand: one call per batch
add((0, (bt, m, k), (3 * m * k, 2 * k, 2)), (0, (bt, k, n), (k * n, n, 1)),
    (0, (bt, m, n), (m * n, n, 1)), 1.0)

np.savez(sys.argv[1], **cases)
np.savez(sys.argv[2], **expected)
