"""A recording stored as MCAP: one file, or the files of a rosbag2 folder read as one.

Messages are routed by topic: the `TOPICS` of schema.py go to a decoder chosen by the
channel's message encoding (`json` or `cdr`). A channel of a CompressedImage schema (any topic)
is a camera whose frames go to `images`, named by `camera_name(topic)`; camera channels in
another encoding (protobuf, flatbuffer) are not read. Every other topic is only counted, so
`info.topics` can say what a recording holds even when robotwork takes nothing from it.
Rows come out in file order (recorders write in log_time order); a split bag is one
recording, so its files share one joint layout and one topic per camera name.
"""

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from robotwork.ingest.readers import _cdr, _json
from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._events import EventTable, decode_events
from robotwork.ingest.readers._identity import identity
from robotwork.ingest.readers._images import ImageTable
from robotwork.ingest.readers._joints import JointLayout, JointTable
from robotwork.ingest.readers._mcap_file import Channel, ChunkMessages, McapFile
from robotwork.store.schema import (
    EVENT_SCHEMAS,
    IMAGE_SCHEMAS,
    IMAGES,
    JOINT_COMMANDS,
    JOINT_STATES,
    TOPICS,
    RecordingInfo,
    TableBatch,
    camera_name,
)

_JOINT_DECODERS = {"cdr": _cdr.decode_joint_states, "json": _json.decode_joint_states}
_CDR_SCHEMAS = {JOINT_STATES: "sensor_msgs/msg/JointState", JOINT_COMMANDS: "sensor_msgs/msg/JointState"}
_CDR_EVENT_SCHEMA = "std_msgs/msg/String"
_ROS_IMAGE_SCHEMA = "sensor_msgs/CompressedImage"  # as compared: without "/msg/"


class McapRecording:
    """MCAP files read as one recording; `identity` is known at open, `info` after reading."""

    def __init__(self, paths: list[Path], *, custom_data: dict[str, str] | None = None) -> None:
        self._files = [McapFile(path) for path in paths]
        records = [(f.path, name, entries) for f in self._files for name, entries in f.metadata()]
        self.identity = identity(records, custom_data or {})
        self.info = RecordingInfo(identity=dict(self.identity))

    def batches(self, batch_rows: int = 65536) -> Iterator[TableBatch]:
        """Stream every table as Arrow batches of at most `batch_rows` rows."""
        if batch_rows < 1:
            raise ValueError("batch_rows must be positive")
        self.info = RecordingInfo(identity=dict(self.identity))
        reading = _Reading(self.info, batch_rows)
        for file in self._files:
            yield from reading.read(file)
        yield from reading.finish()


