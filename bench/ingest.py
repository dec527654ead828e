"""Ingest throughput against the `mcap` library's own read-and-decode loop, and peak memory.

    .venv/bin/python bench/ingest.py [--messages 1000000] [--joints 32] [--scale 8]

For each encoding (ros2msg/CDR and json) it writes an MCAP file of N `/joint_states` messages,
then in one process times (a) the baseline: the library's reader decoding every message
(`mcap_ros2` DecoderFactory for CDR, `json.loads` per message for JSON), and (b) robotwork's
whole ingest (hash, decode, check, Parquet write, registry row). Peak memory (max RSS) of an
ingest is measured in a fresh child process at 1x and at `--scale`x the file size.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from mcap.reader import make_reader
from mcap.writer import CompressionType, Writer
from mcap_ros2.decoder import DecoderFactory
from mcap_ros2.writer import Writer as Ros2Writer
from memory import peak_rss_mib

from robotwork.store.schema import JOINT_STATE_MSGDEF, STRING_MSGDEF

START_NS = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp()) * 10**9
PERIOD_NS = 2_000_000  # 500 Hz
SERIAL = "BENCH-1"


def _ros2_payloads(joints: int) -> tuple[bytes, bytes]:
    """Serialize one JointState (marker values) and one String with mcap_ros2, as templates."""
    import io

    buf = io.BytesIO()
    writer = Ros2Writer(buf)
    js = writer.register_msgdef("sensor_msgs/msg/JointState", JOINT_STATE_MSGDEF)
    st = writer.register_msgdef("std_msgs/msg/String", STRING_MSGDEF)
    names = [f"joint_{i:02d}" for i in range(joints)]
    writer.write_message(
        "/joint_states",
        js,
        {
            "header": {"stamp": {"sec": 0, "nanosec": 0}, "frame_id": "base"},
            "name": names,
            "position": [1.25] * joints,
            "velocity": [2.5] * joints,
            "effort": [5.0] * joints,
        },
        log_time=0,
    )
    writer.write_message("/robotwork/control_mode", st, {"data": '{"mode": "autonomous"}'}, log_time=0)
    writer.finish()
    buf.seek(0)
    payloads = [m.data for _, _, m in make_reader(buf).iter_messages()]
    return payloads[0], payloads[1]


def write_recording(path: Path, encoding: str, messages: int, joints: int) -> None:
    """A recording of `messages` joint states; values vary so compression is honest."""
    import numpy as np

    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.01, (4096, joints))
    with path.open("wb") as stream:
        w = Writer(stream, compression=CompressionType.ZSTD)
        w.start(profile="ros2" if encoding == "ros2" else "", library="robotwork-bench")
        if encoding == "ros2":
            template, mode = _ros2_payloads(joints)
            js = w.register_schema("sensor_msgs/msg/JointState", "ros2msg", JOINT_STATE_MSGDEF.encode())
            st = w.register_schema("std_msgs/msg/String", "ros2msg", STRING_MSGDEF.encode())
            enc = "cdr"
            width = 8 * joints
            cuts = [template.find(np.float64(v).tobytes() * joints) for v in (1.25, 2.5, 5.0)]
            pieces = [
                template[: cuts[0]],
                template[cuts[0] + width : cuts[1]],
                template[cuts[1] + width : cuts[2]],
                template[cuts[2] + width :],
            ]
        else:
            js = w.register_schema("sensor_msgs/msg/JointState", "jsonschema", b'{"type":"object"}')
            st = w.register_schema("control_mode", "jsonschema", b'{"type":"object"}')
            enc, mode = "json", b'{"mode": "autonomous"}'
            names = json.dumps([f"joint_{i:02d}" for i in range(joints)])
        ch_js = w.register_channel("/joint_states", enc, js)
        ch_mode = w.register_channel("/robotwork/control_mode", enc, st)
        w.add_message(ch_mode, log_time=START_NS, data=mode, publish_time=START_NS)
        for i in range(messages):
            t = START_NS + i * PERIOD_NS
            row = noise[i % 4096] + i * 1e-6
            if encoding == "ros2":
                vec = row.tobytes()
                data = pieces[0] + vec + pieces[1] + vec + pieces[2] + vec + pieces[3]
            else:
                vals = json.dumps(row.tolist())
                data = (
                    f'{{"header":{{"stamp":{{"sec":{t // 10**9},"nanosec":{t % 10**9}}}}},"name":{names},'
                    f'"position":{vals},"velocity":{vals},"effort":{vals}}}'
                ).encode()
            w.add_message(ch_js, log_time=t, data=data, publish_time=t)
        w.add_metadata("robotwork", {"robot_serial": SERIAL})
        w.finish()


def baseline(path: Path, encoding: str) -> int:
    """The library's plain loop: read and decode every message."""
    count = 0
    with path.open("rb") as f:
        if encoding == "ros2":
            for _ in make_reader(f, decoder_factories=[DecoderFactory()]).iter_decoded_messages():
                count += 1
        else:
            for _, _, message in make_reader(f).iter_messages():
                json.loads(message.data)
                count += 1
    return count


