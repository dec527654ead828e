"""Live status: messages/s the subscriber keeps up with on one core, and publish -> API latency.

    .venv/bin/python bench/live.py [--robots 10000] [--rates 0.1,0.5,1.0] [--seconds 30]
        [--connections 50] [--publishers 1] [--qos 1] [--db postgresql+psycopg://postgres@127.0.0.1:5432/test]

Starts a Mosquitto of its own (anonymous, on a free loopback port, the settings of
scripts/mosquitto.sh) and robotwork's subscriber in a child process pinned to CPU 0 (its default
settings; SQLite in a temporary home, or a new schema on `--db`). A publisher process sends the
state of `--robots` serials, each at each rate, spread evenly in time, for `--seconds`, over
`--connections` MQTT connections: the subscriber sees a topic per robot either way, and one Python
process cannot drive 10,000 sockets at 10,000 messages/s (tests/test_live_load.py runs 1,000
robots with a connection each). The subscriber keeps up at a rate when every message sent was
taken within 2 s of the last one; its CPU time per message gives the rate one core could take.
Meanwhile a probe robot publishes a new task 5 times a second and this process polls
GET /api/v1/live?state=idle (uvicorn, same registry) until the task shows: publish -> API latency.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import paho.mqtt.client as mqtt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from robotwork.live.contract import StateMessage, state_payload, topic  # noqa: E402


def _pin(cpu: int) -> None:
    """Run this process on one CPU only (where the OS lets us choose)."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > cpu:
        os.sched_setaffinity(0, {cpu})


def subscriber_main(url: str, home: str, db: str) -> None:
    """Child: the subscriber with its defaults; its counters on stdout every 0.2 s."""
    from robotwork.live.subscriber import LiveSubscriber
    from robotwork.registry.db import open_registry
    from robotwork.store.files import StoreFiles

    _pin(0)
    engine = open_registry(db or f"sqlite:///{home}/registry.sqlite")
    sub = LiveSubscriber(url, engine, StoreFiles(f"{home}/telemetry")).start()
    while True:
        print(json.dumps(dict(sub.stats, cpu_s=time.process_time())), flush=True)
        time.sleep(0.2)


def publisher_main(
    port: int, robots: int, first: int, rate: float, seconds: float, connections: int, qos: int
) -> None:
    """Child: `robots` serials at `rate` each, spread evenly in time, over `connections` MQTT
    connections (QoS 1); wait for "go" on stdin, publish, report what was sent and acknowledged."""
    clients = []
    for c in range(connections):
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{first}-{c}")
        client.max_inflight_messages_set(1000)
        client.connect("127.0.0.1", port)
        client.loop_start()
        clients.append(client)
    serials = [f"B{i:05d}" for i in range(first, first + robots)]
    print(json.dumps({"connected": robots}), flush=True)
    sys.stdin.readline()
    gap, sent = 1.0 / (rate * robots), 0
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        for _ in range(min(int(elapsed / gap), int(seconds / gap)) - sent):
            serial = serials[sent % robots]
            # a robot's task changes every few minutes, not with every report
            message = StateMessage(
                serial, time.time_ns(), "autonomous", f"task-{sent // (robots * 60)}", None, 80.0
            )
            clients[sent % connections].publish(topic(serial, "state"), state_payload(message), qos=qos)
            sent += 1
        time.sleep(0.001)
    took = time.monotonic() - started
    for client in clients:  # every message handed to the broker
        client.publish("bench/flush", b"", qos=1).wait_for_publish(60)
    print(json.dumps({"sent": sent, "seconds": took}), flush=True)
    sys.stdin.readline()
    for client in clients:
        client.loop_stop()
        client.disconnect()


class _Counters:
    """The subscriber child's latest counters, read from its stdout in a thread."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.latest: dict = {"received": 0}
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            self.latest = json.loads(line)


def _probe(port: int, api: str, token: str, stop: threading.Event, out: list[float]) -> None:
    """Publish a new task as the idle robot PROBE; time until GET /api/v1/live shows it."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-probe")
    client.connect("127.0.0.1", port)
    client.loop_start()
    n = 0
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        while not stop.is_set():
            n += 1
            sent = time.monotonic()
            client.publish(
                topic("PROBE", "state"),
                state_payload(StateMessage("PROBE", time.time_ns(), "idle", f"p{n}")),
                qos=1,
            )
            while time.monotonic() - sent < 10:
                robots = http.get(f"{api}/api/v1/live", params={"state": "idle"}).json()["robots"]
                if robots and robots[0]["task"] == f"p{n}":
                    out.append(time.monotonic() - sent)
                    break
                time.sleep(0.01)
            time.sleep(0.2)
    client.loop_stop()
    client.disconnect()


