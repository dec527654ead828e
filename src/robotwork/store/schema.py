"""The shape of decoded operating data: the Arrow schemas readers produce and the store keeps.

Readers (MCAP json / ros2, rosbag2 folders, LeRobot folders) yield `TableBatch`es of these
schemas; the store writes them as Parquet. Times are integer nanoseconds UTC (MCAP log_time).
Joint vectors are fixed-size lists: one recording has one joint layout (its `joint_names`).
Camera frames (`images`) are kept as sent, compressed, one row per frame, named by camera.
"""

import re
from dataclasses import dataclass, field

import pyarrow as pa

JOINT_STATES = "joint_states"
JOINT_COMMANDS = "joint_commands"
CONTROL_MODE = "control_mode"
TASKS = "tasks"
INTERVENTIONS = "interventions"
IMAGES = "images"
TABLES = (JOINT_STATES, JOINT_COMMANDS, CONTROL_MODE, TASKS, INTERVENTIONS, IMAGES)

CONTROL_MODES = ("autonomous", "teleoperated", "scripted", "idle", "fault")
TASK_EVENTS = ("start", "success", "failure", "abort")
INTERVENTION_KINDS = ("takeover", "correction", "estop", "assist")
INITIATORS = ("system", "onsite_operator", "remote_operator")

# ROS 2 message definitions (ros2msg) of the interchange format's CDR topics, as rosbag2 stores
# them in an MCAP schema record: writers of test files, the demo and the benchmark share them.
_HEADER_MSGDEFS = """================================================================================
MSG: std_msgs/Header
builtin_interfaces/Time stamp
string frame_id
================================================================================
MSG: builtin_interfaces/Time
int32 sec
uint32 nanosec
"""
JOINT_STATE_MSGDEF = (
    """std_msgs/Header header
string[] name
float64[] position
float64[] velocity
float64[] effort
"""
    + _HEADER_MSGDEFS
)
STRING_MSGDEF = "string data\n"
COMPRESSED_IMAGE_MSGDEF = (
    """std_msgs/Header header
string format
uint8[] data
"""
    + _HEADER_MSGDEFS
)

TOPICS = {
    "/joint_states": JOINT_STATES,
    "/joint_commands": JOINT_COMMANDS,
    "/robotwork/control_mode": CONTROL_MODE,
    "/robotwork/task": TASKS,
    "/robotwork/intervention": INTERVENTIONS,
}

# A channel of one of these schemas is a camera, whatever its topic (ROS names match with or
# without "/msg/"). Its frames are kept in `images` in the codec named by `format`.
IMAGE_SCHEMAS = ("sensor_msgs/msg/CompressedImage", "foxglove.CompressedImage")
IMAGE_FORMATS = ("jpeg", "png")
IMAGE_SCHEMA = pa.schema(
    [
        pa.field("time_ns", pa.int64(), nullable=False),
        pa.field("camera", pa.string(), nullable=False),
        pa.field("format", pa.string(), nullable=False),
        pa.field("data", pa.binary(), nullable=False),
    ]
)

# image_transport adds these segments to a camera's base topic; they name the transport or the
# processing stage, not the camera.
_TRANSPORT_SEGMENTS = {"compressed", "image_raw", "image", "image_color", "image_rect_color"}
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]")


def camera_name(topic: str) -> str:
    """The camera a frame topic belongs to, as datasets name it (`observation.images.<name>`).

    The leading ``/`` is stripped (empty segments too), trailing transport segments
    (``compressed``, ``image_raw``, ``image``, ``image_color``, ``image_rect_color``) are
    dropped, the remaining segments are joined with ``_`` and any character outside
    ``[A-Za-z0-9_-]`` becomes ``_``; nothing left is ``camera``. So
    ``/camera/front/image_raw/compressed`` is ``camera_front`` and ``/cam_high`` is ``cam_high``.
    """
    segments = [segment for segment in topic.split("/") if segment]
    while segments and segments[-1] in _TRANSPORT_SEGMENTS:
        segments.pop()
    return _NOT_NAME.sub("_", "_".join(segments)) or "camera"


def joint_schema(n_joints: int) -> pa.Schema:
    """Schema of `joint_states` / `joint_commands` for a recording with `n_joints` joints.

    velocity and effort are null where the message carried none (commands usually carry none).
    """
    vec = pa.list_(pa.float64(), n_joints)
    return pa.schema(
        [
            pa.field("time_ns", pa.int64(), nullable=False),
            pa.field("position", vec, nullable=False),
            pa.field("velocity", vec),
            pa.field("effort", vec),
        ]
    )


EVENT_SCHEMAS: dict[str, pa.Schema] = {
    CONTROL_MODE: pa.schema(
        [
            pa.field("time_ns", pa.int64(), nullable=False),
            pa.field("mode", pa.string(), nullable=False),
            pa.field("operator", pa.string()),
        ]
    ),
    TASKS: pa.schema(
        [
            pa.field("time_ns", pa.int64(), nullable=False),
            pa.field("event", pa.string(), nullable=False),
            pa.field("task", pa.string()),
        ]
    ),
    INTERVENTIONS: pa.schema(
        [
            pa.field("time_ns", pa.int64(), nullable=False),
            pa.field("kind", pa.string(), nullable=False),
            pa.field("initiated_by", pa.string()),
            pa.field("reason", pa.string()),
        ]
    ),
}


@dataclass(frozen=True)
class TableBatch:
    """A batch of rows for one table of one recording."""

    table: str
    batch: pa.RecordBatch


@dataclass
class RecordingInfo:
    """What a reader learned about a recording besides its rows.

    `identity` holds robot_serial / scenario_id / site_id / software_version as found in the
    file (MCAP metadata record ``robotwork`` or rosbag2 ``custom_data``); the command line may
    override them. `topics` maps every topic found to (schema name, message count), so a
    recording without the topics robotwork needs can be answered with what it does have.
    """

    identity: dict[str, str] = field(default_factory=dict)
    topics: dict[str, tuple[str, int]] = field(default_factory=dict)
    joint_names: list[str] = field(default_factory=list)
    start_ns: int | None = None
    end_ns: int | None = None
    messages: int = 0
