"""An MCAP file read record by record, with the byte offset of every problem.

Why not `mcap.reader`: it builds a Python object per message (and, when seeking, a heap entry
per message), which costs more than decoding a JointState, and its errors (EndOfFile,
CRCValidationError, struct.error) carry no byte offset. This module frames the records of the
MCAP spec itself, validates chunk and data-section CRCs, decompresses chunks with the codecs
`mcap` depends on (zstd, lz4) and hands out each chunk's messages as numpy offset arrays.
Message indices count every message of the file in file order, from 0.
"""

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

import lz4.frame
import numpy as np
import zstandard

from robotwork.errors import IngestError
from robotwork.ingest.readers._block import MessageBlock

MAGIC = b"\x89MCAP0\r\n"
_FOOTER, _SCHEMA, _CHANNEL, _MESSAGE, _CHUNK = 0x02, 0x03, 0x04, 0x05, 0x06
_STATISTICS, _METADATA, _METADATA_INDEX, _DATA_END = 0x0B, 0x0C, 0x0D, 0x0F
_RECORD = struct.Struct("<BQ")
_U64 = struct.Struct("<Q")
_FOOTER_SIZE = 9 + 20
_DATA_END_SIZE = 9 + 4
_MESSAGE_HEAD = 2 + 4 + 8 + 8  # channel_id, sequence, log_time, publish_time
_HEAD_COLUMNS = np.arange(1, 9 + _MESSAGE_HEAD)  # record bytes after the opcode
_PENDING_LIMIT = 1 << 20  # unchunked messages are handed out in runs of about this size
_MAX_CHUNK = 1 << 32  # refuse to allocate more for one chunk than a corrupt header claims

_T = TypeVar("_T")


@dataclass(frozen=True)
class Channel:
    """A channel as the readers need it."""

    id: int
    topic: str
    message_encoding: str
    schema_name: str


@dataclass(frozen=True)
class ChunkMessages:
    """The messages of one chunk (or of a run of unchunked messages), in file order."""

    block: MessageBlock
    channel_ids: np.ndarray  # int64, one per message


