#!/usr/bin/env python3
"""Writes Tests/RandomnessTests/Fixtures/xoshiro.json: outputs of xoshiro256** seeded through
SplitMix64, from a line-by-line transcription of the authors' public-domain C reference code
(prng.di.unimi.it: splitmix64.c and xoshiro256starstar.c), for RandomnessTests to assert.

Rerun: python3 Tests/Fixtures/make_random_fixtures.py   (standard library only)
"""
import json
import os

M = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def xoshiro_outputs(seed, n):
    s, x = [], seed
    for _ in range(4):
        x, v = splitmix64(x)
        s.append(v)
    out = []
    for _ in range(n):
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out.append(result)
    return out


def main():
    cases = [{"seed": seed, "outputs": [str(v) for v in xoshiro_outputs(seed, 8)]}
             for seed in [0, 1, 20240805, 2**63 + 12345]]
    x, split = 0, []
    for _ in range(4):
        x, v = splitmix64(x)
        split.append(str(v))
    out = os.path.join(os.path.dirname(__file__), "..", "RandomnessTests", "Fixtures", "xoshiro.json")
    with open(out, "w") as f:
        json.dump({"splitmix64_seed0": split, "xoshiro256starstar": cases}, f, indent=1)
    print("wrote", out)


if __name__ == "__main__":
    main()
