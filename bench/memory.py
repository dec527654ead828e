"""Peak memory of the running process, for the benchmarks' child processes."""

import resource
from pathlib import Path


def peak_rss_mib() -> float:
    """Peak RSS of this process so far, in MiB.

    VmHWM, not ru_maxrss: Linux carries the parent's peak over into a child's ru_maxrss across
    fork and exec, which would hide the measured work's own peak behind the parent's.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
