"""The first run: `robotwork demo` wall time and peak memory, and the CLI's start-up time.

    .venv/bin/python bench/demo.py [--full] [--home DIR] [--runs 5]

Runs `robotwork demo` (the default size, or `--full`) into a fresh home (or reuses `--home` if
it already holds a demo, measuring start-up only), sampling the resident memory of the whole
process tree (the command and its writer processes) twice a second; then times `robotwork
--help` and `robotwork compliance --json` on that home, `--runs` times each (median and best),
and the harvest read (`read.harvest`, the /harvest page's and /api/v1/harvest's query) over every
episode of the home, as the ministry reads it.
The load average is printed with the numbers: on a shared machine it says how idle it was.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROBOTWORK = str(Path(sys.executable).with_name("robotwork"))


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MiB (0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        todo += [int(c) for c in children]
    return total / 1024


def run_demo(home: Path, full: bool) -> tuple[float, float]:
    """Wall seconds and peak tree RSS (MiB) of one `robotwork demo` into `home`."""
    command = [ROBOTWORK, "--home", str(home), "demo", *(["--full"] if full else [])]
    started = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mib(proc.pid))
            time.sleep(0.5)
        err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"demo failed ({proc.returncode}):\n{err[-2000:]}")
    print("\n".join(line for line in err.splitlines() if "recordings:" in line))
    return time.monotonic() - started, peak


def startup(args: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall seconds of `robotwork ARGS` over `runs` runs."""
    times = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run([ROBOTWORK, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.monotonic() - started)
    return statistics.median(times), min(times)


def harvest_time(home: Path, runs: int) -> tuple[int, float, float]:
    """Episodes counted, median and best wall seconds of the ministry's harvest read on `home`
    (the evidence figures it also reads are computed once before, as a server keeps them)."""
    from robotwork.access import ReadScope
    from robotwork.accounts import Principal
    from robotwork.policy import load_policy
    from robotwork.read.harvest import harvest
    from robotwork.registry.db import open_registry, sqlite_url

    engine, policy = open_registry(sqlite_url(home)), load_policy()
    scope = ReadScope(Principal("user", "bench", "ministry"), None)
    day = datetime.now(policy.zone).date()
    episodes = harvest(engine, policy, day, scope).episodes
    times = []
    for _ in range(runs):
        started = time.monotonic()
        harvest(engine, policy, day, scope)
        times.append(time.monotonic() - started)
    engine.dispose()
    return episodes, statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the 45-day demo instead of the default")
    parser.add_argument("--home", type=Path, help="a demo home to (re)use; default: a new temporary one")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    home = opts.home or Path(tempfile.mkdtemp(prefix="bench-demo-")) / "home"
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not (home / "demo-recordings").is_dir():
        wall, peak = run_demo(home, opts.full)
        minutes, seconds = divmod(round(wall), 60)
        print(
            f"demo{' --full' if opts.full else ''}: {minutes} min {seconds} s wall ({wall:.1f} s), "
            f"peak {peak:,.0f} MiB (process tree)"
        )
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for args in (["--help"], ["--home", str(home), "compliance", "--json"]):
        median, best = startup(args, opts.runs)
        shown = " ".join(a for a in args if a != str(home))
        print(f"robotwork {shown}: median {median:.2f} s, best {best:.2f} s")
    episodes, median, best = harvest_time(home, opts.runs)
    print(f"harvest read over {episodes:,} episodes: median {median:.2f} s, best {best:.2f} s")


if __name__ == "__main__":
    main()
