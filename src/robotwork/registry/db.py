"""Opening the registry: engine from a URL, Alembic migrations on first use, reference rows seeded.

SQLite is the embedded default (one file in the home folder); any SQLAlchemy URL works, and
``postgresql+psycopg://`` is tested. Migrations and the reference seed are idempotent, so every
command can call `open_registry` without a separate "init" step.
"""

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
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
        lock_for_writing(session.connection())
        yield session
        session.commit()


def lock_for_writing(connection: Connection) -> None:
    """Start the connection's transaction holding SQLite's write lock (`BEGIN IMMEDIATE`), so a
    read-then-write waits its turn instead of failing; nothing to do on PostgreSQL."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every branch (a no-op when it is there).

    Features that arrive together (ingest states, audit, live status) each add their own
    migration off a common parent; upgrading to "heads" applies all of them in any order.
    """
    if _at_heads(engine):
        return
    from alembic import command  # only when there is something to do: a second off every start
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("robotwork.registry").joinpath("migrations"))
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def _script_heads() -> set[str]:
    """The head revisions of the shipped migrations, read from their files without Alembic
    (a revision no other names as its down_revision); empty when a file cannot be read so."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in resources.files("robotwork.registry").joinpath("migrations", "versions").iterdir():
        if script.name.endswith(".py"):
            found = _revision_of(script.read_text(encoding="utf-8"))
            if found is None:
                return set()
            revisions.add(found[0])
            parents.update(found[1])
    return revisions - parents


def _revision_of(source: str) -> tuple[str, tuple[str, ...]] | None:
    """A migration's (revision, down revisions), from its module-level assignments."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    revision, down = found.get("revision"), found.get("down_revision")
    if not isinstance(revision, str):
        return None
    downs = (
        (down,)
        if isinstance(down, str)
        else tuple(str(d) for d in down or ())
        if isinstance(down, tuple | list)
        else ()
    )
    return revision, downs


def _at_heads(engine: Engine) -> bool:
    """Whether the registry already stands at every head revision (nothing to migrate)."""
    heads = _script_heads()
    if not heads or not inspect(engine).has_table("alembic_version"):
        return False
    with engine.connect() as connection:
        current = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return current == heads


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
