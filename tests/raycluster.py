"""One local Ray for the whole test session (starting one takes seconds), with the services'
S3 keys in its workers' environment."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from objectstore import use_services


@pytest.fixture(scope="session")
def ray_local() -> Iterator[None]:
    """A local Ray instance, joined by `robotwork.cluster` whenever a test asks for --ray."""
    ray = pytest.importorskip("ray")
    use_services()  # workers inherit this process's environment when Ray starts
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def worker_pids(task_name: str) -> list[int]:
    """Processes of this session's Ray running `task_name` (found under this process only)."""
    import os

    mine = os.getpid()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        if title.startswith(f"ray::{task_name}") and _descends_from(int(proc.name), mine):
            found.append(int(proc.name))
    return found


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return False
