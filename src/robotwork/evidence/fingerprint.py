"""Replay fingerprints: winnowing over runs of consecutive quantized joint samples.

As in document winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003), each joint sample is
quantized and hashed to one 64-bit value, every run of `KGRAM` consecutive samples is hashed
(a k-gram), and of every `WINDOW` consecutive k-grams the smallest hash is kept. Times are never
hashed, so a replay shifted in time or re-headed yields the same fingerprints, and any shared
run of at least KGRAM + WINDOW - 1 samples is guaranteed to share one. The quantum is far
below sensor noise, so two real recordings of the same task (noise ~1e-4 rad) share nearly
none, while the same values replayed share them all.

Constants (why these values):
- QUANTUM_RAD = 1e-5: ten times finer than typical encoder noise (1e-4 rad), so independent
  noise changes nearly every quantized vector; coarse enough that a float round trip of the
  same values (JSON text, CDR, Parquet) always quantizes the same.
- KGRAM = 8: a fingerprint says "these 8 poses in this order", so a single pose passed
  through by two different motions (or by a robot with one joint) does not match.
- WINDOW = 20: density ~2/(WINDOW+1) ~ 1 fingerprint per 10 k-grams: a 1-hour recording keeps
  ~340 at 1 Hz and ~17,000 at 50 Hz; a replayed stretch of 27 samples or more is always found.

Only moving samples are fingerprinted (samples in moving minutes, see motion.py), and a k-gram
whose samples are all equal (a robot holding a pose exactly, as simulators do) is skipped:
the rest pose of two different robots must not look like a replay.
Hashing is vectorized multiply-xorshift over uint64 (arithmetic wraps modulo 2**64).
"""

import numpy as np

QUANTUM_RAD = 1e-5
KGRAM = 8
WINDOW = 20

_NONE = np.uint64(2**64 - 1)  # marks a k-gram that is not fingerprinted; real hashes are 63-bit
_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finalizer, in place on a uint64 array (returned for chaining)."""
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def _salts(n: int) -> np.ndarray:
    """A distinct odd multiplier per position, so hashes depend on where each value sits."""
    return _mix(np.arange(1, n + 1, dtype=np.uint64) * _MUL) | np.uint64(1)


_KGRAM_SALTS = _salts(KGRAM)


def sample_hashes(positions: np.ndarray) -> np.ndarray:
    """One uint64 per row of an (n, joints) float64 array: a hash of its quantized vector."""
    scaled = np.multiply(positions, 1.0 / QUANTUM_RAD)
    np.rint(scaled, out=scaled)
    with np.errstate(invalid="ignore"):  # NaN or huge values cast to a fixed garbage value
        values = scaled.astype(np.int64).view(np.uint64)
    values *= _salts(values.shape[1])
    values ^= values >> np.uint64(29)
    return _mix(values.sum(axis=1, dtype=np.uint64))


class Winnower:
    """Fingerprints of a stream of sample hashes, fed in order in batches of any size.

    It carries the last KGRAM-1 samples and WINDOW-1 k-grams across batches, so every k-gram and
    every window is formed exactly once and the result does not depend on batch boundaries.
    """

    def __init__(self) -> None:
        self._hashes = np.empty(0, np.uint64)
        self._moving = np.empty(0, bool)
        self._kgrams = np.empty(0, np.uint64)
        self._found: list[np.ndarray] = []

    def add(self, hashes: np.ndarray, moving: np.ndarray) -> None:
        """Take the next samples' hashes and whether each is a moving sample."""
        hashes = np.concatenate((self._hashes, hashes))
        moving = np.concatenate((self._moving, moving))
        self._hashes, self._moving = hashes[-(KGRAM - 1) :], moving[-(KGRAM - 1) :]
        if hashes.size < KGRAM:
            return
        kgrams = np.concatenate((self._kgrams, _kgram_hashes(hashes, moving)))
        self._kgrams = kgrams[-(WINDOW - 1) :]
        if kgrams.size < WINDOW:
            return
        minima = np.lib.stride_tricks.sliding_window_view(kgrams, WINDOW).min(axis=1)
        self._found.append(np.unique(minima[minima != _NONE]))

    def fingerprints(self) -> np.ndarray:
        """Sorted unique fingerprints of everything added so far."""
        if not self._found:
            return np.empty(0, np.uint64)
        return np.unique(np.concatenate(self._found))


def _kgram_hashes(hashes: np.ndarray, moving: np.ndarray) -> np.ndarray:
    """Hash of every run of KGRAM consecutive samples; _NONE where a run has a non-moving
    sample or all its samples are equal."""
    count = hashes.size - KGRAM + 1
    out = np.zeros(count, np.uint64)
    for offset in range(KGRAM):
        out += hashes[offset : offset + count] * _KGRAM_SALTS[offset]
    out = _mix(out) >> np.uint64(1)
    still = np.concatenate(([0], np.cumsum(~moving)))
    changes = np.concatenate(([0], np.cumsum(hashes[1:] != hashes[:-1])))
    all_moving = still[KGRAM:] - still[:count] == 0
    varied = changes[KGRAM - 1 :] - changes[:count] > 0
    out[~(all_moving & varied)] = _NONE
    return out


def replay_overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of `a`'s fingerprints also found in `b` (both sorted unique); 0 when `a` has none."""
    if a.size == 0:
        return 0.0
    return float(np.isin(a, b, assume_unique=True).sum()) / a.size
