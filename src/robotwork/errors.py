"""One error tree for robotwork: every error says which file, row or offset it is about.

An error's message is one English line (the CLI prints it, the API answers it as ``detail``). An
error a page shows may also name its reason in the translation catalog (`message_id`, `values`),
so the page reads in its reader's language while the API keeps its English contract.
"""

from typing import Any


class RobotworkError(Exception):
    """Base of every error robotwork raises on purpose; the CLI prints it as one line."""

    def __init__(self, message: str, *, message_id: str | None = None, **values: Any) -> None:
        super().__init__(message)
        self.message_id = message_id
        self.values = values


class PolicyError(RobotworkError):
    """The policy file is missing a value or holds one of the wrong type."""


class ImportRejected(RobotworkError):
    """An import file was refused; the problems name sheet, row and column."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class UnknownRecord(RobotworkError):
    """A code or id asked for is not in the registry. `kind` (robot, scenario, ...) and `key` (the
    code asked for) name it for a page: the catalog's ``error.unknown.<kind>`` with ``{record}``, or
    ``error.unknown`` when the raiser did not say what kind of record it was."""

    def __init__(self, message: str, *, kind: str | None = None, key: object = None) -> None:
        message_id = f"error.unknown.{kind}" if kind else "error.unknown"
        super().__init__(message, message_id=message_id, record="" if key is None else str(key))
        self.kind = kind
        self.key = key


class BadParameter(RobotworkError):
    """A request's parameter cannot be read (an ``as_of`` that is not a date): the reader's
    mistake, answered 400."""


class IngestError(RobotworkError):
    """A recording was refused; the message names the file and the byte offset or message index."""


class StoreError(RobotworkError):
    """The telemetry store could not complete a write or a read."""
