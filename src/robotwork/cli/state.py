"""What every command shares: the home folder, the registry URL, the policy, the actor."""

import getpass
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from robotwork.policy import Policy, load_policy
from robotwork.registry.db import open_registry, sqlite_url

if TYPE_CHECKING:
    from robotwork.access import ReadScope
    from robotwork.store.telemetry import TelemetryStore


@dataclass
class State:
    """Global options, resolved lazily so `--help` never touches the database."""

    home: Path
    db_url: str | None
    policy_path: Path | None
    store_url: str | None = None
    lang: str = "en"  # --lang: the language of tables and messages (see cli.output.t)
    actor: str = field(default_factory=getpass.getuser)

    @cached_property
    def policy(self) -> Policy:
        """The policy in force (the shipped default unless ``--policy`` names a file)."""
        return load_policy(self.policy_path)

    @cached_property
    def engine(self) -> Engine:
        """The migrated registry (SQLite in the home folder unless ``--db`` names another)."""
        url = self.db_url
        if url is None:
            self.home.mkdir(parents=True, exist_ok=True)
            url = sqlite_url(self.home)
        return open_registry(url)

    @cached_property
    def store(self) -> "TelemetryStore":
        """The telemetry store (a folder in the home folder unless ``--store`` names a URL)."""
        from robotwork.store.telemetry import TelemetryStore

        return TelemetryStore(self.store_url or str(self.home / "telemetry"))

    @cached_property
    def scope(self) -> "ReadScope":
        """What the read layer may show: everything (whoever runs the CLI holds the database;
        the web's roles limit people who do not)."""
        from robotwork.access import ReadScope
        from robotwork.accounts import Principal

        return ReadScope(Principal("user", self.actor, "ministry"), robots=None)

    def today(self) -> date:
        """Today's date in the program's time zone."""
        return datetime.now(self.policy.zone).date()
