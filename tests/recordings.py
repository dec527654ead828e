"""Write robot recordings for tests, the way robots send them (see shared/spec/operating-data.md).

Describe what the robot did as a `Content` (joint samples, `/robotwork/*` events and camera
frames), then write it as an MCAP file with JSON messages (`write_json_mcap`), with ROS 2 CDR
messages (`write_ros2_mcap`, through `mcap_ros2.writer.Writer`), or as a rosbag2 folder split
over several files (`write_rosbag2`). `synthetic_content` builds a deterministic `Content` of
any size, for round trips and benchmarks. An event payload given as a `str`, and a camera
frame's `raw` payload, are written verbatim, so malformed-input tests can send what they like.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from mcap.reader import make_reader
from mcap.records import ChunkIndex
from mcap.writer import CompressionType, IndexType
from mcap.writer import Writer as McapWriter
from mcap_ros2.writer import Writer as Ros2Writer

from robotwork.store.schema import COMPRESSED_IMAGE_MSGDEF, JOINT_STATE_MSGDEF, STRING_MSGDEF

CONTROL_MODE_TOPIC = "/robotwork/control_mode"
TASK_TOPIC = "/robotwork/task"
INTERVENTION_TOPIC = "/robotwork/intervention"
JSON_IMAGE_SCHEMA = "foxglove.CompressedImage"
ROS_IMAGE_SCHEMA = "sensor_msgs/msg/CompressedImage"


_COMPRESSION = {"zstd": CompressionType.ZSTD, "lz4": CompressionType.LZ4, "none": CompressionType.NONE}
_JOINT_STATE_JSON_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {
            "header": {"type": "object"},
            "name": {"type": "array", "items": {"type": "string"}},
            "position": {"type": "array", "items": {"type": "number"}},
            "velocity": {"type": "array", "items": {"type": "number"}},
            "effort": {"type": "array", "items": {"type": "number"}},
        },
    }
).encode()
_COMPRESSED_IMAGE_JSON_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {
            "timestamp": {"type": "object"},
            "frame_id": {"type": "string"},
            "data": {"type": "string", "contentEncoding": "base64"},
            "format": {"type": "string"},
        },
    }
).encode()


@dataclass
class JointSample:
    """One JointState: `velocity` / `effort` of None are sent as empty arrays."""

    time_ns: int
    position: list[float]
    velocity: list[float] | None = None
    effort: list[float] | None = None
    names: list[str] | None = None  # None: the content's joint_names


@dataclass
class Event:
    """One message on a `/robotwork/*` topic; a `str` payload is sent as is (malformed tests)."""

    time_ns: int
    topic: str
    payload: dict[str, Any] | str


@dataclass
class CameraFrame:
    """One compressed camera frame on `topic` (JPEG or PNG bytes in `data`, codec in `format`).

    `raw`, when given, is sent verbatim as the whole message payload (malformed tests).
    """

    time_ns: int
    topic: str
    data: bytes
    format: str = "jpeg"
    raw: bytes | None = None


Item = JointSample | Event | CameraFrame


@dataclass
class Content:
    """What a robot recorded: the same content can be written in every format."""

    joint_names: list[str]
    joint_states: list[JointSample] = field(default_factory=list)
    joint_commands: list[JointSample] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    identity: dict[str, str] | None = None  # the MCAP metadata record `robotwork`
    images: list[CameraFrame] = field(default_factory=list)

    def messages(self, shuffle: int | None = None) -> list[tuple[int, str, Item]]:
        """Every message as (log_time, topic, item), in time order (stable on ties), or in a
        random file order seeded by `shuffle` (MCAP allows any order)."""
        items: list[tuple[int, str, Item]] = []
        items += [(s.time_ns, "/joint_states", s) for s in self.joint_states]
        items += [(s.time_ns, "/joint_commands", s) for s in self.joint_commands]
        items += [(e.time_ns, e.topic, e) for e in self.events]
        items += [(f.time_ns, f.topic, f) for f in self.images]
        items.sort(key=lambda item: item[0])
        if shuffle is not None:
            random.Random(shuffle).shuffle(items)
        return items


def message_index(content: Content, item: Item) -> int:
    """The index of `item` among all messages of the file written from `content` (0-based,
    file order), as readers report it in errors."""
    return next(i for i, (_, _, other) in enumerate(content.messages()) if other is item)


def control_mode(time_ns: int, mode: str, operator: str | None = None) -> Event:
    """A `/robotwork/control_mode` event."""
    payload: dict[str, Any] = {"mode": mode}
    if operator is not None:
        payload["operator"] = operator
    return Event(time_ns, CONTROL_MODE_TOPIC, payload)


def task(time_ns: int, event: str, text: str | None = None) -> Event:
    """A `/robotwork/task` event."""
    payload: dict[str, Any] = {"event": event}
    if text is not None:
        payload["task"] = text
    return Event(time_ns, TASK_TOPIC, payload)


def intervention(
    time_ns: int, kind: str, initiated_by: str | None = None, reason: str | None = None
) -> Event:
    """A `/robotwork/intervention` event."""
    payload: dict[str, Any] = {"kind": kind}
    if initiated_by is not None:
        payload["initiated_by"] = initiated_by
    if reason is not None:
        payload["reason"] = reason
    return Event(time_ns, INTERVENTION_TOPIC, payload)


def synthetic_content(
    *,
    states: int = 1000,
    joints: int = 7,
    rate_hz: int = 100,
    start_ns: int = 1_767_225_600_000_000_000,
    seed: int = 0,
    commands: bool = True,
    events: bool = True,
) -> Content:
    """A deterministic recording: `states` joint samples at `rate_hz`, commands on every other
    sample, and a few control-mode, task and intervention events spread over it."""
    rng = np.random.default_rng(seed)
    period = 1_000_000_000 // rate_hz
    names = [f"joint_{i:02d}" for i in range(joints)]
    position = np.cumsum(rng.normal(0, 0.01, (states, joints)), axis=0)
    velocity = rng.normal(0, 0.1, (states, joints))
    effort = rng.normal(0, 1.0, (states, joints))
    times = [start_ns + i * period for i in range(states)]
    content = Content(joint_names=names)
    content.joint_states = [
        JointSample(t, p.tolist(), v.tolist(), e.tolist())
        for t, p, v, e in zip(times, position, velocity, effort, strict=True)
    ]
    if commands:
        content.joint_commands = [
            JointSample(times[i] + period // 2, (position[i] + 0.001).tolist()) for i in range(0, states, 2)
        ]
    if events and states:
        end = times[-1]
        content.events = [
            control_mode(start_ns, "teleoperated", "op-7"),
            task(start_ns + 1, "start", "pick box"),
            intervention(start_ns + (end - start_ns) // 3, "takeover", "remote_operator", "slip"),
            control_mode(start_ns + (end - start_ns) // 2, "autonomous"),
            task(end, "success", "pick box"),
        ]
    return content


def write_json_mcap(
    path: Path,
    content: Content,
    *,
    chunk_size: int = 1024 * 1024,
    compression: str = "zstd",
    summary: bool = True,
    chunked: bool = True,
    shuffle: int | None = None,
) -> Path:
    """Write `content` as an MCAP file with JSON messages (JSON Schema channels).

    `summary=False` writes no summary section and no indexes (readers must not depend on
    them); `chunked=False` writes messages as top-level records, as streaming writers may.
    """
    options: dict[str, Any] = {"use_chunking": chunked}
    if not summary:
        options.update(
            index_types=IndexType.NONE,
            repeat_channels=False,
            repeat_schemas=False,
            use_statistics=False,
            use_summary_offsets=False,
        )
    with open(path, "wb") as stream:
        writer = McapWriter(stream, chunk_size=chunk_size, compression=_COMPRESSION[compression], **options)
        writer.start(profile="", library="robotwork-tests")
        joint_schema = writer.register_schema(
            "sensor_msgs/msg/JointState", "jsonschema", _JOINT_STATE_JSON_SCHEMA
        )
        channels: dict[str, int] = {}
        image_schema: int | None = None
        for time_ns, topic, item in content.messages(shuffle):
            if topic not in channels:
                if isinstance(item, JointSample):
                    schema = joint_schema
                elif isinstance(item, CameraFrame):
                    if image_schema is None:
                        image_schema = writer.register_schema(
                            JSON_IMAGE_SCHEMA, "jsonschema", _COMPRESSED_IMAGE_JSON_SCHEMA
                        )
                    schema = image_schema
                else:
                    schema = writer.register_schema(
                        topic.rsplit("/", 1)[-1], "jsonschema", b'{"type": "object"}'
                    )
                channels[topic] = writer.register_channel(topic, "json", schema)
            data = _json_payload(item, content.joint_names)
            writer.add_message(channels[topic], log_time=time_ns, data=data, publish_time=time_ns)
        if content.identity is not None:
            writer.add_metadata("robotwork", content.identity)
        writer.finish()
    return path


def write_ros2_mcap(
    path: Path,
    content: Content,
    *,
    chunk_size: int = 1024 * 1024,
    compression: str = "zstd",
    shuffle: int | None = None,
) -> Path:
    """Write `content` as a ROS 2 MCAP (CDR), as rosbag2 does: JointState for the joint topics,
    std_msgs/msg/String holding the JSON object for `/robotwork/*`, CompressedImage for cameras."""
    with open(path, "wb") as stream:
        writer = Ros2Writer(stream, chunk_size=chunk_size, compression=_COMPRESSION[compression])
        _write_ros2_messages(writer, content.messages(shuffle), content.joint_names)
        if content.identity is not None:
            writer.add_metadata("robotwork", content.identity)
        writer.finish()
    return path


def write_rosbag2(
    folder: Path,
    content: Content,
    *,
    files: int = 3,
    custom_data: dict[str, str] | None = None,
    metadata_yaml: bool = True,
) -> Path:
    """Write `content` as a rosbag2 folder: `files` CDR .mcap files split by message count, and
    a `metadata.yaml` listing them (with `custom_data`) unless `metadata_yaml` is False."""
    folder.mkdir(parents=True, exist_ok=True)
    messages = content.messages()
    name = folder.name
    paths = []
    for index, part in enumerate(_split(messages, files)):
        path = folder / f"{name}_{index}.mcap"
        with open(path, "wb") as stream:
            writer = Ros2Writer(stream)
            _write_ros2_messages(writer, part, content.joint_names)
            writer.finish()
        paths.append(path.name)
    if metadata_yaml:
        (folder / "metadata.yaml").write_text(
            yaml.safe_dump(_bag_metadata(messages, paths, custom_data), sort_keys=False)
        )
    return folder


def _json_payload(item: Item, joint_names: list[str]) -> bytes:
    """The JSON bytes of one message (an Event's `str` payload, a frame's `raw`, verbatim)."""
    if isinstance(item, Event):
        return item.payload.encode() if isinstance(item.payload, str) else json.dumps(item.payload).encode()
    sec, nanosec = divmod(item.time_ns, 1_000_000_000)
    if isinstance(item, CameraFrame):
        if item.raw is not None:
            return item.raw
        return json.dumps(
            {
                "timestamp": {"sec": sec, "nsec": nanosec},
                "frame_id": item.topic,
                "data": base64.b64encode(item.data).decode(),
                "format": item.format,
            }
        ).encode()
    return json.dumps(
        {
            "header": {"stamp": {"sec": sec, "nanosec": nanosec}, "frame_id": ""},
            "name": item.names if item.names is not None else joint_names,
            "position": item.position,
            "velocity": item.velocity or [],
            "effort": item.effort or [],
        }
    ).encode()


def _write_ros2_messages(
    writer: Ros2Writer, messages: list[tuple[int, str, Any]], joint_names: list[str]
) -> None:
    """Write messages through mcap_ros2, registering the three schemas once."""
    joint_state = writer.register_msgdef("sensor_msgs/msg/JointState", JOINT_STATE_MSGDEF)
    string = writer.register_msgdef("std_msgs/msg/String", STRING_MSGDEF)
    image = writer.register_msgdef(ROS_IMAGE_SCHEMA, COMPRESSED_IMAGE_MSGDEF)
    for time_ns, topic, item in messages:
        if isinstance(item, Event):
            data = item.payload if isinstance(item.payload, str) else json.dumps(item.payload)
            writer.write_message(topic, string, {"data": data}, log_time=time_ns)
            continue
        sec, nanosec = divmod(time_ns, 1_000_000_000)
        if isinstance(item, CameraFrame):
            if item.raw is not None:
                _write_raw(writer, topic, image.id, item.raw, time_ns)
                continue
            frame = {
                "header": {"stamp": {"sec": sec, "nanosec": nanosec}, "frame_id": topic},
                "format": item.format,
                "data": item.data,
            }
            writer.write_message(topic, image, frame, log_time=time_ns)
            continue
        message = {
            "header": {"stamp": {"sec": sec, "nanosec": nanosec}, "frame_id": "base"},
            "name": item.names if item.names is not None else joint_names,
            "position": item.position,
            "velocity": item.velocity or [],
            "effort": item.effort or [],
        }
        writer.write_message(topic, joint_state, message, log_time=time_ns)


def _write_raw(writer: Ros2Writer, topic: str, schema_id: int, data: bytes, time_ns: int) -> None:
    """Write a payload verbatim: mcap_ros2 encodes all it writes, so this goes to the MCAP writer
    under it, on the topic's channel (the one mcap_ros2 uses, registered here if not yet)."""
    channels = writer._channel_ids
    if topic not in channels:
        channels[topic] = writer._writer.register_channel(topic, "cdr", schema_id)
    writer._writer.add_message(channels[topic], log_time=time_ns, data=data, publish_time=time_ns)