class McapFile:
    """One MCAP file: its metadata records, and its messages streamed a chunk at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.size = path.stat().st_size
            with open(path, "rb") as stream:
                magic = stream.read(len(MAGIC))
        except OSError as exc:
            raise IngestError(f"{path}: cannot read ({exc.strerror})") from None
        if magic != MAGIC:
            raise self.error("not an MCAP file (no MCAP magic at byte offset 0)")
        self._schemas: dict[int, str] = {}
        self._channels: set[int] = set()
        self._on_channel: Callable[[Channel], None] = lambda channel: None
        self._next_index = 0

    def error(self, text: str) -> IngestError:
        return IngestError(f"{self.path}: {text}")

    def metadata(self) -> list[tuple[str, dict[str, str]]]:
        """(name, map) of every metadata record: through the summary's index when there is
        one, else by walking the records (a file without a summary must still be read)."""
        with self._open() as stream:
            offsets = self._indexed_metadata(stream)
            if offsets is not None:
                return [self._metadata_at(stream, offset) for offset in offsets]
            return [
                self._parse(_metadata, body, at, "metadata")
                for at, op, body in self._frames(stream, len(MAGIC), {_METADATA})
                if op == _METADATA
            ]

    def chunks(self, on_channel: Callable[[Channel], None]) -> Iterator[ChunkMessages]:
        """Every message of the data section in file order, a chunk at a time.

        `on_channel` sees each channel once, before any message of it is handed out.
        Raises IngestError on truncation, bad CRCs, corrupt compression or malformed records.
        """
        self._schemas, self._channels, self._next_index = {}, set(), 0
        self._on_channel = on_channel
        with self._open() as stream:
            check_crc = self._stored_data_crc(stream) != 0
            try:
                yield from self._data_section(stream, check_crc)
            except OSError as exc:
                raise self.error(f"cannot read ({exc.strerror})") from None

    def _open(self) -> BinaryIO:
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise self.error(f"cannot read ({exc.strerror})") from None

    def _data_section(self, stream: BinaryIO, check_crc: bool) -> Iterator[ChunkMessages]:
        at = len(MAGIC)
        stream.seek(at)
        crc = zlib.crc32(MAGIC)
        pending, pending_at = bytearray(), at
        while True:
            head, op, length = self._head(stream, at)
            body = stream.read(length)
            if op != _MESSAGE and pending or len(pending) >= _PENDING_LIMIT:
                yield from self._messages(bytes(pending), pending_at, "messages")
                pending = bytearray()
            if op in (_DATA_END, _FOOTER):
                break
            if check_crc:
                crc = zlib.crc32(body, zlib.crc32(head, crc))
            if op == _MESSAGE:
                pending_at = pending_at if pending else at
                pending += head + body
            elif op == _CHUNK:
                yield from self._messages(self._chunk_records(body, at), at, "chunk")
            elif op in (_SCHEMA, _CHANNEL):
                self._register(op, body, at)
            at += 9 + length
        if op == _DATA_END:
            stored = struct.unpack_from("<I", body)[0] if len(body) >= 4 else 0
            if check_crc and stored and stored != crc:
                raise self.error(f"CRC mismatch in the data section ending at byte offset {at}")
            # walk the summary to the footer (a cut there is a truncation too); channels that
            # never got a message may be listed only there
            for record_at, record_op, record in self._frames(stream, at + 9 + length, {_SCHEMA, _CHANNEL}):
                if record_op in (_SCHEMA, _CHANNEL):
                    self._register(record_op, record, record_at)
        elif stream.read(len(MAGIC)) != MAGIC:
            raise self.error(f"no closing MCAP magic after the footer at byte offset {at}")

    def _head(self, stream: BinaryIO, at: int) -> tuple[bytes, int, int]:
        """Read a record header at `at`; a record running past the end is a truncation."""
        head = stream.read(9)
        if len(head) < 9:
            raise self.error(
                f"truncated at byte offset {self.size}: the file ends inside or "
                f"before the record at byte offset {at} (no footer)"
            )
        op, length = _RECORD.unpack(head)
        if at + 9 + length > self.size:
            raise self.error(
                f"truncated at byte offset {self.size}: the record at byte offset {at} claims {length} bytes"
            )
        return head, op, length

    def _frames(self, stream: BinaryIO, at: int, wanted: set[int]) -> Iterator[tuple[int, int, bytes]]:
        """(offset, opcode, body) from `at` through the footer; unwanted bodies are skipped."""
        stream.seek(at)
        while True:
            _, op, length = self._head(stream, at)
            if op in wanted:
                body = stream.read(length)
            else:
                body = b""
                stream.seek(length, 1)
            yield at, op, body
            at += 9 + length
            if op == _FOOTER:
                if stream.read(len(MAGIC)) != MAGIC:
                    raise self.error(f"no closing MCAP magic at byte offset {at}")
                return

    def _chunk_records(self, body: bytes, at: int) -> bytes:
        """The decompressed, CRC-checked records of the chunk at byte offset `at`."""
        try:
            _, _, size, crc, name_length = struct.unpack_from("<QQQII", body)
            compression = body[32 : 32 + name_length].decode()
            (records_length,) = struct.unpack_from("<Q", body, 32 + name_length)
        except (struct.error, UnicodeDecodeError):
            raise self.error(f"malformed chunk at byte offset {at}") from None
        records = memoryview(body)[40 + name_length : 40 + name_length + records_length]
        if len(records) != records_length or size > _MAX_CHUNK:
            raise self.error(f"malformed chunk at byte offset {at}")
        try:
            if compression == "":
                data = bytes(records)
            elif compression == "zstd":
                data = zstandard.ZstdDecompressor().decompress(records, max_output_size=size)
            elif compression == "lz4":
                data = lz4.frame.decompress(records)
            else:
                raise self.error(f"unsupported compression {compression!r} in the chunk at byte offset {at}")
        except (zstandard.ZstdError, RuntimeError, ValueError) as exc:
            raise self.error(f"corrupt {compression} data in the chunk at byte offset {at} ({exc})") from None
        if len(data) != size:
            raise self.error(f"chunk at byte offset {at} holds {len(data)} bytes, not {size}")
        if crc and zlib.crc32(data) != crc:
            raise self.error(f"CRC mismatch in chunk at byte offset {at}")
        return data

    def _messages(self, buffer: bytes, at: int, where: str) -> Iterator[ChunkMessages]:
        """The message records in `buffer` (a chunk's records) as one ChunkMessages."""
        positions = self._scan(buffer, at, where)
        if not positions:
            return
        starts = np.array(positions, np.int64)
        if starts[-1] + 9 + _MESSAGE_HEAD > len(buffer):
            raise self.error(f"malformed message record in the {where} at byte offset {at}")
        head = np.frombuffer(buffer, np.uint8)[starts[:, None] + _HEAD_COLUMNS]
        lengths = head[:, 0:8].view("<u8")[:, 0].astype(np.int64)
        if (lengths < _MESSAGE_HEAD).any():
            raise self.error(f"malformed message record in the {where} at byte offset {at}")
        count = len(starts)
        indices = np.arange(self._next_index, self._next_index + count, dtype=np.int64)
        self._next_index += count
        block = MessageBlock(
            buffer,
            starts + 9 + _MESSAGE_HEAD,
            starts + 9 + lengths,
            head[:, 14:22].view("<u8")[:, 0].astype(np.int64),
            indices,
        )
        yield ChunkMessages(block, head[:, 8:10].view("<u2")[:, 0].astype(np.int64))

    def _scan(self, buffer: bytes, at: int, where: str) -> list[int]:
        """Offsets of the message records in `buffer`; channels and schemas are registered
        on the way. This loop is the only per-message Python code of a chunk."""
        positions: list[int] = []
        append, unpack = positions.append, _U64.unpack_from
        position, end = 0, len(buffer)
        try:
            while position < end:
                op = buffer[position]
                following = position + 9 + unpack(buffer, position + 1)[0]
                if op == _MESSAGE:
                    append(position)
                elif op in (_CHANNEL, _SCHEMA):
                    self._register(op, buffer[position + 9 : following], at)
                position = following
        except struct.error:
            position = -1
        if position != end:
            raise self.error(f"malformed records in the {where} at byte offset {at}")
        return positions

    def _register(self, op: int, body: bytes, at: int) -> None:
        if op == _SCHEMA:
            schema_id, name = self._parse(_schema, body, at, "schema")
            self._schemas[schema_id] = name
            return
        channel_id, schema_id, topic, encoding = self._parse(_channel, body, at, "channel")
        if channel_id not in self._channels:
            self._channels.add(channel_id)
            self._on_channel(Channel(channel_id, topic, encoding, self._schemas.get(schema_id, "")))

    def _parse(self, parse: Callable[[bytes], _T], body: bytes, at: int, what: str) -> _T:
        try:
            return parse(body)
        except (struct.error, UnicodeDecodeError, ValueError):
            raise self.error(f"malformed {what} record at byte offset {at}") from None

    def _stored_data_crc(self, stream: BinaryIO) -> int | None:
        """The data-section CRC of the DataEnd record, found from the footer without reading
        the file; None when it cannot be found that way (then it is computed anyway)."""
        summary_start = self._summary_start(stream)
        data_end = (summary_start or self.size - len(MAGIC) - _FOOTER_SIZE) - _DATA_END_SIZE
        if summary_start is None and not self._has_footer(stream) or data_end < len(MAGIC):
            return None
        stream.seek(data_end)
        record = stream.read(_DATA_END_SIZE)
        op, length, crc = struct.unpack("<BQI", record)
        return crc if (op, length) == (_DATA_END, 4) else None

    def _has_footer(self, stream: BinaryIO) -> bool:
        if self.size < 2 * len(MAGIC) + _FOOTER_SIZE:
            return False
        stream.seek(self.size - len(MAGIC) - _FOOTER_SIZE)
        tail = stream.read(_FOOTER_SIZE + len(MAGIC))
        op, length = _RECORD.unpack_from(tail)
        return (op, length) == (_FOOTER, 20) and tail.endswith(MAGIC)

    def _summary_start(self, stream: BinaryIO) -> int | None:
        """Where the summary section starts, or None (no valid footer, or no summary)."""
        if not self._has_footer(stream):
            return None
        stream.seek(self.size - len(MAGIC) - _FOOTER_SIZE + 9)
        (start,) = _U64.unpack(stream.read(8))
        return start if len(MAGIC) < start < self.size else None

    def _indexed_metadata(self, stream: BinaryIO) -> list[int] | None:
        """Offsets of the metadata records per the summary, or None when it cannot tell."""
        start = self._summary_start(stream)
        if start is None:
            return None
        offsets, counted = [], None
        for at, op, body in self._frames(stream, start, {_METADATA_INDEX, _STATISTICS}):
            if op == _METADATA_INDEX:
                offsets.append(self._parse(lambda b: _U64.unpack_from(b)[0], body, at, "index"))
            elif op == _STATISTICS:
                counted = self._parse(lambda b: struct.unpack_from("<I", b, 18)[0], body, at, "statistics")
        return offsets if offsets or counted == 0 else None

    def _metadata_at(self, stream: BinaryIO, at: int) -> tuple[str, dict[str, str]]:
        stream.seek(min(at, self.size))
        head = stream.read(9)
        op, length = _RECORD.unpack(head) if len(head) == 9 else (0, 0)
        if op != _METADATA or at + 9 + length > self.size:
            raise self.error(f"the metadata index points to byte offset {at}, which holds no metadata record")
        return self._parse(_metadata, stream.read(length), at, "metadata")


def _string(data: bytes, at: int) -> tuple[str, int]:
    (length,) = struct.unpack_from("<I", data, at)
    end = at + 4 + length
    if end > len(data):
        raise ValueError("string overruns its record")
    return data[at + 4 : end].decode(), end


def _schema(body: bytes) -> tuple[int, str]:
    (schema_id,) = struct.unpack_from("<H", body)
    return schema_id, _string(body, 2)[0]


def _channel(body: bytes) -> tuple[int, int, str, str]:
    channel_id, schema_id = struct.unpack_from("<HH", body)
    topic, at = _string(body, 4)
    encoding, _ = _string(body, at)
    return channel_id, schema_id, topic, encoding


def _metadata(body: bytes) -> tuple[str, dict[str, str]]:
    name, at = _string(body, 0)
    (size,) = struct.unpack_from("<I", body, at)
    at, end = at + 4, at + 4 + size
    if end > len(body):
        raise ValueError("map overruns its record")
    entries = {}
    while at < end:
        key, at = _string(body, at)
        entries[key], at = _string(body, at)
    return name, entries
