"""The demo's operating data: weeks of MCAP recordings from every deployed robot of the program.

Each robot sends one recording per block of days it worked (seven days in the full demo, two
weeks by default: fewer, longer files; several shifts, no joint data between them), half the
fleet as ROS 2 bags (CDR), half as JSON; behaviour.py decides what the robots do so that
scenarios reach every stage of policy.md, and how their intervention rate falls as their
model's harvested hours grow. A few integrity cases are planted among the first robots of the
fleet, so that even a small test fleet has them: a recording copied under another robot's
serial, an earlier block replayed later, and a robot that claims autonomy while its joints
never move.

Speed: ~350 robots over 45 days make ~3.4 million messages. Payloads are made in bulk
(CDR JointStates spliced into one mcap_ros2-serialized template, JSON numbers formatted by Arrow
for a whole recording at once) and written straight through `mcap.writer.Writer`; same seed,
same bytes.
"""

import io
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from mcap.reader import make_reader
from mcap.writer import CompressionType, Writer
from mcap_ros2.writer import Writer as Ros2Writer

from robotwork.demo.behaviour import (
    CONTROL_MODE,
    INTERVENTION,
    SECOND,
    SHANGHAI,
    TASK,
    Content,
    Traits,
    assign_traits,
    first_day,
    joint_names,
    learning,
    week_content,
    worked_days,
)
from robotwork.store.schema import JOINT_STATE_MSGDEF, STRING_MSGDEF

__all__ = ["DemoRecording", "FleetRobot", "plan_fleet", "plan_recordings", "write_demo_recordings"]

JOINT_STATES = "/joint_states"
JOINT_COMMANDS = "/joint_commands"
EVENT_TOPICS = (CONTROL_MODE, TASK, INTERVENTION)
ENCODINGS = ("ros2msg", "json")
_PLANT_AMONG = 12  # planted cases go to the first robots that can hold them
_CHUNK_SIZE = 1024 * 1024
_LIBRARY = "robotwork-demo"  # fixed, so that files are byte-identical from run to run
_JSON_OBJECT = b'{"type": "object"}'
_MARKERS = (1.25, 2.5, 5.0)  # template values of position, velocity, effort


@dataclass(frozen=True)
class FleetRobot:
    """A deployed robot as the demo sees it: where it works, since when, on which tasks."""

    serial: str
    model: str
    scenario_id: str
    site_id: str
    city: str
    built_on: date
    deployed_from: date
    tasks: tuple[str, ...] = ()  # the scenario's task texts


@dataclass(frozen=True)
class DemoRecording:
    """One written file; ``planted`` names the integrity case it is (None for honest data)."""

    path: Path
    serial: str
    start_ns: int
    end_ns: int
    encoding: str
    planted: str | None  # None | "copy" | "replay" | "static"


def plan_fleet(program: Mapping[str, Sequence[Mapping[str, object]]]) -> list[FleetRobot]:
    """The deployed robots of a program document (``build_program``), in the order of its
    robots sheet; a robot deployed more than once works where its latest deployment is."""
    city = {str(s["site_id"]): str(s["city"]) for s in program["sites"]}
    tasks = {str(s["scenario_id"]): _texts(s.get("tasks")) for s in program["scenarios"]}
    latest: dict[str, Mapping[str, object]] = {}
    for d in sorted(program["deployments"], key=lambda d: str(d["start_date"])):
        latest[str(d["robot_serial"])] = d
    fleet = []
    for robot in program["robots"]:
        deployment = latest.get(str(robot["serial"]))
        if deployment is None:
            continue
        site, scenario = str(deployment["site_id"]), str(deployment["scenario_id"])
        fleet.append(
            FleetRobot(
                str(robot["serial"]),
                str(robot["model"]),
                scenario,
                site,
                city[site],
                date.fromisoformat(str(robot["built_on"])),
                date.fromisoformat(str(deployment["start_date"])),
                tasks.get(scenario, ()),
            )
        )
    return fleet


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True)
class _Plants:
    """Where the integrity cases go, as (robot index, block index) places."""

    copy: tuple[int, int, int] | None = None  # source robot, target robot, block
    replay: tuple[int, int, int] | None = None  # robot, original block, replayed block
    static: tuple[int, int] | None = None  # robot, block

    def replaces(self, robot: int, block: int) -> bool:
        """Whether the robot's own week here is replaced by a planted one."""
        return (self.copy is not None and (self.copy[1], self.copy[2]) == (robot, block)) or (
            self.replay is not None and (self.replay[0], self.replay[2]) == (robot, block)
        )