def _publishers(args: argparse.Namespace, port: int, rate: float) -> list[subprocess.Popen]:
    """`--publishers` processes, each with its share of the robots (serials numbered apart)."""
    share = args.robots // args.publishers
    procs = []
    for n in range(args.publishers):
        command = [sys.executable, __file__, "--role", "publisher", "--port", str(port)]
        command += ["--robots", str(share), "--first", str(n * share), "--rates", str(rate)]
        command += [
            "--seconds",
            str(args.seconds),
            "--connections",
            str(args.connections),
            "--qos",
            str(args.qos),
        ]
        procs.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for proc in procs:
        assert json.loads(proc.stdout.readline())["connected"] == share  # type: ignore[union-attr]
    return procs


def _tell(procs: list[subprocess.Popen], word: str) -> None:
    for proc in procs:
        proc.stdin.write(word + "\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]


def _one_rate(
    args: argparse.Namespace, port: int, rate: float, counters: _Counters, api: str, token: str
) -> dict:
    pubs = _publishers(args, port, rate)
    time.sleep(2)  # the ONLINE messages settle
    before, cpu_before = counters.latest["received"], counters.latest.get("cpu_s", 0.0)
    latencies: list[float] = []
    stop = threading.Event()
    probe = threading.Thread(target=_probe, args=(port, api, token, stop, latencies))
    probe.start()
    _tell(pubs, "go")
    results = [json.loads(p.stdout.readline()) for p in pubs]  # type: ignore[union-attr]
    result = {"sent": sum(r["sent"] for r in results), "seconds": max(r["seconds"] for r in results)}
    stop.set()
    probe.join()
    caught_up = time.monotonic()
    while time.monotonic() - caught_up < 2 and counters.latest["received"] - before < result["sent"]:
        time.sleep(0.05)
    taken = counters.latest["received"] - before - len(latencies)  # the probe's own messages
    cpu = counters.latest.get("cpu_s", 0.0) - cpu_before
    _tell(pubs, "stop")
    for proc in pubs:
        proc.wait(120)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [float("nan")] * 99
    return {
        "robots": args.robots,
        "rate_hz": rate,
        "qos": args.qos,
        "sent_per_s": round(result["sent"] / result["seconds"]),
        "taken_per_s": round(taken / result["seconds"]),
        "missing": max(result["sent"] - taken, 0),
        "subscriber_cpu_share": round(cpu / result["seconds"], 2),
        "per_core_msgs_per_s": round(taken / cpu) if cpu else None,
        "api_p50_ms": round(statistics.median(latencies) * 1000),
        "api_p99_ms": round(q[98] * 1000),
        "probes": len(latencies),
    }


def _schema(url: str, schema: str, *, drop: bool = False) -> str:
    """Create (or drop) a schema on the PostgreSQL server at `url`; the URL that uses it."""
    from sqlalchemy import create_engine, text

    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE' if drop else f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{url}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--robots", type=int, default=10_000)
    parser.add_argument(
        "--rates", default="0.1,0.5,1.0", help="messages per second per robot, comma-separated"
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=50, help="MQTT connections per publisher")
    parser.add_argument("--publishers", type=int, default=1, help="publisher processes sharing the robots")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument(
        "--qos", type=int, default=1, choices=[0, 1], help="QoS of the robots' state messages"
    )
    parser.add_argument("--db", default="", help="registry URL (default: SQLite in a temporary home)")
    parser.add_argument("--role", default="bench", choices=["bench", "subscriber", "publisher"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--url", default="")
    parser.add_argument("--home", default="")
    args = parser.parse_args()
    if args.role == "subscriber":
        return subscriber_main(args.url, args.home, args.db)
    if args.role == "publisher":
        return publisher_main(
            args.port, args.robots, args.first, float(args.rates), args.seconds, args.connections, args.qos
        )

    from brokers import Broker
    from livesrv import serving

    from robotwork.accounts import add_user, create_token
    from robotwork.web.app import create_app
    from robotwork.web.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        broker = Broker(Path(tmp) / "broker", auth=False).start()
        home = Path(tmp) / "home"
        schema = f"bench_live_{os.getpid()}"
        db = _schema(args.db, schema) if args.db else ""
        app = create_app(Settings(home=home, db_url=db or None, secret_key="bench"))
        engine = app.state.services.engine
        add_user(engine, "bench", "password-bench", "ministry")
        token = create_token(engine, username="bench")
        sub = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--role",
                "subscriber",
                "--url",
                broker.url,
                "--home",
                str(home),
                "--db",
                db,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        counters = _Counters(sub)
        try:
            with serving(app) as api:
                for rate in (float(r) for r in args.rates.split(",")):
                    row = _one_rate(args, broker.port, rate, counters, api, token)
                    print(json.dumps(row), flush=True)
        finally:
            sub.terminate()
            sub.wait(30)
            broker.stop()
            app.state.services.engine.dispose()
            if args.db:
                _schema(args.db, schema, drop=True)


if __name__ == "__main__":
    main()
