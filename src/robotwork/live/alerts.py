"""Alerts: a robot in routine operation that stops in its usual working hours.

A robot's usual working hours are the hours of the week (weekday and hour, program time zone)
that its recordings of the last four weeks covered at least twice: learned from evidence, not
declared. A robot in routine operation (the policy's definition, from `evidence.metrics`) that
has been offline or in fault for more than 15 minutes during such an hour raises one alert,
stored in the registry (shown on the live and organization pages) and POSTed as JSON to the
webhook; the alert is cleared, and POSTed again, when the robot works again.
"""

import json
import logging
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.evidence.metrics import gather
from robotwork.live.models import LiveAlert
from robotwork.live.tracker import RobotLive
from robotwork.live.view import alert_json
from robotwork.policy import Policy
from robotwork.registry.models import Recording

log = logging.getLogger(__name__)
ALERT_AFTER_NS = 15 * 60 * 10**9
HISTORY_DAYS = 28
MIN_WEEKS = 2  # an hour of the week is usual when recordings covered it in this many weeks
_HOUR_NS = 3600 * 10**9
_KINDS = {"offline": "offline", "fault": "fault"}  # status -> alert kind


def working_hours(engine: Engine, policy: Policy, now_ns: int) -> dict[str, set[tuple[int, int]]]:
    """Serial -> (weekday, hour) of the week its recordings of the last four weeks covered at
    least `MIN_WEEKS` times."""
    from_ns = now_ns - HISTORY_DAYS * 24 * _HOUR_NS
    seen: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    with Session(engine) as session:
        query = select(Recording.robot_serial, Recording.start_ns, Recording.end_ns).where(
            Recording.end_ns > from_ns, Recording.start_ns < now_ns
        )
        for serial, start, end in session.execute(query):
            hours = {
                (local.weekday(), local.hour, local.date())
                for hour in range(max(start, from_ns) // _HOUR_NS, (end - 1) // _HOUR_NS + 1)
                for local in [datetime.fromtimestamp(hour * 3600, policy.zone)]
            }
            seen[serial].update((weekday, hour) for weekday, hour, _ in hours)
    return {serial: {k for k, n in counts.items() if n >= MIN_WEEKS} for serial, counts in seen.items()}


class Alerts:
    """Raise and clear alerts from the live picture; post them to a webhook if one is given."""

    def __init__(self, engine: Engine, policy: Policy, *, webhook: str | None = None) -> None:
        self.engine, self.policy, self.webhook = engine, policy, webhook
        self._hours: dict[str, set[tuple[int, int]]] = {}
        self._routine: set[str] = set()
        self._learned_ns = 0

    def _learn(self, now_ns: int) -> None:
        """Working hours and routine operation change slowly: learned again once an hour."""
        if now_ns - self._learned_ns < _HOUR_NS:
            return
        self._hours = working_hours(self.engine, self.policy, now_ns)
        today = datetime.fromtimestamp(now_ns / 1e9, self.policy.zone).date()
        evidence = gather(self.engine, self.policy, today - timedelta(days=1))
        self._routine = {r.robot_serial for r in evidence.robots if r.in_routine_operation}
        self._learned_ns = now_ns

    def _due(self, robot: RobotLive, now_ns: int) -> bool:
        if robot.status not in _KINDS or robot.robot_serial not in self._routine:
            return False
        if now_ns - robot.status_since_ns <= ALERT_AFTER_NS:
            return False
        local = datetime.fromtimestamp(now_ns / 1e9, self.policy.zone)
        return (local.weekday(), local.hour) in self._hours.get(robot.robot_serial, set())

    def check(self, robots: list[RobotLive], now_ns: int | None = None) -> list[dict[str, Any]]:
        """Raise alerts that are due and clear those whose robot works again; what changed."""
        now_ns = now_ns or time.time_ns()
        self._learn(now_ns)
        changed = []
        with Session(self.engine) as session, session.begin():
            open_ = {
                a.robot_serial: a
                for a in session.scalars(select(LiveAlert).where(LiveAlert.cleared_ns.is_(None)))
            }
            for robot in robots:
                alert = open_.get(robot.robot_serial)
                if alert is None and self._due(robot, now_ns):
                    alert = LiveAlert(
                        robot_serial=robot.robot_serial,
                        kind=_KINDS[robot.status],
                        since_ns=robot.status_since_ns,
                        raised_ns=now_ns,
                        details={
                            "connection": robot.connection,
                            "control_mode": robot.control_mode,
                            "errors": robot.errors,
                        },
                    )
                    session.add(alert)
                    session.flush()
                    changed.append(dict(alert_json(alert), event="raised"))
                elif alert is not None and robot.status not in _KINDS:
                    alert.cleared_ns = now_ns
                    changed.append(dict(alert_json(alert), event="cleared"))
        for event in changed:
            self._post(event)
        return changed

    def _post(self, event: dict[str, Any]) -> None:
        """POST one alert to the webhook in the background; a dead webhook only costs a log line."""
        if not self.webhook:
            return
        request = urllib.request.Request(
            self.webhook,
            data=json.dumps(event, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )

        def send() -> None:
            try:
                urllib.request.urlopen(request, timeout=10).close()
            except OSError as exc:
                log.warning("alert webhook %s failed: %s", self.webhook, exc)

        threading.Thread(target=send, name="robotwork-alert-webhook", daemon=True).start()
