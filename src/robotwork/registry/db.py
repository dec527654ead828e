"""Opening the registry: engine from a URL, Alembic migrations on first use, reference rows seeded.

SQLite is the embedded default (one file in the home folder); any SQLAlchemy URL works, and
``postgresql+psycopg://`` is tested. Migrations and the reference seed are idempotent, so every
command can call `open_registry` without a separate "init" step.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session

from robotwork.registry import reference
from robotwork.registry.models import Change, Organization

SYSTEM_ACTOR = "robotwork"


def sqlite_url(home: Path) -> str:
    """The URL of the embedded registry file inside the home folder."""
    return f"sqlite:///{home / 'registry.sqlite'}"


# How long a SQLite connection waits for another process's write lock before giving up.
_SQLITE_BUSY_SECONDS = 120


def _prepare_sqlite(engine: Engine) -> None:
    """Foreign keys on; write-ahead logging, so readers never wait for the one writer."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session in a write transaction that holds the write lock from its first statement.

    On SQLite a transaction that reads and then writes fails at once ("database is locked",
    without waiting) when another process wrote in between; taking the lock up front with
    BEGIN IMMEDIATE makes it wait its turn instead. PostgreSQL needs nothing of the kind.
    """
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session
        session.commit()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every branch (a no-op when it is there).

    Features that arrive together (ingest states, audit, live status) each add their own
    migration off a common parent; upgrading to "heads" applies all of them in any order.
    """
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("robotwork.registry").joinpath("migrations"))
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def seed_reference(engine: Engine) -> None:
    """Insert the shipped provinces and central SOEs that the registry does not hold yet."""
    with Session(engine) as session, session.begin():
        known = set(session.scalars(select(Organization.code)))
        now = datetime.now(UTC)
        for org in (*reference.provinces(), *reference.central_soes()):
            if org.code in known:
                continue
            values = {"code": org.code, "name": org.name, "name_zh": org.name_zh, "kind": org.kind}
            session.add(Organization(**values, province=None, notes={}))
            session.add(
                Change(
                    entity="organizations",
                    record_key=org.code,
                    action="create",
                    old=None,
                    new=values,
                    actor=SYSTEM_ACTOR,
                    source="reference list",
                    changed_at=now,
                )
            )


def open_registry(url: str) -> Engine:
    """An engine on a migrated, seeded registry at `url`."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_SECONDS} if sqlite else {})
    if sqlite:
        _prepare_sqlite(engine)
    migrate(engine)
    seed_reference(engine)
    return engine
