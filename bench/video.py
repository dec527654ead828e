"""Camera export: what `observation.images.*` videos cost, against PyAV doing the same work.

    .venv/bin/python bench/video.py [--frames 3000] [--width 320] [--height 240]

Writes one ROS 2 (CDR) MCAP recording: joint states and commands (8 joints, 100 Hz) and one
camera sending `--width` x `--height` JPEG frames at 30 Hz (a moving gradient with noise, encoded
by FFmpeg's mjpeg through PyAV), with task episodes of 300 frames (10 s) covering `--frames`
dataset frames at 30 fps. After ingest it times, best of `--repeat`:
  (a) `export_dataset` with the camera as a video (the whole call);
  (b) the same export with `videos=False`: (a) - (b) is what the camera costs;
  (c) the baseline, the plain library doing the camera's work: PyAV decodes the same stored JPEG
      bytes and encodes them with the exporter's settings (libsvtav1, yuv420p, GOP 2, CRF 30,
      preset 12) into one MP4;
  (d) the way back: (a)'s LeRobot folder ingested as a recording (`Intake.take`, cameras decoded
      to JPEG frames; run once, as the same folder again would be a duplicate), against (e) PyAV
      alone decoding that MP4 and encoding each picture as JPEG.
"""

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
from export import _open  # the export bench's registry, store and policy of a home
from mcap_ros2.writer import Writer as Ros2Writer

from robotwork.datasets import ExportFilters, export_dataset
from robotwork.datasets.video import CODEC, CRF, GOP, PIX_FMT, PRESET, require_av
from robotwork.store.schema import COMPRESSED_IMAGE_MSGDEF, JOINT_STATE_MSGDEF, STRING_MSGDEF

NS = 10**9
START_NS = int(datetime(2026, 9, 1, 1, tzinfo=UTC).timestamp()) * NS
FPS = 30
EPISODE_FRAMES = 300
JOINTS = 8
SERIAL, MODEL = "CAM-1", "C1"


def pictures(count: int, width: int, height: int, seed: int = 0) -> list[bytes]:
    """JPEG frames of a gradient that moves a little each frame, with sensor noise."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 255, width)[None, :, None]
    y = np.linspace(0, 255, height)[:, None, None]
    out = []
    for k in range(count):
        rgb = (x + k) % 256 * np.array([1.0, 0.5, 0.2]) + y * np.array([0.0, 0.4, 0.7])
        noisy = np.clip(rgb + rng.normal(0, 4, rgb.shape), 0, 255).astype(np.uint8)
        frame = av.VideoFrame.from_ndarray(noisy, format="rgb24").reformat(format="yuvj420p")
        codec = av.CodecContext.create("mjpeg", "w")
        codec.width, codec.height, codec.pix_fmt = width, height, "yuvj420p"
        out.append(b"".join(bytes(p) for p in codec.encode(frame) + codec.encode(None)))
    return out


def write_recording(path: Path, frames: int, images: list[bytes]) -> None:
    """Joints at 100 Hz, the camera at 30 Hz, task episodes of EPISODE_FRAMES frames with 1 s between."""
    episodes = frames // EPISODE_FRAMES
    episode_ns = (EPISODE_FRAMES - 1) * NS // FPS
    span = episodes * (episode_ns + NS) + NS
    names = [f"j{i}" for i in range(JOINTS)]
    header = {"stamp": {"sec": 0, "nanosec": 0}, "frame_id": ""}
    with path.open("wb") as stream:
        writer = Ros2Writer(stream)
        js = writer.register_msgdef("sensor_msgs/msg/JointState", JOINT_STATE_MSGDEF)
        st = writer.register_msgdef("std_msgs/msg/String", STRING_MSGDEF)
        im = writer.register_msgdef("sensor_msgs/msg/CompressedImage", COMPRESSED_IMAGE_MSGDEF)
        events = [(START_NS, "/robotwork/control_mode", {"mode": "autonomous"})]
        for e in range(episodes):
            t = START_NS + NS // 2 + e * (episode_ns + NS)
            events += [(t, "/robotwork/task", {"event": "start", "task": "pick"})]
            events += [(t + episode_ns, "/robotwork/task", {"event": "success", "task": "pick"})]
        messages = [(t, topic, st, {"data": json.dumps(body)}) for t, topic, body in events]
        for k in range(span // (NS // 100)):
            t = START_NS + k * (NS // 100)
            position = [float(np.sin(k / 100 + j)) for j in range(JOINTS)]
            state = {"header": header, "name": names, "position": position, "velocity": [], "effort": []}
            messages += [(t, "/joint_states", js, state), (t + 1, "/joint_commands", js, state)]
        for k in range(span * FPS // NS):
            data = images[k % len(images)]
            messages.append(
                (
                    START_NS + k * NS // FPS,
                    "/camera/compressed",
                    im,
                    {"header": header, "format": "jpeg", "data": data},
                )
            )
        for t, topic, schema, body in sorted(messages, key=lambda m: m[0]):
            writer.write_message(topic, schema, body, log_time=t, publish_time=t)
        writer.add_metadata("robotwork", {"robot_serial": SERIAL})
        writer.finish()


def build_home(home: Path, frames: int, images: list[bytes]) -> None:
    from robotwork.intake import Intake
    from robotwork.registry.importer import import_document
    from robotwork.registry.sources import document_from_rows

    home.mkdir(parents=True, exist_ok=True)
    engine, store, policy = _open(home)
    doc = document_from_rows(
        home / "robots.json",
        {
            "organizations": [{"code": "M-CAM", "name": "Camera Robotics", "kind": "manufacturer"}],
            "robots": [{"serial": SERIAL, "model": MODEL, "manufacturer": "M-CAM"}],
        },
    )
    assert import_document(engine, doc, policy, actor="bench").ok
    path = home / "camera.mcap"
    write_recording(path, frames, images)
    result = Intake(engine, store, policy, actor="bench").take(path)
    assert result.status == "ingested", result.error
    engine.dispose()


def export(home: Path, out: Path, videos: bool) -> int:
    engine, store, policy = _open(home)
    [result] = export_dataset(
        engine, store, policy, out, fps=FPS, filters=ExportFilters(robot=SERIAL), actor="bench", videos=videos
    )
    engine.dispose()
    return result.frames


def plain_pyav(images: list[bytes], out: Path, width: int, height: int) -> None:
    """The camera's work done with PyAV alone: decode every JPEG, encode it as the exporter does."""
    require_av()  # the same libsvtav1 log level as the exporter
    with av.open(str(out), "w", format="mp4") as container:
        stream = container.add_stream(
            CODEC, rate=FPS, options={"g": str(GOP), "crf": str(CRF), "preset": str(PRESET)}
        )
        stream.width, stream.height, stream.pix_fmt = width, height, PIX_FMT
        for k, data in enumerate(images):
            [picture] = av.CodecContext.create("mjpeg", "r").decode(av.Packet(data))
            frame = picture.reformat(format=PIX_FMT, src_color_range="JPEG", dst_color_range="MPEG")
            frame.pts = k
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def ingest_back(home: Path, folder: Path, k: int) -> None:
    """(d): the exported LeRobot folder taken in as a recording of the robot, a day later each time."""
    from robotwork.ingest.pipeline import Overrides
    from robotwork.intake import Intake

    engine, store, policy = _open(home)
    start = START_NS + (k + 2) * 86_400 * NS
    result = Intake(engine, store, policy, actor="bench").take(
        folder, overrides=Overrides(robot_serial=SERIAL, start_ns=start)
    )
    assert result.status == "ingested", result.error
    engine.dispose()


