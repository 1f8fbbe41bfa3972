"""Philox4x32-10 counter-based noise, bit-exact with the compiler's generator.

zo-opt never stores perturbation noise: element ``e`` (row-major) of
parameter ``p`` at seed ``s`` is regenerated wherever it is needed from

    key     = (s & 0xffffffff, s >> 32)
    counter = (block & 0xffffffff, block >> 32, p, stream)
    block   = 16 * (e // 64) + e % 16,  lane = (e // 16) % 4

Each Philox call yields four uint32 words; the element takes word ``lane``.
So a run of 64 elements is 16 consecutive blocks, and word j of those 16
blocks is the run's j-th 16 elements: a 16-wide vector of blocks stores each
word to 16 consecutive floats, with no transpose. Words are turned into
normals with Box-Muller on the pairs (w0, w1) and (w2, w3):

    u = ((w >> 8) + 0.5) * 2**-24          # in (0, 1), never 0
    r = sqrt(-2 log u_a);  t = 2 pi u_b
    z_a = r cos t;  z_b = r sin t

This module is the reference for tests (the uint32 words must match bit for bit;
the normals to float32 rounding, since the compiled code uses polynomial
approximations of log, cos and sin).
"""
import numpy as np

M0 = np.uint64(0xD2511F53)
M1 = np.uint64(0xCD9E8D57)
W0 = np.uint64(0x9E3779B9)
W1 = np.uint64(0xBB67AE85)
MASK32 = np.uint64(0xFFFFFFFF)


def philox4x32_10(counter, key):
    """Vectorized Philox4x32-10.

    counter: uint32 array [..., 4]; key: uint32 array [..., 2] (broadcast).
    Returns uint32 [..., 4].
    """
    c = np.array(counter, dtype=np.uint32)
    k = np.array(key, dtype=np.uint32)
    c0, c1, c2, c3 = (c[..., i].astype(np.uint64) for i in range(4))
    k0 = k[..., 0].astype(np.uint64)
    k1 = k[..., 1].astype(np.uint64)
    for r in range(10):
        p0 = M0 * c0
        p1 = M1 * c2
        hi0, lo0 = p0 >> np.uint64(32), p0 & MASK32
        hi1, lo1 = p1 >> np.uint64(32), p1 & MASK32
        c0 = hi1 ^ c1 ^ k0
        c1 = lo1
        c2 = hi0 ^ c3 ^ k1
        c3 = lo0
        if r != 9:
            k0 = (k0 + W0) & MASK32
            k1 = (k1 + W1) & MASK32
    return np.stack([c0, c1, c2, c3], axis=-1).astype(np.uint32)


def _key(seed):
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return np.array([seed & 0xFFFFFFFF, seed >> 32], dtype=np.uint32)


def _element_order(per_block, num_elements):
    """[blocks, 4] per-block values -> the first num_elements in element order."""
    groups = per_block.shape[0] // 16
    return per_block.reshape(groups, 16, 4).transpose(0, 2, 1).reshape(-1)[:num_elements]


def _block_words(seed, param_id, num_elements, stream):
    """The words of every block that holds one of the first num_elements."""
    blocks = np.arange(16 * ((num_elements + 63) // 64), dtype=np.uint64)
    counter = np.stack([blocks & MASK32, blocks >> np.uint64(32),
                        np.full_like(blocks, param_id),
                        np.full_like(blocks, stream)], axis=-1)
    return philox4x32_10(counter.astype(np.uint32), _key(seed))


def uniform_words(seed, param_id, num_elements, stream=0):
    """The uint32 word of each element (before the normal transform)."""
    return _element_order(_block_words(seed, param_id, num_elements, stream),
                          num_elements)


def normal(seed, param_id, shape, stream=0, dtype=np.float32):
    """Standard normal noise z for parameter `param_id`, as the compiler makes it."""
    n = int(np.prod(shape, dtype=np.int64))
    w = _block_words(seed, param_id, n, stream)
    u = ((w >> np.uint32(8)).astype(np.float64) + 0.5) * 2.0 ** -24
    r01 = np.sqrt(-2.0 * np.log(u[:, 0]))
    t01 = 2.0 * np.pi * u[:, 1]
    r23 = np.sqrt(-2.0 * np.log(u[:, 2]))
    t23 = 2.0 * np.pi * u[:, 3]
    z = np.stack([r01 * np.cos(t01), r01 * np.sin(t01),
                  r23 * np.cos(t23), r23 * np.sin(t23)], axis=-1)
    return _element_order(z, n).reshape(shape).astype(dtype)