class _Reading:
    """One pass over a recording: its joint layout, table accumulators and info."""

    def __init__(self, info: RecordingInfo, batch_rows: int) -> None:
        self.info = info
        self.batch_rows = batch_rows
        self.layout = JointLayout()
        self.tables: dict[str, JointTable | EventTable | ImageTable] = {
            JOINT_STATES: JointTable(JOINT_STATES),
            JOINT_COMMANDS: JointTable(JOINT_COMMANDS),
            **{table: EventTable(table) for table in EVENT_SCHEMAS},
            IMAGES: ImageTable(),
        }
        self.cameras: dict[str, str] = {}  # camera name -> the topic that has it

    def read(self, file: McapFile) -> Iterator[TableBatch]:
        channels: dict[int, Channel] = {}
        for chunk in file.chunks(lambda channel: self._add_channel(channels, channel)):
            self._count(file, chunk, channels)
            for name, channel, block in _runs(chunk, channels):
                self._decode(file, name, channel, block)
            for table in self.tables.values():
                yield from table.batches(self.batch_rows)

    def finish(self) -> Iterator[TableBatch]:
        for table in self.tables.values():
            yield from table.batches(self.batch_rows, final=True)
        self.info.joint_names = self.layout.joint_names()

    def _add_channel(self, channels: dict[int, Channel], channel: Channel) -> None:
        channels[channel.id] = channel
        self.info.topics.setdefault(channel.topic, (channel.schema_name, 0))

    def _count(self, file: McapFile, chunk: ChunkMessages, channels: dict[int, Channel]) -> None:
        """Message counts per topic and the time span, over all topics."""
        ids, block = chunk.channel_ids, chunk.block
        for channel_id, count in zip(*(a.tolist() for a in np.unique(ids, return_counts=True)), strict=True):
            if channel_id not in channels:
                first = int(block.indices[np.flatnonzero(ids == channel_id)[0]])
                raise file.error(f"message {first}: unknown channel id {channel_id}")
            topic = channels[channel_id].topic
            schema_name, total = self.info.topics[topic]
            self.info.topics[topic] = (schema_name, total + count)
        self.info.messages += len(ids)
        start, end = int(block.log_times.min()), int(block.log_times.max())
        self.info.start_ns = start if self.info.start_ns is None else min(self.info.start_ns, start)
        self.info.end_ns = end if self.info.end_ns is None else max(self.info.end_ns, end)

    def _decode(self, file: McapFile, table: str, channel: Channel, block: MessageBlock) -> None:
        try:
            accumulator = self.tables[table]
            if isinstance(accumulator, ImageTable):
                accumulator.add(self._camera(channel.topic), block, channel.message_encoding)
                return
            _check_channel(channel, table)
            if isinstance(accumulator, JointTable):
                check = self.layout.check_state if table == JOINT_STATES else self.layout.check_command
                decode = _JOINT_DECODERS[channel.message_encoding]
                accumulator.add(decode(block, check))
            else:
                accumulator.add(decode_events(table, block, channel.message_encoding))
        except BadMessage as bad:
            raise file.error(
                f"message {int(block.indices[bad.row])} on {channel.topic}: {bad.reason}"
            ) from None

    def _camera(self, topic: str) -> str:
        """The camera name of `topic`; two topics of one recording may not share one."""
        name = camera_name(topic)
        owner = self.cameras.setdefault(name, topic)
        if owner != topic:
            raise BadMessage(0, f"camera name {name!r} is also that of {owner} (rename one of the topics)")
        return name


def _table_of(channel: Channel) -> str | None:
    """The table a channel's messages go to, or None when they are only counted."""
    table = TOPICS.get(channel.topic)
    if table is not None:
        return table
    schema = channel.schema_name.replace("/msg/", "/")
    if schema in (name.replace("/msg/", "/") for name in IMAGE_SCHEMAS):
        encoding = channel.message_encoding
        if encoding == "json" or (encoding == "cdr" and schema == _ROS_IMAGE_SCHEMA):
            return IMAGES
    return None


def _check_channel(channel: Channel, table: str) -> None:
    """robotwork topics must be json, or cdr of the expected ROS 2 type."""
    encoding = channel.message_encoding
    if encoding not in ("json", "cdr"):
        raise BadMessage(0, f"message encoding {encoding!r} (robotwork reads json and cdr)")
    expected = _CDR_SCHEMAS.get(table, _CDR_EVENT_SCHEMA)
    if encoding == "cdr" and channel.schema_name.replace("/msg/", "/") != expected.replace("/msg/", "/"):
        raise BadMessage(0, f"schema {channel.schema_name!r} where {expected} is expected")


def _runs(chunk: ChunkMessages, channels: dict[int, Channel]) -> Iterator[tuple[str, Channel, MessageBlock]]:
    """The chunk's messages robotwork keeps, per table in file order, cut into runs of one
    channel (a topic normally has one channel, so normally one run per table; frames of
    several cameras interleave, so `images` has a run per frame or so)."""
    ids = chunk.channel_ids
    by_table: dict[str, list[int]] = {}
    for channel_id in np.unique(ids).tolist():
        table = _table_of(channels[channel_id])
        if table is not None:
            by_table.setdefault(table, []).append(channel_id)
    for table, channel_ids in by_table.items():
        rows = np.flatnonzero(np.isin(ids, channel_ids))
        cuts = np.flatnonzero(np.diff(ids[rows])) + 1
        for run in np.split(rows, cuts):
            yield table, channels[int(ids[run[0]])], chunk.block.take(run)
