"""python/zo/sparse_mask.py: exact zero counts, bijectivity, agreement with a
plain-integer implementation of its docstring, uniformity over keys, and the
ZO-Bench reference's defect it replaces. Run: python3 -m pytest python/tests
(or through lit, test/Python/sparse-mask.test)."""
import math

import numpy as np

from zo import philox, sparse_mask

M64 = (1 << 64) - 1


def lowbias32(x):
    x &= 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


def scalar_pi(e, n, mask_seed, epoch, param_id=None):
    """pi(e) written from the module docstring with Python ints only."""
    ident, tag = (0, 0x474C4F42) if param_id is None else (param_id, 0x4D41534B)
    seed, ep = mask_seed & M64, epoch & M64
    w = [int(v) for v in philox.philox4x32_10(
        np.array([ep & 0xFFFFFFFF, ep >> 32, ident, tag], np.uint32),
        np.array([seed & 0xFFFFFFFF, seed >> 32], np.uint32))]

    def splitmix(state, i):
        z = (state + (i + 1) * 0x9E3779B97F4A7C15) & M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    x = e
    for i in range(sparse_mask.ROUNDS):
        k = splitmix(w[0] | w[1] << 32, i) % n
        c = splitmix(w[2] | w[3] << 32, i) & 0xFFFFFFFF
        partner = (k - x) % n
        h = max(x, partner)
        if lowbias32((h & 0xFFFFFFFF) ^ lowbias32((h >> 32) + c)) & 1:
            x = partner
    return x


def test_exact_counts():
    for n in (1, 2, 3, 7, 15, 64, 1000, 1027, 4096):
        for s in (0.0, 0.01, 0.3, 0.5, 0.75, 0.9, 0.999):
            m = sparse_mask.keep((n,), s, mask_seed=7, epoch=3, param_id=2)
            assert int((~m).sum()) == math.floor(s * n), (n, s)
    # Global: floor(s N) over all tensors together.
    shapes = [(16, 32), (5, 3), (64,), (7,)]
    masks = sparse_mask.global_keep(shapes, 0.6, mask_seed=5, epoch=0)
    total = sum(int(np.prod(s)) for s in shapes)
    assert sum(int((~m).sum()) for m in masks) == math.floor(0.6 * total)
    whole = sparse_mask.keep((total,), 0.6, 5, 0, domain=total)
    assert np.array_equal(np.concatenate([m.reshape(-1) for m in masks]), whole)


def test_bijection():
    for n in (1, 2, 3, 5, 64, 1000, 1025):
        keys = sparse_mask.round_keys(11, 4, n, param_id=1)
        pi = sparse_mask.permute(np.arange(n, dtype=np.uint64), n, keys)
        assert np.array_equal(np.sort(pi), np.arange(n, dtype=np.uint64)), n


def test_matches_plain_integers():
    cases = [(1000, 3, 0, 2), (1027, 0x9E3779B97F4A7C15, (5 << 32) + 17, 1),
             ((1 << 31), 3, 0, None), ((1 << 40) + 12345, 3, 9, None)]
    for n, seed, epoch, pid in cases:
        keys = sparse_mask.round_keys(seed, epoch, n, param_id=pid)
        e = np.array([0, 1, 2, n // 3, n // 2, n - 2, n - 1], np.uint64)
        ours = sparse_mask.permute(e, n, keys)
        assert [int(v) for v in ours] == [scalar_pi(int(v), n, seed, epoch, pid)
                                          for v in e], (n, seed, epoch, pid)


def test_uniform_over_keys():
    # Each position is kept in a fraction 1 - s of the epochs: every count
    # within 5 binomial standard deviations, and the chi-square of all of
    # them (its expectation n - 1) within 5 of its own standard deviations.
    n, s, epochs = 64, 0.75, 4000
    kept = np.zeros(n)
    for epoch in range(epochs):
        kept += sparse_mask.keep((n,), s, mask_seed=1, epoch=epoch, param_id=3)
    p = 1 - math.floor(s * n) / n
    sd = math.sqrt(epochs * p * (1 - p))
    z = (kept - epochs * p) / sd
    assert np.abs(z).max() < 5, np.abs(z).max()
    # Counts sum to a constant, so the statistic has n - 1 degrees of freedom
    # scaled by n / (n - 1).
    chi2 = float((z ** 2).sum()) * (n - 1) / n
    assert abs(chi2 - (n - 1)) < 5 * math.sqrt(2 * (n - 1)), chi2
    # Masks of other parameters and other epochs are different draws.
    a = sparse_mask.keep((n,), s, 1, 0, param_id=3)
    assert not np.array_equal(a, sparse_mask.keep((n,), s, 1, 0, param_id=4))
    assert not np.array_equal(a, sparse_mask.keep((n,), s, 1, 1, param_id=3))
    assert not np.array_equal(a, sparse_mask.keep((n,), s, 2, 0, param_id=3))
    assert np.array_equal(a, sparse_mask.keep((n,), s, 1, 0, param_id=3))


def test_reference_defect():
    # ZO-Bench's fast_random_mask_like zeroes where normal() < s: Phi(s) of
    # the elements, not s. Ours zeroes floor(s n).
    rng = np.random.default_rng(0)
    z = rng.standard_normal(1_000_000)
    for s in (0.0, 0.5, 0.75, 0.9, 0.99):
        theirs = float((z < s).mean())
        phi = 0.5 * (1 + math.erf(s / math.sqrt(2)))
        assert abs(theirs - phi) < 2e-3
        ours = 1 - sparse_mask.keep((1000,), s, 0, 0, param_id=0).mean()
        assert ours == math.floor(s * 1000) / 1000
        print(f"sparsity {s}: ZO-Bench zeroes {theirs:.4f}, ours {ours:.4f}")


if __name__ == "__main__":
    test_exact_counts()
    test_bijection()
    test_matches_plain_integers()
    test_uniform_over_keys()
    test_reference_defect()
    print("ok")
