"""Feature statistics of a dataset in one streaming pass: what LeRobot normalizes with.

Per episode the statistics are exact: the episode is in memory and its columns are sorted once,
all features of one dtype together (float32 vectors stay float32, which sorts three times faster
than casting to float64; means and variances are accumulated in float64).

Over the dataset, min / max / count are exact, mean and std are merged per episode with Chan's
parallel formula (numerically stable, no sum of squares), and the quantiles come from a
compacting sketch of equal-weight points (as in Munro-Paterson / KLL): every point stands for
`weight` values; an episode contributes its sorted values taken every `weight` ranks (the offset
carried over from episode to episode); when the sketch holds more than `SKETCH_LIMIT` points
per column they are sorted and every other one is kept, alternating which, and the weight
doubles. All points weigh the same, so a compaction is a plain sort (no argsort), and a quantile
is read off the sorted points as numpy reads it off the values. Until the first compaction the
sketch holds every value and its quantiles are exact. Memory is bounded whatever the dataset
size; the rank error stays far under 1% (tested against numpy), enough for normalization.
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np

QUANTILES = {"q01": 0.01, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q99": 0.99}
SKETCH_LIMIT = 8192

Stats = dict[str, np.ndarray]


def _quantile_sorted(ordered: np.ndarray, q: float) -> np.ndarray:
    """numpy's default (linear) quantile of columns already sorted along axis 0, in float64."""
    pos = (len(ordered) - 1) * q
    low = int(np.floor(pos))
    high = min(low + 1, len(ordered) - 1)
    below, above = ordered[low].astype(np.float64), ordered[high].astype(np.float64)
    return below + (above - below) * (pos - low)


def _as_matrix(values: np.ndarray) -> np.ndarray:
    """(frames, dims): float32 stays float32, every other dtype becomes float64."""
    dtype = np.float32 if values.dtype == np.float32 else np.float64
    return values.astype(dtype, copy=False).reshape(len(values), -1)


def episode_stats(columns: dict[str, np.ndarray]) -> dict[str, tuple[Stats, np.ndarray]]:
    """Exact statistics of one episode's features, each with its values sorted per column.

    The columns of all features of one dtype (and number of rows) are sorted and summarized in
    single calls on one wide matrix, then cut back into features: much cheaper than a sort per
    feature.
    """
    matrices = {name: _as_matrix(values) for name, values in columns.items()}
    groups: dict[tuple[np.dtype, int], list[str]] = {}
    for name, m in matrices.items():  # a camera's pixel samples have rows of their own
        groups.setdefault((m.dtype, len(m)), []).append(name)
    out: dict[str, tuple[Stats, np.ndarray]] = {}
    for names in groups.values():
        wide = np.concatenate([matrices[name] for name in names], axis=1)
        ordered = np.sort(wide, axis=0)
        summary = {
            "min": ordered[0].astype(np.float64),
            "max": ordered[-1].astype(np.float64),
            "mean": wide.mean(axis=0, dtype=np.float64),
            "std": wide.std(axis=0, dtype=np.float64),
            **{key: _quantile_sorted(ordered, q) for key, q in QUANTILES.items()},
        }
        count = np.array([len(wide)], dtype=np.int64)
        edges = np.cumsum([0] + [matrices[name].shape[1] for name in names])
        for name, lo, hi in zip(names, edges[:-1], edges[1:], strict=True):
            stats = {key: value[lo:hi] for key, value in summary.items()}
            out[name] = ({**stats, "count": count}, ordered[:, lo:hi])
    return {name: out[name] for name in columns}


@dataclass
class QuantileSketch:
    """Equal-weight points per column, compacted by halving (see the module docstring)."""

    limit: int = SKETCH_LIMIT
    weight: int = 1
    _offset: int = 0  # rank of the next value to keep, counted from the next episode's first
    _points: list[np.ndarray] = field(default_factory=list)
    _held: int = 0
    _flip: int = 0

    def add(self, ordered: np.ndarray) -> None:
        """Take an episode's values, sorted per column."""
        n = len(ordered)
        if self._offset < n:
            # a copy: a view would keep the episode's whole sorted matrix alive until compaction
            taken = ordered[self._offset :: self.weight].copy()
            self._points.append(taken)
            self._held += len(taken)
        self._offset = (self._offset - n) % self.weight
        while self._held > self.limit:
            self._compact()

    def _compact(self) -> None:
        points = np.sort(np.concatenate(self._points), axis=0)
        kept = points[self._flip :: 2]
        self._flip ^= 1
        self._points, self._held, self.weight = [kept], len(kept), self.weight * 2

    def quantiles(self, qs: dict[str, float]) -> dict[str, np.ndarray]:
        """Each quantile of every column, read off the sorted points."""
        points = np.sort(np.concatenate(self._points), axis=0)
        return {key: _quantile_sorted(points, q) for key, q in qs.items()}


@dataclass
class RunningStats:
    """Dataset statistics of one feature, fed one episode at a time."""

    count: int = 0
    mean: np.ndarray | None = None
    m2: np.ndarray | None = None
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    sketch: QuantileSketch = field(default_factory=QuantileSketch)

    def add(self, stats: Stats, ordered: np.ndarray) -> None:
        """Merge one episode, given its exact stats and its sorted values."""
        n = int(stats["count"][0])
        mean, m2 = stats["mean"], stats["std"] ** 2 * n
        if self.mean is None or self.m2 is None or self.low is None or self.high is None:
            self.count, self.mean, self.m2 = n, mean.copy(), m2.copy()
            self.low, self.high = stats["min"].copy(), stats["max"].copy()
        else:
            total = self.count + n
            delta = mean - self.mean
            self.mean = self.mean + delta * (n / total)
            self.m2 = self.m2 + m2 + delta**2 * (self.count * n / total)
            self.count = total
            np.minimum(self.low, stats["min"], out=self.low)
            np.maximum(self.high, stats["max"], out=self.high)
        self.sketch.add(ordered)

    def result(self) -> dict[str, Any]:
        """The stats.json entry: lists of floats, `count` a list of one int."""
        if self.mean is None or self.m2 is None or self.low is None or self.high is None:
            raise ValueError("no values were added")
        doc: dict[str, Any] = {
            "min": self.low.tolist(),
            "max": self.high.tolist(),
            "mean": self.mean.tolist(),
            "std": np.sqrt(self.m2 / self.count).tolist(),
            "count": [self.count],
        }
        quantiles = self.sketch.quantiles(QUANTILES)
        doc.update({key: np.clip(value, self.low, self.high).tolist() for key, value in quantiles.items()})
        return doc
