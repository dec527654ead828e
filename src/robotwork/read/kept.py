"""Read results kept until what they were read from changes.

A read over the whole program (the national overview, the harvest) costs a second or more at
10,000 robots, while its inputs change only when a recording is counted, a flag raised or
cleared, or the registry changes. `evidence.standing.ensure_view` gives a token that changes on
exactly those events, so a result kept under it is never stale: the first reader after a change
pays for the read, every later one gets the kept result; readers who arrive while it is being
read wait for that one read instead of each starting their own (at national scale recordings
are counted several times a second, and eight readers each redoing the same read is what made
the page slow). A few entries per kind are kept (the as-of dates being browsed), the most
recent last; each process keeps its own.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from threading import Lock
from typing import Generic, TypeVar

from sqlalchemy import Engine

from robotwork.evidence.standing import ensure_view
from robotwork.policy import Policy

T = TypeVar("T")


class Kept(Generic[T]):
    """Results of one read, by registry, policy view, as-of date and evidence token."""

    def __init__(self, size: int = 4) -> None:
        self._entries: OrderedDict[tuple[object, ...], T] = OrderedDict()
        self._size = size
        self._lock = Lock()
        self._reading: dict[tuple[object, ...], Lock] = {}

    def get(
        self,
        engine: Engine,
        policy: Policy,
        as_of: date,
        read: Callable[[], T],
        *,
        previous_ok: bool = False,
    ) -> T:
        """The kept result of `read` for this evidence token, else `read()` now (and kept).

        With `previous_ok`, a reader who arrives while another is reading the result of a
        newer token gets the result kept for the token before instead of waiting: at most one
        read behind, and only while that read runs. The reader who finds no read running always
        reads (and gets) the current one, so one person's next page after a change is current."""
        name, token = ensure_view(engine, policy, as_of)
        base = (str(engine.url), id(engine), name, as_of)
        key = (*base, *token)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            if previous_ok and key in self._reading:
                previous = self._latest(base)
                if previous is not None:
                    return previous
            reading = self._reading.setdefault(key, Lock())
        with reading:  # one read per key; the others wait for it and take its result
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            try:
                result = read()
            finally:
                with self._lock:
                    self._reading.pop(key, None)
            with self._lock:
                self._entries[key] = result
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return result

    def _latest(self, base: tuple[object, ...]) -> T | None:
        """The most recently kept result of `base` (any token); the caller holds the lock."""
        for key in reversed(self._entries):
            if key[: len(base)] == base:
                return self._entries[key]
        return None
