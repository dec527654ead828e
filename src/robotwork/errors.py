"""One error tree for robotwork: every error says which file, row or offset it is about."""


class RobotworkError(Exception):
    """Base of every error robotwork raises on purpose; the CLI prints it as one line."""


class PolicyError(RobotworkError):
    """The policy file is missing a value or holds one of the wrong type."""


class ImportRejected(RobotworkError):
    """An import file was refused; the problems name sheet, row and column."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class UnknownRecord(RobotworkError):
    """A code or id asked for is not in the registry."""


class IngestError(RobotworkError):
    """A recording was refused; the message names the file and the byte offset or message index."""


class StoreError(RobotworkError):
    """The telemetry store could not complete a write or a read."""
