"""`robotwork demo --live`: demo robots as real MQTT clients through an authenticated Mosquitto,
logging in with device tokens made for them, some dropping out; the subscriber writes it all."""

from pathlib import Path

import pytest
from brokers import Broker

from robotwork.demo.live import run_demo_fleet
from robotwork.demo.loader import load_demo_program
from robotwork.live.broker import BROKER_DIR_ENV
from robotwork.live.persist import read_rows
from robotwork.registry.db import open_registry
from robotwork.store.files import StoreFiles


def test_demo_live_fleet(tmp_path: Path, policy, monkeypatch: pytest.MonkeyPatch) -> None:
    broker = Broker(tmp_path / "broker", auth=True).start()
    monkeypatch.setenv(BROKER_DIR_ENV, str(broker.folder))  # device tokens reach its password file
    engine = open_registry(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    try:
        load_demo_program(engine, policy, seed=0, actor="demo")
        lines: list[str] = []
        stats = run_demo_fleet(
            engine,
            StoreFiles(str(tmp_path / "store")),
            policy,
            broker.url,
            seconds=6,
            robots=12,
            drop_every_s=2,
            back_after_s=60,
            say=lines.append,
        )
    finally:
        broker.stop()
    assert lines == [f"  live: 12 demo robots publishing to 127.0.0.1:{broker.port}"]
    assert stats["malformed"] == 0 and stats["received"] >= 12 * 2
    rows = read_rows(engine)
    assert len(rows) == 12
    # the ones that dropped out said nothing more: their last will; the rest said OFFLINE at the end
    assert {r.connection for r in rows} == {"CONNECTIONBROKEN", "OFFLINE"}
    assert all(r.control_mode for r in rows)
    engine.dispose()
