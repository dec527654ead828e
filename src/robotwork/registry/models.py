"""The registry's tables: one model per sheet of the import template, plus the change history.

Column names follow the template in registry.md so that a row of a workbook, a row of the
database and a key of the JSON form all carry the same names.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the registry."""


class Organization(Base):
    """A province, central SOE, ministry, user, integrator, algorithm team or manufacturer."""

    __tablename__ = "organizations"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    province: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Site(Base):
    """A place where robots work: a factory hall, a warehouse, a hotel, a substation."""

    __tablename__ = "sites"
    site_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province: Mapped[str] = mapped_column(String(16), index=True)
    city: Mapped[str] = mapped_column(String(120))
    user_org: Mapped[str] = mapped_column(ForeignKey("organizations.code"))
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Scenario(Base):
    """A real work scenario nominated by a province or central SOE."""

    __tablename__ = "scenarios"
    scenario_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    domain: Mapped[str] = mapped_column(String(32))
    nominated_by: Mapped[str] = mapped_column(ForeignKey("organizations.code"), index=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id"))
    user_org: Mapped[str] = mapped_column(ForeignKey("organizations.code"))
    tasks: Mapped[list[str]] = mapped_column(JSON, default=list)
    nominated_on: Mapped[date] = mapped_column(Date)
    planned_robots: Mapped[int | None] = mapped_column(Integer)
    declared_robots_in_operation: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="nominated")
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Consortium(Base):
    """An innovation application consortium of users, integrators and algorithm teams."""

    __tablename__ = "consortia"
    consortium_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    scenario_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConsortiumMember(Base):
    """One organization's role in a consortium."""

    __tablename__ = "consortium_members"
    consortium_id: Mapped[str] = mapped_column(ForeignKey("consortia.consortium_id"), primary_key=True)
    org_code: Mapped[str] = mapped_column(ForeignKey("organizations.code"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Robot(Base):
    """One humanoid robot, known by its serial number."""

    __tablename__ = "robots"
    serial: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(120))
    manufacturer: Mapped[str] = mapped_column(ForeignKey("organizations.code"))
    built_on: Mapped[date | None] = mapped_column(Date)
    owner_org: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"))
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Deployment(Base):
    """A robot put to work on a scenario at a site from a date (the site may replicate it)."""

    __tablename__ = "deployments"
    robot_serial: Mapped[str] = mapped_column(ForeignKey("robots.serial"), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.scenario_id"), primary_key=True)
    start_date: Mapped[date] = mapped_column(Date, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id"))
    end_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Submission(Base):
    """A document an organization handed to the ministry: implementation plan or progress report."""

    __tablename__ = "submissions"
    org_code: Mapped[str] = mapped_column(ForeignKey("organizations.code"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    submitted_on: Mapped[date] = mapped_column(Date, primary_key=True)
    document: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Change(Base):
    """One change to one record: who, when, from where, the old and the new values."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(64), index=True)
    record_key: Mapped[str] = mapped_column(String(300), index=True)
    action: Mapped[str] = mapped_column(String(16))
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Recording(Base):
    """A recording stored in the telemetry store; a row exists only once its files are whole.

    `recording_id` is the SHA-256 of the upload's bytes, so the same upload is stored once.
    """

    __tablename__ = "recordings"
    recording_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    robot_serial: Mapped[str] = mapped_column(ForeignKey("robots.serial"), index=True)
    scenario_id: Mapped[str | None] = mapped_column(String(64), index=True)
    site_id: Mapped[str | None] = mapped_column(String(64))
    software_version: Mapped[str | None] = mapped_column(String(120))
    source_name: Mapped[str] = mapped_column(String(500))
    source_kind: Mapped[str] = mapped_column(String(16))
    start_ns: Mapped[int] = mapped_column(BigInteger)
    end_ns: Mapped[int] = mapped_column(BigInteger)
    messages: Mapped[int] = mapped_column(BigInteger)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    joint_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rows: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ingested_by: Mapped[str] = mapped_column(String(120))
    content_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    files: Mapped[list[str]] = mapped_column(JSON, default=list)


class IngestJob(Base):
    """Where one upload stands on its way in: the state machine of docs/ingest.md.

    received -> stored -> summarized -> counted, or refused. `recording_id` (the SHA-256 of the
    bytes) is the primary key, so inserting this row is the claim: of many processes given the
    same bytes, exactly one inserts it and writes; the others wait for its result. A claim
    whose holder stopped renewing `heartbeat_at` is stale and may be taken over by anyone, who
    finishes the work from the state reached.
    """

    __tablename__ = "ingest_jobs"
    recording_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(500))
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(120))
    claim: Mapped[str | None] = mapped_column(String(64))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordingDay(Base):
    """Derived: what one recording shows for one calendar day (program time zone).

    Rebuildable from the raw telemetry at any time (`robotwork rebuild`); every figure of the
    plan is a sum over these rows, so answers never rescan raw joint data.
    """

    __tablename__ = "recording_days"
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.recording_id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    robot_serial: Mapped[str] = mapped_column(String(64), index=True)
    autonomous_s: Mapped[float] = mapped_column(Float, default=0.0)
    teleoperated_s: Mapped[float] = mapped_column(Float, default=0.0)
    scripted_s: Mapped[float] = mapped_column(Float, default=0.0)
    idle_s: Mapped[float] = mapped_column(Float, default=0.0)
    fault_s: Mapped[float] = mapped_column(Float, default=0.0)
    claimed_operating_s: Mapped[float] = mapped_column(Float, default=0.0)
    moving_minutes: Mapped[int] = mapped_column(Integer, default=0)
    tasks_started: Mapped[int] = mapped_column(Integer, default=0)
    tasks_succeeded: Mapped[int] = mapped_column(Integer, default=0)
    tasks_failed: Mapped[int] = mapped_column(Integer, default=0)
    tasks_aborted: Mapped[int] = mapped_column(Integer, default=0)
    tasks_incomplete: Mapped[int] = mapped_column(Integer, default=0)
    takeover: Mapped[int] = mapped_column(Integer, default=0)
    correction: Mapped[int] = mapped_column(Integer, default=0)
    estop: Mapped[int] = mapped_column(Integer, default=0)
    assist: Mapped[int] = mapped_column(Integer, default=0)


class Episode(Base):
    """Derived: one task episode (a start and its terminal event) of one recording."""

    __tablename__ = "episodes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.recording_id", ondelete="CASCADE"), index=True
    )
    robot_serial: Mapped[str] = mapped_column(String(64), index=True)
    start_ns: Mapped[int] = mapped_column(BigInteger)
    end_ns: Mapped[int | None] = mapped_column(BigInteger)
    task: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    mode_seconds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)


class Flag(Base):
    """An integrity flag on a recording: kept, not counted, until a reviewer clears it."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("recording_id", "rule"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.recording_id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str | None] = mapped_column(String(120))
    clear_reason: Mapped[str | None] = mapped_column(Text)


class User(Base):
    """A person who logs in: a ministry official, a province or SOE officer, a consortium member.

    `org_code` is the organization a province / central_soe officer writes for; `consortium_id`
    the consortium whose robots a consortium member works with. Passwords are kept only as slow
    (scrypt) hashes.
    """

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"))
    consortium_id: Mapped[str | None] = mapped_column(ForeignKey("consortia.consortium_id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token: a user's (acts as the user) or a device's (uploads for one robot only).

    The token shown once is ``rwt_{id}_{secret}``; only a slow hash of the secret is kept.
    """

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    secret_hash: Mapped[str] = mapped_column(String(300))
    username: Mapped[str | None] = mapped_column(ForeignKey("users.username"))
    robot_serial: Mapped[str | None] = mapped_column(ForeignKey("robots.serial"))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Dataset(Base):
    """A training dataset exported from the harvest, with its provenance (the manifest)."""

    __tablename__ = "datasets"
    dataset_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text)
    fps: Mapped[int] = mapped_column(Integer)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    robot_model: Mapped[str | None] = mapped_column(String(120))
    episodes: Mapped[int] = mapped_column(Integer)
    frames: Mapped[int] = mapped_column(BigInteger)
    recording_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    scenario_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))


class UserSession(Base):
    """A browser session, kept on the server so that logging out (or disabling the user) ends it.

    `id` is the SHA-256 of the random session key the signed cookie carries, so a copy of this
    table does not let anyone log in.
    """

    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One write or sign-in attempt: who, when, from which address, what it did and how it ended.

    Kept apart from `Change` (the old and new values of registry rows): the audit trail also
    holds refused attempts, logins and account changes, which change no registry row.
    """

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
