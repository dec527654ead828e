"""Recordings of robots doing shifts of work, for evidence tests (built on `recordings`)."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
from recordings import Content, JointSample, control_mode, intervention, task

SAMPLE_S = 20  # three samples in every minute of a shift: each worked minute is moving


def shift_start_ns(day: date, hour_utc: int = 1) -> int:
    """A shift start: 01:00 UTC is 09:00 in Shanghai, well inside the same calendar day."""
    return int(datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC).timestamp()) * 10**9


def workdays(
    serial: str,
    days: list[date],
    *,
    hours: float = 2.5,
    mode: str = "autonomous",
    tasks_per_hour: int = 6,
    success_every: int = 1,
    takeovers_per_day: int = 0,
    seed: int = 0,
    joints: int = 4,
    static: bool = False,
    shift_ns: int = 0,
) -> Content:
    """One recording: a shift per day in `mode`, tasks (every `success_every`-th succeeds, the
    others fail), optional takeovers, moving joints with sensor noise unless `static`."""
    rng = np.random.default_rng(seed)
    content = Content(joint_names=[f"j{i}" for i in range(joints)], identity={"robot_serial": serial})
    n_task = 0
    for day in days:
        start = shift_start_ns(day) + shift_ns
        end = start + int(hours * 3600) * 10**9
        content.events.append(control_mode(start, mode, "op-1"))
        for t in range(start, end + 1, SAMPLE_S * 10**9):
            phase = (t - start) / 1e9 / 60.0
            pos = np.zeros(joints) if static else np.sin(phase + np.arange(joints)) * 0.5
            pos = pos + (0 if static else rng.normal(0, 1e-4, joints))
            content.joint_states.append(JointSample(t, pos.tolist()))
        step = int(3600 / tasks_per_hour) * 10**9
        for t in range(start + 10**9, end - step + 1, step):
            n_task += 1
            outcome = "success" if n_task % success_every == 0 else "failure"
            content.events += [task(t, "start", "pick tote"), task(t + step // 2, outcome, "pick tote")]
        for k in range(takeovers_per_day):
            content.events.append(
                intervention(start + (k + 1) * 600 * 10**9, "takeover", "remote_operator", "slip")
            )
        content.events.append(control_mode(end, "idle"))
    return content


def days_back(as_of: date, count: int) -> list[date]:
    """`count` consecutive days ending the day before `as_of`."""
    return [as_of - timedelta(days=count - i) for i in range(count)]