def _plants(fleet: list[FleetRobot], blocks: list[list[date]]) -> _Plants:
    """Plant each case on the first robots able to hold it in full blocks: the copy in the last
    one (its target of the source's model when one is at hand), the replay from a robot's first
    full block into its last, the static block in the last one."""
    full = [k for k, block in enumerate(blocks) if len(block) == len(blocks[0])]
    if not full:
        return _Plants()
    free = list(range(min(len(fleet), _PLANT_AMONG)))

    def ready(i: int, k: int) -> bool:
        return first_day(fleet[i]) <= blocks[k][0]

    copy = replay = static = None
    able = [i for i in free if ready(i, full[-1])]
    if len(able) >= 2:
        same = [i for i in able[1:] if fleet[i].model == fleet[able[0]].model]
        copy = (able[0], (same or able[1:])[0], full[-1])
        free = [i for i in free if i not in copy[:2]]
    for i in free:
        weeks = [k for k in full if ready(i, k)]
        if len(weeks) >= 2:
            replay = (i, weeks[0], weeks[-1])
            free.remove(i)
            break
    able = [i for i in free if ready(i, full[-1])]
    if able:
        static = (able[0], full[-1])
    return _Plants(copy, replay, static)


def block_days(first: date, until: date, size: int = 7) -> list[list[date]]:
    """Consecutive blocks of at most ``size`` days from ``first`` up to the day before
    ``until``: one recording per robot and block."""
    days = [first + timedelta(days=i) for i in range((until - first).days)]
    return [days[i : i + size] for i in range(0, len(days), size)]


@dataclass(frozen=True)
class _Plan:
    """Everything a writer process needs to write any robot's recordings, same bytes anywhere."""

    out_dir: Path
    fleet: list[FleetRobot]
    traits: dict[str, Traits]
    blocks: list[list[date]]
    plants: _Plants
    harvest: dict[str, list[float]]  # model -> fleet hours harvested before each block
    seed: int

    def days(self, index: int, k: int) -> tuple[random.Random, list[date]]:
        robot = self.fleet[index]
        rng = random.Random(f"{self.seed}/{robot.serial}/{self.blocks[k][0].isoformat()}")
        return rng, worked_days(robot, self.traits[robot.serial], self.blocks[k], rng)

    def count(self) -> int:
        """How many files `write_robot` will write for the whole fleet (without writing)."""
        own = sum(
            bool(self.days(i, k)[1]) and not self.plants.replaces(i, k)
            for i in range(len(self.fleet))
            for k in range(len(self.blocks))
        )
        return own + (self.plants.copy is not None) + (self.plants.replay is not None)

    def write_robot(self, index: int) -> list[DemoRecording]:
        """The robot's recordings, one per block it worked, and the planted ones made from them."""
        robot, written = self.fleet[index], []
        for k in range(len(self.blocks)):
            if self.plants.replaces(index, k):
                continue
            rng, days_worked = self.days(index, k)
            static = self.plants.static == (index, k)
            learned = learning(robot.model, self.harvest[robot.model][k])
            content = week_content(
                robot, self.traits[robot.serial], days_worked, rng, static=static, learned=learned
            )
            if content is None:
                continue
            encoding = ENCODINGS[index % 2]
            written.append(_write(self.out_dir, robot, content, encoding, "static" if static else None))
            written += _planted_from(self, index, k, content, encoding)
        return written


def _harvest(
    fleet: list[FleetRobot], traits: dict[str, Traits], blocks: list[list[date]]
) -> dict[str, list[float]]:
    """Operating hours each model's fleet has sent before each block, as the generator expects
    them (routine robots ~2.5 h on 5 days a week, the others ~2 h on 1.5): what it learns from."""
    harvest: dict[str, list[float]] = {}
    for robot in fleet:
        per_day = 2.5 * 5 / 7 if traits[robot.serial].routine else 2.0 * 1.5 / 7
        hours = [per_day * max(0, (b[0] - first_day(robot)).days) for b in blocks]
        harvest[robot.model] = [
            a + b for a, b in zip(harvest.get(robot.model, [0.0] * len(blocks)), hours, strict=True)
        ]
    return harvest


def plan_recordings(
    out_dir: Path, fleet: list[FleetRobot], *, seed: int, today: date, days: int = 45, block: int = 7
) -> _Plan:
    """The recordings of the ``days`` days before ``today``, one per robot and ``block`` days,
    planned but not written (`_Plan.count`, `_Plan.write_robot`)."""
    traits = assign_traits(fleet, seed)
    blocks = block_days(today - timedelta(days=days), today, block)
    return _Plan(
        out_dir, fleet, traits, blocks, _plants(fleet, blocks), _harvest(fleet, traits, blocks), seed
    )