def plain_back(video: Path) -> int:
    """(e): every picture of an MP4 decoded and encoded as JPEG, PyAV alone."""
    count = 0
    with av.open(str(video)) as container:
        for picture in container.decode(video=0):
            full = picture.reformat(format="yuvj420p", src_color_range="MPEG", dst_color_range="JPEG")
            codec = av.CodecContext.create("mjpeg", "w")
            codec.width, codec.height, codec.pix_fmt = full.width, full.height, "yuvj420p"
            count += len(b"".join(bytes(p) for p in codec.encode(full) + codec.encode(None))) > 0
    return count


def best(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for k in range(repeat):
        t0 = time.perf_counter()
        run(k)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=3000)
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        images = pictures(90, args.width, args.height)  # 3 s of distinct frames, repeated
        build_home(root / "home", args.frames, images)
        frames = export(root / "home", root / "probe", True)
        t_video = best(args.repeat, lambda k: export(root / "home", root / f"video-{k}", True))
        t_plain = best(args.repeat, lambda k: export(root / "home", root / f"plain-{k}", False))
        stream = [images[k % len(images)] for k in range(frames)]
        t_pyav = best(
            args.repeat, lambda k: plain_pyav(stream, root / f"pyav-{k}.mp4", args.width, args.height)
        )
        camera = t_video - t_plain
        t_back = best(
            1, lambda k: ingest_back(root / "home", root / "video-0", k)
        )  # once: a second is a duplicate
        video = root / "video-0/videos/observation.images.camera/chunk-000/file-000.mp4"
        t_plain_back = best(args.repeat, lambda k: plain_back(video))
        print(
            f"{frames:,} dataset frames at {FPS} fps, one {args.width}x{args.height} JPEG camera, "
            f"best of {args.repeat}"
        )
        print(f"  (a) export with the camera video:  {t_video:6.2f} s  {frames / t_video:8,.0f} frames/s")
        print(f"  (b) export without videos:         {t_plain:6.2f} s  {frames / t_plain:8,.0f} frames/s")
        print(f"      the camera costs (a) - (b):    {camera:6.2f} s  {frames / camera:8,.0f} frames/s")
        print(f"  (c) PyAV alone, decode + encode:   {t_pyav:6.2f} s  {frames / t_pyav:8,.0f} frames/s")
        print(f"  ratio camera work robotwork / PyAV alone: {t_pyav / camera:.2f}x the speed")
        print(f"  (d) ingest of (a)'s LeRobot folder:  {t_back:6.2f} s  {frames / t_back:8,.0f} frames/s")
        print(
            f"  (e) PyAV alone, MP4 to JPEG frames:  {t_plain_back:6.2f} s  "
            f"{frames / t_plain_back:8,.0f} frames/s"
        )
        print(
            f"  ratio ingest / PyAV alone: {t_plain_back / t_back:.2f}x the speed "
            "(ingest also takes the joints and derives the evidence)"
        )


if __name__ == "__main__":
    main()
