"""Camera frames at ingest: CompressedImage topics (CDR, JSON) kept in the `images` table as sent."""

import base64
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from images import decode_rgb, jpeg, png
from mcap.writer import Writer
from mcap_ros2._cdr import CdrWriter, EncapsulationKind
from recordings import (
    CameraFrame,
    Content,
    message_index,
    synthetic_content,
    write_json_mcap,
    write_ros2_mcap,
    write_rosbag2,
)
from registry_docs import province_program, write_json
from test_ingest import IDENTITY, START, ingest_json, refused, visible_files
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.errors import IngestError
from robotwork.ingest.readers import _images, open_recording
from robotwork.store.query import connect
from robotwork.store.schema import IMAGE_SCHEMA, IMAGES, camera_name
from robotwork.store.telemetry import TelemetryStore

WRITERS = {"json": write_json_mcap, "ros2": write_ros2_mcap}
FRONT = "/camera/front/image_raw/compressed"
WRIST = "/wrist_cam/image/compressed"
FRAME_NS = 33_333_333


def with_cameras(content: Content, frames: int = 24) -> Content:
    """`content` plus a JPEG front camera at 30 Hz and a PNG wrist camera at 15 Hz, each frame
    of its own colour so a mixed-up frame shows."""
    start = content.joint_states[0].time_ns
    content.images = [
        CameraFrame(start + i * FRAME_NS, FRONT, jpeg(32, 24, (8 * i % 256, 100, 200))) for i in range(frames)
    ]
    content.images += [
        CameraFrame(start + 2 * i * FRAME_NS + 7, WRIST, png(16, 12, (200, 4 * i % 256, 50)), "png")
        for i in range(frames // 2)
    ]
    return content


def read_tables(path: Path, batch_rows: int = 65536) -> dict[str, pa.Table]:
    """Every table a reader yields for `path`, as one Arrow table each."""
    batches: dict[str, list[pa.RecordBatch]] = {}
    for tb in open_recording(path).batches(batch_rows):
        batches.setdefault(tb.table, []).append(tb.batch)
    return {name: pa.Table.from_batches(b) for name, b in batches.items()}


def frames_of(table: pa.Table) -> list[tuple[int, str, str, bytes]]:
    return sorted(zip(*(table[c].to_pylist() for c in IMAGE_SCHEMA.names), strict=True))


def sent(content: Content) -> list[tuple[int, str, str, bytes]]:
    return sorted((f.time_ns, camera_name(f.topic), f.format, f.data) for f in content.images)


def refusal(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        read_tables(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def cdr_image(fmt: str, data: bytes, kind: EncapsulationKind = EncapsulationKind.CDR_LE) -> bytes:
    """A sensor_msgs/msg/CompressedImage payload written field by field."""
    out = io.BytesIO()
    writer = CdrWriter(out, kind)
    writer.write_int32(1_700_000_000)
    writer.write_uint32(5)
    writer.write_string("front")
    writer.write_string(fmt)
    writer.write_uint32(len(data))
    writer.write_bytes(data)
    return out.getvalue()


# --- camera names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "topic, name",
    [
        ("/camera/front/image_raw/compressed", "camera_front"),
        ("/cam_high", "cam_high"),
        ("/cam_high/compressed", "cam_high"),
        ("/wrist_cam/image/compressed", "wrist_cam"),
        ("/stereo/left/image_rect_color/compressed", "stereo_left"),
        ("/head/image_color/compressed", "head"),
        ("/image_raw/compressed", "camera"),
        ("/compressed", "camera"),
        ("/", "camera"),
        ("/robot 1/cam.front", "robot_1_cam_front"),
        ("/cam-2/image_raw/compressed/compressed", "cam-2"),
        ("/image/front", "image_front"),
    ],
)
def test_camera_name(topic: str, name: str) -> None:
    assert camera_name(topic) == name


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_frames_are_read_as_sent(tmp_path: Path, encoding: str) -> None:
    content = with_cameras(synthetic_content(states=200, joints=3))
    path = WRITERS[encoding](tmp_path / "cams.mcap", content, chunk_size=8192)
    tables = read_tables(path)
    assert tables[IMAGES].schema.equals(IMAGE_SCHEMA)
    assert frames_of(tables[IMAGES]) == sent(content)
    stored = tables[IMAGES]
    front = stored.filter(pa.compute.equal(stored["camera"], "camera_front"))
    assert front["time_ns"].to_pylist() == sorted(front["time_ns"].to_pylist())  # file order
    picture = decode_rgb(stored["data"][0].as_py(), stored["format"][0].as_py())
    assert picture.shape == (24, 32, 3) and np.abs(picture[12, 16].astype(int) - (0, 100, 200)).max() <= 3


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_a_recording_with_cameras_keeps_its_other_rows(tmp_path: Path, encoding: str) -> None:
    plain = WRITERS[encoding](tmp_path / "plain.mcap", synthetic_content(states=300, joints=4))
    cams = WRITERS[encoding](tmp_path / "cams.mcap", with_cameras(synthetic_content(states=300, joints=4)))
    without, with_ = read_tables(plain), read_tables(cams)
    assert IMAGES not in without
    assert {name: t for name, t in with_.items() if name != IMAGES} == without


def test_image_batches_are_cut_by_bytes_and_rows(tmp_path: Path, monkeypatch) -> None:
    content = with_cameras(synthetic_content(states=100, joints=2), frames=40)
    path = write_ros2_mcap(tmp_path / "cams.mcap", content)
    monkeypatch.setattr(_images, "IMAGE_BATCH_BYTES", 3000)
    largest = max(len(f.data) for f in content.images)
    batches = [tb.batch for tb in open_recording(path).batches(batch_rows=7) if tb.table == IMAGES]
    assert len(batches) > len(content.images) // 7
    for batch in batches:
        data = batch.column("data")
        assert batch.num_rows <= 7
        assert sum(len(v) for v in data.to_pylist()) < 3000 + largest
    assert frames_of(pa.Table.from_batches(batches)) == sent(content)


def test_ros_json_form_and_log_time(tmp_path: Path) -> None:
    """A ROS CompressedImage as JSON: `data` an array of byte values, the header stamp ignored."""
    content = synthetic_content(states=20, joints=2)
    picture = png(8, 8, (1, 2, 3))
    raw = {"header": {"stamp": {"sec": 0, "nanosec": 0}}, "format": " PNG ", "data": list(picture)}
    at = content.joint_states[5].time_ns
    content.images = [CameraFrame(at, "/cam_high", b"", raw=json.dumps(raw).encode())]
    stored = read_tables(write_json_mcap(tmp_path / "ros-json.mcap", content))[IMAGES]
    assert frames_of(stored) == [(at, "cam_high", "png", picture)]


@pytest.mark.parametrize(
    "sent_format, kept",
    [
        ("jpeg", "jpeg"),
        ("JPG", "jpeg"),
        ("rgb8; jpeg compressed bgr8", "jpeg"),
        ("bgr8; png compressed bgr8", "png"),
    ],
)
def test_format_names_the_codec(tmp_path: Path, sent_format: str, kept: str) -> None:
    content = synthetic_content(states=10, joints=2)
    content.images = [
        CameraFrame(content.joint_states[1].time_ns, "/cam", jpeg(8, 8, (0, 0, 0)), sent_format)
    ]
    stored = read_tables(write_ros2_mcap(tmp_path / "fmt.mcap", content))[IMAGES]
    assert stored["format"].to_pylist() == [kept]


def test_big_endian_cdr(tmp_path: Path) -> None:
    content = synthetic_content(states=10, joints=2)
    picture = jpeg(16, 16, (9, 9, 9))
    at = content.joint_states[2].time_ns
    content.images = [CameraFrame(at, "/cam", b"", raw=cdr_image("jpeg", picture, EncapsulationKind.CDR_BE))]
    stored = read_tables(write_ros2_mcap(tmp_path / "be.mcap", content))[IMAGES]
    assert frames_of(stored) == [(at, "cam", "jpeg", picture)]


def test_a_protobuf_camera_is_counted_and_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "proto.mcap"
    with open(path, "wb") as stream:
        writer = Writer(stream)
        writer.start()
        mode = writer.register_channel(
            "/robotwork/control_mode", "json", writer.register_schema("control_mode", "jsonschema", b"{}")
        )
        proto = writer.register_channel(
            "/cam/proto", "protobuf", writer.register_schema("foxglove.CompressedImage", "protobuf", b"")
        )
        as_json = writer.register_channel(
            "/cam/json", "json", writer.register_schema("foxglove.CompressedImage", "jsonschema", b"{}")
        )
        picture = jpeg(8, 8, (5, 5, 5))
        frame = {"timestamp": {"sec": 0, "nsec": 0}, "frame_id": "", "format": "jpeg"}
        for t in range(3):
            writer.add_message(mode, log_time=t, data=b'{"mode": "idle"}', publish_time=t)
            writer.add_message(proto, log_time=t, data=b"\x0a\x02\xff\xd8", publish_time=t)
            data = json.dumps({**frame, "data": base64.b64encode(picture).decode()}).encode()
            writer.add_message(as_json, log_time=t, data=data, publish_time=t)
        writer.finish()
    recording = open_recording(path)
    tables: dict[str, pa.Table] = {}
    for tb in recording.batches():
        tables[tb.table] = tb.batch
    assert recording.info.topics["/cam/proto"] == ("foxglove.CompressedImage", 3)
    assert tables[IMAGES]["camera"].to_pylist() == ["cam_json"] * 3


# --- malformed frames --------------------------------------------------------------------------


def bad_frame_file(tmp_path: Path, encoding: str, frame: CameraFrame) -> tuple[Path, int]:
    content = with_cameras(synthetic_content(states=50, joints=3), frames=6)
    content.images.append(frame)
    path = WRITERS[encoding](tmp_path / "rec.mcap", content)
    return path, message_index(content, frame)


AT = 1_767_225_600_100_000_001
GOOD = cdr_image("jpeg", b"\xff\xd8\xff\xe0 not really a picture")


@pytest.mark.parametrize(
    "encoding, frame, reason",
    [
        ("ros2", CameraFrame(AT, FRONT, b"", raw=GOOD[:-5]), "not a CDR CompressedImage (payload of"),
        ("ros2", CameraFrame(AT, FRONT, b"", raw=GOOD[:22]), "not a CDR CompressedImage (payload of"),
        ("ros2", CameraFrame(AT, FRONT, b"", raw=GOOD[:9]), "not a CDR CompressedImage (payload of"),
        ("ros2", CameraFrame(AT, FRONT, b"", raw=b"\x07\x07" + GOOD[2:]), "unsupported CDR encapsulation"),
        (
            "json",
            CameraFrame(AT, FRONT, b"", raw=b'{"format": "jpeg", "data": "@@not base64"}'),
            "not base64",
        ),
        ("json", CameraFrame(AT, FRONT, b"", raw=b'{"format": "jpeg", "data": "/9j/4A="}'), "not base64"),
        ("json", CameraFrame(AT, FRONT, b"", raw=b'{"format": "jpeg"}'), "data is missing"),
        ("json", CameraFrame(AT, FRONT, b"", raw=b'{"format": "jpeg", "data": [1, 300]}'), "byte values"),
        ("json", CameraFrame(AT, FRONT, b"", raw=b'{"data": "/9j/"}'), "format is missing"),
        ("json", CameraFrame(AT, FRONT, b"", raw=b"{not json"), "not JSON"),
        ("json", CameraFrame(AT, FRONT, b"", raw=b"[1, 2]"), "not a JSON object (list)"),
        ("json", CameraFrame(AT, FRONT, b""), "empty data"),
        ("ros2", CameraFrame(AT, FRONT, b""), "empty data"),
        ("json", CameraFrame(AT, FRONT, b"RIFF", "webp"), "format 'webp': robotwork keeps jpeg and png"),
        (
            "ros2",
            CameraFrame(AT, FRONT, b"\x00" * 16, "16UC1; compressedDepth png"),
            "format '16UC1; compressedDepth png': robotwork keeps jpeg and png camera frames",
        ),
    ],
)
def test_bad_frames(tmp_path: Path, encoding: str, frame: CameraFrame, reason: str) -> None:
    path, index = bad_frame_file(tmp_path, encoding, frame)
    message = refusal(path)
    assert message.startswith(f"{path}: message {index} on {FRONT}: "), message
    assert reason in message


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_two_topics_of_one_camera_name(tmp_path: Path, encoding: str) -> None:
    content = with_cameras(synthetic_content(states=50, joints=3), frames=6)
    other = CameraFrame(content.images[3].time_ns + 1, "/camera/front/compressed", jpeg(8, 8, (0, 0, 0)))
    content.images.append(other)
    path = WRITERS[encoding](tmp_path / "rec.mcap", content)
    message = refusal(path)
    assert message == (
        f"{path}: message {message_index(content, other)} on /camera/front/compressed: camera name "
        f"'camera_front' is also that of {FRONT} (rename one of the topics)"
    )


# --- through `robotwork ingest` ----------------------------------------------------------------


@pytest.fixture
def cli(db_url, tmp_path):
    """robotwork on a registry that knows robot R-GD-1, as in test_ingest."""
    home = tmp_path / "home"

    def _run(*args: str):
        return CliRunner().invoke(app, ["--home", str(home), "--db", db_url, *args])

    assert _run("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
    _run.store = home / "telemetry"
    return _run


def camera_content() -> Content:
    content = with_cameras(synthetic_content(states=600, joints=7, start_ns=START))
    content.identity = dict(IDENTITY)
    return content


@pytest.mark.parametrize("kind", ["json", "ros2", "rosbag2"])
def test_ingest_stores_the_frames(cli, tmp_path, kind):
    content = camera_content()
    if kind == "rosbag2":
        path = write_rosbag2(tmp_path / "bag", content, files=3, custom_data=IDENTITY)
    else:
        path = WRITERS[kind](tmp_path / "r.mcap", content)
    [result] = ingest_json(cli, path)
    assert result["status"] == "ingested", result
    assert result["messages"] == 600 + 300 + 5 + len(content.images)
    shown = json.loads(cli("recordings", "show", result["recording_id"][:10], "--json").stdout)
    assert shown["rows"]["images"] == len(content.images) and shown["rows"]["joint_states"] == 600
    assert shown["topics"][FRONT][1] == 24 and shown["topics"][WRIST][1] == 12
    assert any(f.startswith("images/date=2026-09-01/robot=R-GD-1/") for f in shown["files"])
    con = connect(TelemetryStore(str(cli.store)))
    rows = con.execute("SELECT time_ns, camera, format, data, robot FROM images").fetchall()
    assert sorted(r[:4] for r in rows) == sent(content) and {r[4] for r in rows} == {"R-GD-1"}
    again = json.loads(
        cli("query", "SELECT camera, count(*) AS n FROM images GROUP BY 1 ORDER BY 1", "--json").stdout
    )
    assert again == [{"camera": "camera_front", "n": 24}, {"camera": "wrist_cam", "n": 12}]


def test_ingest_without_cameras_is_unchanged(cli, tmp_path):
    content = synthetic_content(states=600, joints=7, start_ns=START)
    content.identity = dict(IDENTITY)
    [result] = ingest_json(cli, write_json_mcap(tmp_path / "r.mcap", content))
    assert result["status"] == "ingested"
    shown = json.loads(cli("recordings", "show", result["recording_id"][:10], "--json").stdout)
    assert "images" not in shown["rows"] and not any(f.startswith("images/") for f in shown["files"])
    assert not any(f.startswith("images/") for f in visible_files(cli.store))
    empty = cli("query", "SELECT time_ns, camera, format, data, date, robot FROM images", "--json")
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []


def test_the_evidence_reads_no_frames(cli, tmp_path):
    """Deriving (at ingest and on rebuild) leaves the frame files unread: they are no evidence,
    and most of a recording's bytes."""
    [result] = ingest_json(cli, write_ros2_mcap(tmp_path / "r.mcap", camera_content()))
    assert result["status"] == "ingested", result
    before = cli("metrics", "--json").stdout
    for part in (cli.store / "images").rglob("*.parquet"):
        part.write_bytes(b"not parquet")
    rebuilt = cli("rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert cli("metrics", "--json").stdout == before


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_a_bad_frame_stores_nothing(cli, tmp_path, encoding):
    content = camera_content()
    content.images.append(CameraFrame(START + 5 * FRAME_NS + 1, FRONT, b"RIFF", "webp"))
    out = refused(cli, tmp_path, WRITERS[encoding](tmp_path / "r.mcap", content))
    assert f"on {FRONT}: format 'webp'" in out["error"]


def test_two_topics_of_one_camera_store_nothing(cli, tmp_path):
    content = camera_content()
    content.images.append(CameraFrame(START + 1, "/camera/front", jpeg(8, 8, (0, 0, 0))))
    out = refused(cli, tmp_path, write_rosbag2(tmp_path / "bag", content, custom_data=IDENTITY))
    assert "camera name 'camera_front' is also that of" in out["error"]


def test_a_frame_in_the_future(cli, tmp_path):
    content = camera_content()
    future = int(datetime(2031, 1, 1, tzinfo=UTC).timestamp()) * 10**9
    content.images.append(CameraFrame(future, "/cam_high", jpeg(8, 8, (0, 0, 0))))
    out = refused(cli, tmp_path, write_json_mcap(tmp_path / "r.mcap", content))
    assert f"camera frame {len(content.images) - 1} (camera cam_high): time 2031-01-01" in out["error"]
    assert out["error"].endswith("is in the future")