def write_demo_recordings(
    out_dir: Path, fleet: list[FleetRobot], *, seed: int, today: date, days: int = 45, block: int = 7
) -> list[DemoRecording]:
    """Write the fleet's recordings of the ``days`` days before ``today`` into ``out_dir``.

    Same seed and fleet, same bytes. Robots work only from their deployment (and the day after
    they were built) and never on or after ``today``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_recordings(out_dir, fleet, seed=seed, today=today, days=days, block=block)
    return [rec for index in range(len(fleet)) for rec in plan.write_robot(index)]


def _planted_from(
    plan: _Plan, index: int, block: int, content: Content, encoding: str
) -> list[DemoRecording]:
    """The planted recordings made from this robot-block: a copy under the target's serial, or
    the block replayed whole blocks later (into a block the robot did not work)."""
    planted, plants = [], plan.plants
    if plants.copy is not None and (plants.copy[0], plants.copy[2]) == (index, block):
        planted.append(_write(plan.out_dir, plan.fleet[plants.copy[1]], content, encoding, "copy"))
    if plants.replay is not None and (plants.replay[0], plants.replay[1]) == (index, block):
        delta = (plants.replay[2] - block) * len(plan.blocks[0]) * 86_400 * SECOND
        planted.append(_write(plan.out_dir, plan.fleet[index], content.shifted(delta), encoding, "replay"))
    return planted


def _write(
    out_dir: Path, robot: FleetRobot, content: Content, encoding: str, planted: str | None
) -> DemoRecording:
    day = datetime.fromtimestamp(content.start_ns // SECOND, SHANGHAI).date()
    path = out_dir / f"{robot.serial}_{day:%Y%m%d}.mcap"
    identity = {"robot_serial": robot.serial, "site_id": robot.site_id}
    _write_mcap(path, content, tuple(joint_names(robot.model)), identity, encoding)
    return DemoRecording(path, robot.serial, content.start_ns, content.end_ns, encoding, planted)


# -- MCAP encoding ----------------------------------------------------------------------------


def _write_mcap(
    path: Path, content: Content, names: tuple[str, ...], identity: dict[str, str], encoding: str
) -> None:
    """One recording as MCAP, messages in log_time order, with the `robotwork` metadata."""
    cdr = encoding == "ros2msg"
    with path.open("wb") as stream:
        writer = Writer(stream, chunk_size=_CHUNK_SIZE, compression=CompressionType.ZSTD)
        writer.start(profile="ros2" if cdr else "", library=_LIBRARY)
        channels = _channels(writer, cdr)
        times, ids, payloads = _messages(content, names, cdr, channels)
        log_times, add = times.tolist(), writer.add_message
        for i in np.argsort(times, kind="stable").tolist():
            add(ids[i], log_times[i], payloads[i], log_times[i])
        writer.add_metadata("robotwork", identity)
        writer.finish()


def _channels(writer: Writer, cdr: bool) -> dict[str, int]:
    """Channels as rosbag2 writes them (CDR, String events) or as JSON Schema channels."""
    if cdr:
        joint = writer.register_schema("sensor_msgs/msg/JointState", "ros2msg", JOINT_STATE_MSGDEF.encode())
        string = writer.register_schema("std_msgs/msg/String", "ros2msg", STRING_MSGDEF.encode())
        schemas = dict.fromkeys(EVENT_TOPICS, string)
    else:
        joint = writer.register_schema("sensor_msgs/msg/JointState", "jsonschema", _JSON_OBJECT)
        schemas = {
            topic: writer.register_schema(topic.rsplit("/", 1)[-1], "jsonschema", _JSON_OBJECT)
            for topic in EVENT_TOPICS
        }
    schemas |= {JOINT_STATES: joint, JOINT_COMMANDS: joint}
    return {
        topic: writer.register_channel(topic, "cdr" if cdr else "json", schema)
        for topic, schema in sorted(schemas.items())
    }


def _messages(
    content: Content, names: tuple[str, ...], cdr: bool, channels: dict[str, int]
) -> tuple[np.ndarray, list[int], list[bytes]]:
    """Every message of the recording as (log times, channel ids, payloads), unsorted."""
    joints = _cdr_joints if cdr else _json_joints
    states = joints(names, content.times, [content.position, content.velocity, content.effort])
    commands = joints(names, content.command_times, [content.command_position])
    events = [_cdr_string(text) if cdr else text.encode() for _, _, text in content.events]
    times = np.concatenate(
        [content.times, content.command_times, np.array([t for t, _, _ in content.events], np.int64)]
    )
    ids = (
        [channels[JOINT_STATES]] * len(states)
        + [channels[JOINT_COMMANDS]] * len(commands)
        + [channels[topic] for _, topic, _ in content.events]
    )
    return times, ids, states + commands + events


@cache
def _cdr_template(names: tuple[str, ...], arrays: int) -> tuple[bytes, tuple[int, ...]]:
    """A JointState serialized by mcap_ros2 with marker values, and where its first ``arrays``
    float arrays (position, velocity, effort) start; the others are empty."""
    values = [[m] * len(names) if i < arrays else [] for i, m in enumerate(_MARKERS)]
    buffer = io.BytesIO()
    writer = Ros2Writer(buffer)
    schema = writer.register_msgdef("sensor_msgs/msg/JointState", JOINT_STATE_MSGDEF)
    writer.write_message(
        JOINT_STATES,
        schema,
        {
            "header": {"stamp": {"sec": 0, "nanosec": 0}, "frame_id": "base"},
            "name": list(names),
            "position": values[0],
            "velocity": values[1],
            "effort": values[2],
        },
        log_time=0,
    )
    writer.finish()
    buffer.seek(0)
    template = next(iter(make_reader(buffer).iter_messages()))[2].data
    offsets = tuple(template.index(np.float64(m).tobytes() * len(names)) for m in _MARKERS[:arrays])
    return template, offsets


def _cdr_joints(names: tuple[str, ...], times: np.ndarray, arrays: list[np.ndarray]) -> list[bytes]:
    """CDR JointStates in bulk: the template repeated as rows of a byte matrix, the stamp
    (bytes 4-12, after the encapsulation header) and the doubles written column-wise."""
    template, offsets = _cdr_template(names, len(arrays))
    rows = np.tile(np.frombuffer(template, np.uint8), (len(times), 1))
    stamp = np.empty((len(times), 2), "<u4")
    stamp[:, 0], stamp[:, 1] = np.divmod(times, SECOND)
    rows[:, 4:12] = stamp.view(np.uint8)
    for offset, values in zip(offsets, arrays, strict=True):
        rows[:, offset : offset + 8 * len(names)] = np.ascontiguousarray(values, "<f8").view(np.uint8)
    blob, size = rows.tobytes(), len(template)
    return [blob[i : i + size] for i in range(0, len(blob), size)]


def _cdr_string(text: str) -> bytes:
    """A CDR std_msgs/msg/String: little-endian header, length with the NUL, bytes, NUL."""
    data = text.encode()
    return b"\x00\x01\x00\x00" + (len(data) + 1).to_bytes(4, "little") + data + b"\x00"


def _json_joints(names: tuple[str, ...], times: np.ndarray, arrays: list[np.ndarray]) -> list[bytes]:
    """JSON JointStates without a json.dumps per message: Arrow formats the numbers and
    joins the pieces of every message, column by column."""
    secs, nanos = np.divmod(times, SECOND)
    pieces = [
        _text('{"header":{"stamp":{"sec":'),
        _numbers(secs),
        _text(',"nanosec":'),
        _numbers(nanos),
        _text('},"frame_id":"base"},"name":' + json.dumps(list(names), separators=(",", ":"))),
    ]
    for key, values in zip(("position", "velocity", "effort"), arrays, strict=False):
        joined = pa.ListArray.from_arrays(
            pa.array(np.arange(0, values.size + 1, values.shape[1], dtype=np.int32)), _numbers(values.ravel())
        )
        pieces += [_text(f',"{key}":['), pc.binary_join(joined, _text(",")), _text("]")]
    text = pc.binary_join_element_wise(*pieces, _text("}"), _text(""))
    offsets = np.frombuffer(text.buffers()[1], np.int32)[text.offset : text.offset + len(text) + 1]
    blob = text.buffers()[2].to_pybytes()
    return [blob[a:b] for a, b in pairwise(offsets.tolist())]


def _numbers(values: np.ndarray) -> pa.Array:
    """Numbers as their shortest JSON text (Arrow's float formatting, in C++)."""
    return pa.array(values).cast(pa.string())


@cache
def _text(literal: str) -> pa.Scalar:
    """A literal as an Arrow scalar: for a plain str, Arrow retries a failed import (dateutil)
    on every call, which costs more than the work."""
    return pa.scalar(literal)
