"""Philox4x32-10 against the Random123 known-answer vectors, and the normals'
moments. Run: python3 -m pytest python/tests (or through lit)."""
import numpy as np

from zo import philox


def test_known_answers():
    # Random123's kat_vectors for philox4x32_10.
    cases = [
        ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2,
         (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
         (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
    ]
    for ctr, key, expected in cases:
        got = philox.philox4x32_10(np.array(ctr, np.uint32), np.array(key, np.uint32))
        assert tuple(int(x) for x in got) == expected, (ctr, key, [hex(x) for x in got])


def test_normal_moments_and_independence():
    z = philox.normal(seed=1234, param_id=3, shape=(400_000,))
    assert abs(z.mean()) < 0.01
    assert abs(z.std() - 1.0) < 0.01
    other = philox.normal(seed=1234, param_id=4, shape=(400_000,))
    assert abs(np.corrcoef(z, other)[0, 1]) < 0.01
    # Counter-based: any element can be regenerated alone, same value.
    assert np.array_equal(philox.normal(1234, 3, (9,)), z[:9])


def test_element_mapping():
    # Element e is word (e // 16) % 4 of block 16 * (e // 64) + e % 16, for
    # any element count (partial 64-element runs included).
    seed, pid, stream = 0x1234_5678_9ABC, 7, 2
    key = np.array([seed & 0xFFFFFFFF, seed >> 32], np.uint32)
    for n in (1, 15, 16, 17, 63, 64, 100, 130):
        words = philox.uniform_words(seed, pid, n, stream)
        for e in range(n):
            block, lane = 16 * (e // 64) + e % 16, (e // 16) % 4
            ctr = np.array([block, 0, pid, stream], np.uint32)
            assert words[e] == philox.philox4x32_10(ctr, key)[lane], (n, e)
        z = philox.normal(seed, pid, (n,), stream)
        assert np.array_equal(z, philox.normal(seed, pid, (130,), stream)[:n])


if __name__ == "__main__":
    test_known_answers()
    test_normal_moments_and_independence()
    test_element_mapping()
    print("ok")
