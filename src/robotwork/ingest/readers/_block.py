"""The unit decoders work on: a run of raw messages of one channel, as offsets into one buffer.

The MCAP scanner hands over whole decompressed chunks; slicing them into per-message `bytes`
objects would cost more than decoding, so a block keeps the chunk buffer and numpy arrays of
payload offsets, and decoders gather what they need in bulk.
"""

from dataclasses import dataclass

import numpy as np


class BadMessage(Exception):
    """A decoder refused one message; `row` is its position in the block.

    The recording turns it into an `IngestError` naming the file, the message index and the
    topic, which decoders do not know.
    """

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row
        self.reason = reason


@dataclass(frozen=True)
class MessageBlock:
    """Messages of one channel in file order: payload `buffer[starts[i]:ends[i]]`."""

    buffer: bytes
    starts: np.ndarray  # int64 payload start offsets in `buffer`
    ends: np.ndarray  # int64 payload end offsets
    log_times: np.ndarray  # int64 MCAP log_time, ns
    indices: np.ndarray  # int64 message index within the file (0-based, file order)

    def __len__(self) -> int:
        return len(self.starts)

    def payload(self, row: int) -> bytes:
        """One message's payload (for per-message paths and error reports)."""
        return self.buffer[int(self.starts[row]) : int(self.ends[row])]

    def payloads(self) -> list[memoryview]:
        """Every payload as a zero-copy view, for joining in bulk."""
        view = memoryview(self.buffer)
        return [view[s:e] for s, e in zip(self.starts.tolist(), self.ends.tolist(), strict=True)]

    def take(self, rows: np.ndarray) -> "MessageBlock":
        """The sub-block of `rows` (an index array), sharing the buffer."""
        return MessageBlock(
            self.buffer, self.starts[rows], self.ends[rows], self.log_times[rows], self.indices[rows]
        )
