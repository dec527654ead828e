"""A small live fleet for the demo: a few dozen deployed demo robots as real MQTT clients, with
robotwork's subscriber writing what they say into the demo home, so the live page moves at once.

Each robot logs in with a device token of its own (the broker's password file follows), reports
its state every 5 s, drifts between control modes, and now and then one drops off the network
(its last will says CONNECTIONBROKEN) and comes back a minute later.
"""

import random
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.accounts import create_token
from robotwork.live.contract import ONLINE
from robotwork.live.service import start_live
from robotwork.live.simulator import Fleet, SimRobot
from robotwork.live.subscriber import LiveSubscriber
from robotwork.policy import Policy
from robotwork.registry.models import Deployment
from robotwork.store.files import StoreFiles

DEMO_LIVE_ROBOTS = 36
DROP_EVERY_S = 20.0
BACK_AFTER_S = 60.0


def demo_robots(engine: Engine, count: int) -> list[SimRobot]:
    """The first `count` robots deployed now (by serial), each with a fresh device token."""
    with Session(engine) as session:
        query = select(Deployment.robot_serial, Deployment.site_id).where(Deployment.end_date.is_(None))
        sites = dict(sorted(session.execute(query)))
    chosen = sorted(sites)[:count]
    return [
        SimRobot(
            serial, create_token(engine, robot=serial, label="demo live fleet"), sites[serial], rate_hz=0.2
        )
        for serial in chosen
    ]


def _state_now(robots: list[SimRobot]) -> None:
    """A robot reports its state as soon as it is online, not only at its next beat."""
    for robot in robots:
        robot.next_ns = time.time_ns()


def _settle(subscriber: LiveSubscriber, serials: list[str], timeout_s: float = 3.0) -> None:
    """Let the robots' OFFLINE messages reach the subscriber before it stops."""
    deadline = time.monotonic() + timeout_s
    robots = subscriber.tracker.robots
    while time.monotonic() < deadline and any(
        s in robots and robots[s].connection == ONLINE for s in serials
    ):
        time.sleep(0.05)


def run_demo_fleet(
    engine: Engine,
    files: StoreFiles,
    policy: Policy,
    url: str,
    *,
    seconds: float | None = None,
    robots: int = DEMO_LIVE_ROBOTS,
    drop_every_s: float = DROP_EVERY_S,
    back_after_s: float = BACK_AFTER_S,
    seed: int = 0,
    say: Callable[[str], None] = print,
) -> dict[str, int]:
    """Run the live fleet and the subscriber until `seconds` have passed (None: until Ctrl-C);
    the subscriber's counts at the end."""
    fleet_robots = demo_robots(engine, robots)
    subscriber = start_live(url, engine, files, policy)
    address = urlsplit(url)
    fleet = Fleet(address.hostname or "127.0.0.1", address.port or 1883, fleet_robots)
    rng = random.Random(seed)
    try:
        fleet.connect()
        _state_now(fleet_robots)
        say(
            f"  live: {len(fleet_robots)} demo robots publishing to {address.hostname}:{address.port or 1883}"
        )
        end = None if seconds is None else time.monotonic() + seconds
        dropped: dict[str, float] = {}
        next_drop = time.monotonic() + drop_every_s
        while end is None or time.monotonic() < end:
            fleet.run(1.0)
            now = time.monotonic()
            if now >= next_drop:
                up = [r.serial for r in fleet.robots.values() if r.up]
                if up:
                    serial = rng.choice(up)
                    fleet.drop(serial)
                    dropped[serial] = now
                next_drop = now + drop_every_s
            back = [s for s, at in dropped.items() if now - at >= back_after_s]
            if back:
                fleet.connect(back)
                _state_now([fleet.robots[s] for s in back])
                for serial in back:
                    del dropped[serial]
    except KeyboardInterrupt:
        pass
    finally:
        fleet.disconnect()
        _settle(subscriber, list(fleet.robots))
        subscriber.stop()
    return subscriber.stats