def _split(messages: list[Any], parts: int) -> Iterator[list[Any]]:
    """Cut `messages` into `parts` consecutive runs of nearly equal length."""
    bounds = np.linspace(0, len(messages), parts + 1).astype(int)
    for start, end in itertools.pairwise(bounds):
        yield messages[start:end]


def _bag_metadata(
    messages: list[tuple[int, str, Any]], paths: list[str], custom_data: dict[str, str] | None
) -> dict[str, Any]:
    """A rosbag2 `metadata.yaml` document (format version 8) describing the written files."""
    counts: dict[str, int] = {}
    types: dict[str, str] = {}
    for _, topic, item in messages:
        counts[topic] = counts.get(topic, 0) + 1
        types[topic] = (
            ROS_IMAGE_SCHEMA
            if isinstance(item, CameraFrame)
            else "std_msgs/msg/String"
            if topic.startswith("/robotwork/")
            else "sensor_msgs/msg/JointState"
        )
    start = messages[0][0] if messages else 0
    end = messages[-1][0] if messages else 0
    return {
        "rosbag2_bagfile_information": {
            "version": 8,
            "storage_identifier": "mcap",
            "duration": {"nanoseconds": end - start},
            "starting_time": {"nanoseconds_since_epoch": start},
            "message_count": len(messages),
            "topics_with_message_count": [
                {
                    "topic_metadata": {
                        "name": topic,
                        "serialization_format": "cdr",
                        "type": types[topic],
                    },
                    "message_count": count,
                }
                for topic, count in counts.items()
            ],
            "compression_format": "",
            "compression_mode": "",
            "relative_file_paths": paths,
            "files": [{"path": p} for p in paths],
            "custom_data": custom_data,
            "ros_distro": "jazzy",
        }
    }


def chunk_index(path: Path, number: int) -> ChunkIndex:
    """Where the `number`th chunk of a file is, per the mcap library."""
    with open(path, "rb") as stream:
        summary = make_reader(stream).get_summary()
    assert summary is not None
    return summary.chunk_indexes[number]
