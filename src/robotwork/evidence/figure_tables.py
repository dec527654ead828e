"""The stored figures: tables the pages, the API, reports and the CLI read instead of rescanning.

A *view* is the figures of one policy as of one date (`figure_views`, one row each), with its
robot rows (`figure_robots`) and the standings of the scenarios that have robots
(`figure_scenarios`). The special view `days` holds the per-day national totals (`figure_days`)
and the counts of recordings. `figure_marks` lists the recordings whose robot-days changed (a new
recording, a flag raised or cleared), in commit order; each view remembers the last mark and the
last registry change it has taken in, so it knows exactly what it still has to recompute.

Core tables of their own metadata: they are derived, created by migration 0010, and no ORM
session needs to know them.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

_SEQ = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only

views = Table(
    "figure_views",
    metadata,
    Column("view", String(96), primary_key=True),
    Column("policy_key", String(64), nullable=True),
    Column("as_of", Date, nullable=True),
    Column("mark", BigInteger, nullable=False),
    Column("change_id", BigInteger, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("summary", JSON, nullable=True),
)

robots = Table(
    "figure_robots",
    metadata,
    Column("view", String(96), primary_key=True),
    Column("robot_serial", String(64), primary_key=True),
    Column("model", String(120), nullable=False),
    Column("scenario_id", String(64), nullable=True),
    Column("site_id", String(64), nullable=True),
    Column("city", String(120), nullable=True),
    Column("operating_hours", Float, nullable=False),
    Column("autonomous_hours", Float, nullable=False),
    Column("teleoperated_hours", Float, nullable=False),
    Column("scripted_hours", Float, nullable=False),
    Column("idle_hours", Float, nullable=False),
    Column("interventions", Integer, nullable=False),
    Column("assists", Integer, nullable=False),
    Column("interventions_per_hour", Float, nullable=True),
    Column("mtbi_hours", Float, nullable=True),
    Column("tasks_succeeded", Integer, nullable=False),
    Column("tasks_failed", Integer, nullable=False),
    Column("tasks_aborted", Integer, nullable=False),
    Column("tasks_incomplete", Integer, nullable=False),
    Column("success_rate", Float, nullable=True),
    Column("worked_days", Integer, nullable=False),
    Column("in_routine_operation", Boolean, nullable=False),
    Column("autonomy_level", String(8), nullable=True),
    Column("flagged", Boolean, nullable=False),
    Index("ix_figure_robots_view_scenario", "view", "scenario_id"),
)

scenarios = Table(
    "figure_scenarios",
    metadata,
    Column("view", String(96), primary_key=True),
    Column("scenario_id", String(64), primary_key=True),
    Column("stage", String(16), nullable=False),
    Column("missing", JSON, nullable=False),
    Column("success_rate", Float, nullable=True),
    Column("high_value", Boolean, nullable=False),
    Column("robots", Integer, nullable=False),
    Column("robots_in_routine_operation", Integer, nullable=False),
    Column("sites_in_routine_operation", Integer, nullable=False),
    Column("cities", JSON, nullable=False),
)

marks = Table(
    "figure_marks",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("robot_serial", String(64), nullable=False),
    Column("start_ns", BigInteger, nullable=False),
    Column("end_ns", BigInteger, nullable=False),
    sqlite_autoincrement=True,
)

days = Table(
    "figure_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("operating_s", Float, nullable=False),
    Column("interventions", BigInteger, nullable=False),
)