def ingest(path: Path, work: Path) -> int:
    """robotwork's whole ingest of `path` into a fresh home folder."""
    from robotwork.ingest import jobs
    from robotwork.ingest.pipeline import Overrides, content_hash, store_recording
    from robotwork.policy import load_policy
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.registry.importer import import_document
    from robotwork.registry.sources import document_from_rows
    from robotwork.store.telemetry import TelemetryStore

    work.mkdir(parents=True, exist_ok=True)
    engine, policy = open_registry(sqlite_url(work)), load_policy()
    doc = document_from_rows(
        work / "robot.json",
        {
            "organizations": [{"code": "M-BENCH", "name": "Bench Robotics", "kind": "manufacturer"}],
            "robots": [{"serial": SERIAL, "model": "B1", "manufacturer": "M-BENCH"}],
        },
    )
    import_document(engine, doc, policy, actor="bench")
    # the store step of an ingest job (hash, claim, decode, write, publish, registry row), as the
    # figures of this benchmark always measured: evidence is bench/evidence.py's
    recording_id, claim = content_hash(path), jobs.new_claim()
    jobs.receive(
        engine,
        recording_id,
        source=str(path),
        source_name=path.name,
        overrides={},
        actor="bench",
        claim=claim,
    )
    result = store_recording(
        engine,
        TelemetryStore(str(work / "telemetry")),
        policy,
        path,
        recording_id=recording_id,
        claim=claim,
        overrides=Overrides(),
        actor="bench",
    )
    return result.messages


def child_peak(path: Path, work: Path) -> float:
    """Peak RSS (MiB) of a fresh process that ingests `path`."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(work)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--joints", type=int, default=32)
    parser.add_argument("--scale", type=int, default=8)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ingest(Path(args.child[0]), Path(args.child[1]))
        print(peak_rss_mib())
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{args.messages:,} /joint_states messages, {args.joints} joints per message")
        for encoding in ("ros2", "json"):
            path = root / f"{encoding}.mcap"
            write_recording(path, encoding, args.messages, args.joints)
            mb = path.stat().st_size / 2**20
            t0 = time.perf_counter()
            n_base = baseline(path, encoding)
            t_base = time.perf_counter() - t0
            t0 = time.perf_counter()
            n_ours = ingest(path, root / f"home-{encoding}")
            t_ours = time.perf_counter() - t0
            print(f"\n[{encoding}] file {mb:,.1f} MiB")
            for label, n, t in (
                ("baseline mcap read+decode", n_base, t_base),
                ("robotwork ingest", n_ours, t_ours),
            ):
                print(f"  {label + ':':27}{n / t:12,.0f} msg/s {mb / t:8,.1f} MiB/s ({t:.2f} s)")
            print(f"  ratio ingest / baseline:   {t_base / t_ours:.2f}x")
            big = root / f"{encoding}-x{args.scale}.mcap"
            write_recording(big, encoding, args.messages * args.scale, args.joints)
            peak1 = child_peak(path, root / f"mem1-{encoding}")
            peak8 = child_peak(big, root / f"mem8-{encoding}")
            big.unlink()
            print(
                f"  peak RSS: {peak1:,.0f} MiB at 1x, {peak8:,.0f} MiB at {args.scale}x "
                f"({big.name} ~{mb * args.scale:,.0f} MiB)"
            )


if __name__ == "__main__":
    main()
