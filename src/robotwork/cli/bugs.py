"""Internal errors: one line for the person, the traceback in a log file for the report.

A refusal (bad input) is exit 1 with its reason; anything else is a bug in robotwork and gets
exit 3, so scripts and robots can tell "fix your file" from "tell the developers".
"""

import traceback
from datetime import UTC, datetime
from pathlib import Path

EXIT_BUG = 3
LOG_NAME = "logs/internal-errors.log"


def log_bug(home: Path, exc: BaseException, what: str) -> str:
    """Append `exc`'s traceback to the home's error log; return the line to print."""
    log = home / LOG_NAME
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} {what}\n")
            out.write("".join(traceback.format_exception(exc)))
        where = f"traceback in {log}"
    except OSError:
        where = "no log could be written"
    return f"internal error, please report: {what}: {type(exc).__name__}: {exc} ({where})"
