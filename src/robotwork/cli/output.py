"""Printing helpers shared by commands: JSON on stdout, one-line messages on stderr."""

import json
import sys
from typing import Any

from rich.console import Console

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else on that stream."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def say(message: str) -> None:
    """A one-line message for the person at the terminal, on stderr."""
    stderr.print(message, markup=False, soft_wrap=True)


def print_json_line(data: Any) -> None:
    """One compact JSON object on its own line (JSON Lines: one result per input)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
