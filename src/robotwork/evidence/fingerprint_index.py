"""Where replay detection looks things up: every recording's winnowed joint fingerprints.

Each recording's fingerprints are kept as one small Parquet file in the store
(``derived/fingerprints/{recording_id}.parquet``) so they survive restarts and move with the
store; in memory they live in sorted numpy arrays, searched with `np.searchsorted`, so one
lookup costs a few milliseconds however many recordings there are.
"""

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from robotwork.store.telemetry import TelemetryStore

FOLDER = "derived/fingerprints"
_MERGE_SHARE = 0.1  # merge recent additions into the sorted base past this share of it


class FingerprintIndex:
    """Fingerprint -> recordings, loaded lazily from the store and kept current by `add`."""

    def __init__(self, store: TelemetryStore) -> None:
        self.store = store
        self._ids: list[str] = []
        self._base_fp = np.empty(0, np.uint64)
        self._base_rec = np.empty(0, np.int32)
        self._recent: list[tuple[np.ndarray, int]] = []
        self._known: set[str] = set()
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for rel in self.store.files.find(FOLDER, f"{FOLDER}/*.parquet"):
            recording_id = rel.rsplit("/", 1)[1].removesuffix(".parquet")
            with self.store.files.arrow_fs.open_input_file(self.store.files.path(rel)) as handle:
                values = pq.read_table(handle).column("fp").to_numpy()
            self._remember(recording_id, values)
        self._merge()

    def _remember(self, recording_id: str, fingerprints: np.ndarray) -> None:
        self._known.add(recording_id)
        self._ids.append(recording_id)
        self._recent.append((np.asarray(fingerprints, np.uint64), len(self._ids) - 1))

    def _merge(self) -> None:
        if not self._recent:
            return
        fps = [self._base_fp, *(f for f, _ in self._recent)]
        recs = [self._base_rec, *(np.full(len(f), i, np.int32) for f, i in self._recent)]
        fp, rec = np.concatenate(fps), np.concatenate(recs)
        order = np.argsort(fp, kind="stable")
        self._base_fp, self._base_rec, self._recent = fp[order], rec[order], []

    def catch_up(self, recording_ids: Iterable[str]) -> int:
        """Take in the fingerprints that other processes stored since this index was loaded
        (the ids the registry says were summarized meanwhile); return how many were new.

        Each process keeps its own index; without this, a worker would not see a replay of a
        recording that another worker took in after it started.
        """
        self._load()
        added = 0
        for recording_id in recording_ids:
            rel = f"{FOLDER}/{recording_id}.parquet"
            if recording_id in self._known or not self.store.files.fs.exists(self.store.files.path(rel)):
                continue
            with self.store.files.arrow_fs.open_input_file(self.store.files.path(rel)) as handle:
                self._remember(recording_id, pq.read_table(handle).column("fp").to_numpy())
            added += 1
        return added

    def clear(self) -> None:
        """Forget every recording's fingerprints (before a rebuild)."""
        self.store.files.remove_tree(FOLDER)
        self.__init__(self.store)  # type: ignore[misc]
        self._loaded = True

    def add(self, recording_id: str, fingerprints: np.ndarray) -> None:
        """Keep a recording's fingerprints, in the store and in memory."""
        self._load()
        self.store.files.makedirs(FOLDER)
        rel = f"{FOLDER}/{recording_id}.parquet"
        table = pa.table({"fp": pa.array(np.asarray(fingerprints, np.uint64), pa.uint64())})
        with self.store.files.arrow_fs.open_output_stream(self.store.files.path(rel + ".tmp")) as out:
            pq.write_table(table, out)
        self.store.files.publish(rel + ".tmp", rel)
        self._remember(recording_id, fingerprints)
        if sum(len(f) for f, _ in self._recent) > _MERGE_SHARE * max(len(self._base_fp), 10_000):
            self._merge()

    def shared_counts(self, fingerprints: np.ndarray) -> dict[str, int]:
        """For each known recording, how many of `fingerprints` it also has."""
        self._load()
        query = np.unique(np.asarray(fingerprints, np.uint64))
        counts: dict[str, int] = {}
        if not len(query):
            return counts
        hits = [self._base_rec[self._matches(self._base_fp, query)]]
        for fps, i in self._recent:
            n = int(np.isin(query, fps, assume_unique=False).sum())
            if n:
                hits.append(np.full(n, i, np.int32))
        for i, n in zip(*np.unique(np.concatenate(hits), return_counts=True), strict=True):
            counts[self._ids[int(i)]] = int(n)
        return counts

    @staticmethod
    def _matches(sorted_fp: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Positions in `sorted_fp` whose value is in `query` (all duplicates included)."""
        lo = np.searchsorted(sorted_fp, query, "left")
        hi = np.searchsorted(sorted_fp, query, "right")
        present = hi > lo
        if not present.any():
            return np.empty(0, np.int64)
        return np.concatenate([np.arange(a, b) for a, b in zip(lo[present], hi[present], strict=True)])
