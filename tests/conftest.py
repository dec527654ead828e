"""Shared fixtures: every registry test runs on SQLite and on the PostgreSQL server.

PostgreSQL tests get a schema of their own (dropped afterwards), so they never see each other's
rows. Under CI (`CI=true`) a missing PostgreSQL server fails the run instead of skipping.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from objectstore import s3_bucket, s3_root  # noqa: F401  (fixtures: an S3 store per test)
from raycluster import ray_local  # noqa: F401  (fixture: one local Ray per session)
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from robotwork.policy import Policy, load_policy
from robotwork.registry.db import open_registry

PG_URL = os.environ.get("ROBOTWORK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI a missing service is a failure, not a skip."""
    if IN_CI:
        pytest.fail(f"required service unavailable under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty registry database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    admin = create_engine(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        skip_or_fail(f"PostgreSQL at {PG_URL} not reachable ({exc.orig})")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated, seeded registry on each database kind."""
    eng = open_registry(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def policy() -> Policy:
    """The shipped default policy."""
    return load_policy()


@pytest.fixture(autouse=True)
def _own_broker_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Device tokens made by tests keep the broker's password file in step (robotwork.live.broker):
    point it at an empty folder, so no test rewrites the machine broker's passwords. Tests of the
    broker set ROBOTWORK_BROKER_DIR to their own broker's folder."""
    monkeypatch.setenv("ROBOTWORK_BROKER_DIR", str(tmp_path_factory.mktemp("no-broker")))
