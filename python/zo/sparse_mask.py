"""Exact-count random masks for gradient-sparse ZO, bit-exact with the compiler.

A sparse perturbation is z * m: the Philox noise z of python/zo/philox.py times
a binary mask m that zeroes EXACTLY floor(s * n) of the n elements of its
domain (s the sparsity, the fraction zeroed). Like z, m is counter-based and
never stored: element e is kept iff pi(e) >= floor(s * n), where pi is a keyed
pseudo-random permutation of [0, n), computable for each element on its own.

Domain: a parameter tensor (scope "layer", n its size, its own permutation
keyed by its param id) or every trained element (scope "global", n the sum of
the trained sizes, element offset_p + e of parameter p, one permutation).

Key: the mask changes with `epoch` (zo-zeroth-order passes (step - 1) // k,
so it is resampled every k steps) under a fixed `mask_seed`. One Philox call
seeds the round keys:

    w0..w3 = Philox4x32-10(key = (mask_seed mod 2^32, mask_seed / 2^32),
                           counter = (epoch mod 2^32, epoch / 2^32, id, tag))
    k_i = splitmix64(w0 + 2^32 w1, i) mod n,  c_i = splitmix64(w2 + 2^32 w3, i) mod 2^32

(splitmix64(s, i): output i of Vigna's splitmix64 seeded with s, i.e.
mix(s + (i + 1) * 0x9E3779B97F4A7C15)),
with (id, tag) = (param_id, LAYER_TAG) for a layer mask and (0, GLOBAL_TAG)
for the global one. (Noise uses the step seed as key and the stream, a small
number, as counter word 3, so the tags keep the two apart.)

pi is swap-or-not (Hoang, Morris, Rogaway 2012) with ROUNDS rounds, each a
bijection of [0, n) for any n (no cycle walking, no branch):

    x' = (k_i - x) mod n;  h = max(x, x')
    F_i(h) = lowbias32(lo32(h) ^ lowbias32(hi32(h) + c_i))      (mod 2^32)
    x = x' if F_i(h) is odd else x

x and x' swap as a pair (both see the same h), so each round is an
involution. An element's image stays correlated with its start only if it
was never swapped, probability 2^-ROUNDS. n <= 2^53 (float64 counts exactly).
"""
import numpy as np

from zo import philox

LAYER_TAG = 0x4D41534B  # "MASK"
GLOBAL_TAG = 0x474C4F42  # "GLOB"
ROUNDS = 16
MAX_DOMAIN = 1 << 53
_U64 = 0xFFFFFFFFFFFFFFFF
_M32 = np.uint64(0xFFFFFFFF)


def zero_count(sparsity, n):
    """floor(s * n) in float64, as the compiler computes it."""
    s = float(sparsity)
    if not 0.0 <= s < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")
    if not 0 <= n <= MAX_DOMAIN:
        raise ValueError(f"mask domain must be in [0, 2^53], got {n}")
    return int(np.floor(s * float(n)))


def splitmix64(state, i):
    """Output i (0-based) of splitmix64 seeded with `state` (a Python int)."""
    z = (state + (i + 1) * 0x9E3779B97F4A7C15) & _U64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _U64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _U64
    return z ^ (z >> 31)


def round_keys(mask_seed, epoch, n, param_id=None):
    """(k, c): the ROUNDS partner offsets in [0, n) and hash keys (uint64
    arrays) of a layer mask if param_id is given, else of the global one."""
    seed = int(mask_seed) & _U64
    ep = int(epoch) & _U64
    ident, tag = (0, GLOBAL_TAG) if param_id is None else (int(param_id), LAYER_TAG)
    if not 0 <= ident <= 0xFFFFFFFF:
        raise ValueError("param_id must fit in 32 bits")
    counter = np.array([ep & 0xFFFFFFFF, ep >> 32, ident, tag], np.uint32)
    key = np.array([seed & 0xFFFFFFFF, seed >> 32], np.uint32)
    w = [int(x) for x in philox.philox4x32_10(counter, key)]
    a, b = w[0] | (w[1] << 32), w[2] | (w[3] << 32)
    k = np.array([splitmix64(a, i) % n for i in range(ROUNDS)], np.uint64)
    c = np.array([splitmix64(b, i) & 0xFFFFFFFF for i in range(ROUNDS)], np.uint64)
    return k, c


def lowbias32(x):
    """Chris Wellons' lowbias32 on uint64 arrays holding 32-bit values."""
    x = np.asarray(x, np.uint64) & _M32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & _M32
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & _M32
    return x ^ (x >> np.uint64(16))


def permute(e, n, keys):
    """pi(e) for element indices e in [0, n) (uint64): swap-or-not."""
    k, c = keys
    x = np.array(e, np.uint64)
    nn = np.uint64(n)
    for ki, ci in zip(k, c):
        partner = np.where(ki >= x, ki - x, ki + nn - x)
        h = np.maximum(x, partner)
        d = lowbias32((h >> np.uint64(32)) + ci)
        f = lowbias32((h & _M32) ^ d)
        x = np.where(f & np.uint64(1) == 1, partner, x)
    return x


def keep(shape, sparsity, mask_seed, epoch, param_id=None, domain=None, offset=0):
    """bool mask of `shape` (True = kept): a layer mask of param `param_id`,
    or, with `domain` (and `offset`), elements [offset, offset + size) of the
    global mask over [0, domain)."""
    size = int(np.prod(shape, dtype=np.int64))
    if domain is None:
        if param_id is None:
            raise ValueError("a layer mask needs param_id")
        n = size
    else:
        n = int(domain)
        if offset < 0 or offset + size > n:
            raise ValueError("the tensor must lie inside the mask domain")
    zeros = zero_count(sparsity, n)
    if zeros == 0:
        return np.ones(shape, bool)
    keys = round_keys(mask_seed, epoch, n, param_id if domain is None else None)
    e = np.arange(size, dtype=np.uint64) + np.uint64(offset)
    return (permute(e, n, keys) >= np.uint64(zeros)).reshape(shape)


def global_keep(shapes, sparsity, mask_seed, epoch):
    """Global masks of tensors `shapes` (the trained ones, in param order):
    one permutation over all their elements, offsets in that order."""
    sizes = [int(np.prod(s, dtype=np.int64)) for s in shapes]
    domain, masks, offset = sum(sizes), [], 0
    for shape, size in zip(shapes, sizes):
        masks.append(keep(shape, sparsity, mask_seed, epoch, domain=domain,
                          offset=offset))
        offset += size
    return masks


def masked_normal(seed, param_id, shape, sparsity, mask_seed, epoch, stream=0,
                  domain=None, offset=0):
    """z * m as train.normal / train.add_noise with a mask make it."""
    z = philox.normal(seed, param_id, shape, stream)
    m = keep(shape, sparsity, mask_seed, epoch,
             param_id=None if domain is not None else param_id,
             domain=domain, offset=offset)
    return np.where(m, z, np.float32(0)).astype(np.float32)
