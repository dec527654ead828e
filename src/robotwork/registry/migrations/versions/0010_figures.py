"""stored figures: views of the figures as of a date, kept current from marks of changed robot-days

Revision ID: 0010
Revises: 0005

Derived tables only (see robotwork.evidence.figure_tables): empty after the upgrade, filled by
the first read of each view.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None

_FLOATS = ("operating_hours", "autonomous_hours", "teleoperated_hours", "scripted_hours", "idle_hours")
_INTS = ("interventions", "assists")
_TASKS = ("tasks_succeeded", "tasks_failed", "tasks_aborted", "tasks_incomplete")


def upgrade() -> None:
    op.create_table(
        "figure_views",
        sa.Column("view", sa.String(96), primary_key=True),
        sa.Column("policy_key", sa.String(64), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.Column("change_id", sa.BigInteger(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
    )
    op.create_table(
        "figure_robots",
        sa.Column("view", sa.String(96), primary_key=True),
        sa.Column("robot_serial", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(120), nullable=False),
        sa.Column("scenario_id", sa.String(64), nullable=True),
        sa.Column("site_id", sa.String(64), nullable=True),
        sa.Column("city", sa.String(120), nullable=True),
        *(sa.Column(name, sa.Float(), nullable=False) for name in _FLOATS),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _INTS),
        sa.Column("interventions_per_hour", sa.Float(), nullable=True),
        sa.Column("mtbi_hours", sa.Float(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _TASKS),
        sa.Column("success_rate", sa.Float(), nullable=True),
        sa.Column("worked_days", sa.Integer(), nullable=False),
        sa.Column("in_routine_operation", sa.Boolean(), nullable=False),
        sa.Column("autonomy_level", sa.String(8), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_figure_robots_view_scenario", "figure_robots", ["view", "scenario_id"])
    op.create_table(
        "figure_scenarios",
        sa.Column("view", sa.String(96), primary_key=True),
        sa.Column("scenario_id", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("success_rate", sa.Float(), nullable=True),
        sa.Column("high_value", sa.Boolean(), nullable=False),
        sa.Column("robots", sa.Integer(), nullable=False),
        sa.Column("robots_in_routine_operation", sa.Integer(), nullable=False),
        sa.Column("sites_in_routine_operation", sa.Integer(), nullable=False),
        sa.Column("cities", sa.JSON(), nullable=False),
    )
    op.create_table(
        "figure_marks",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("robot_serial", sa.String(64), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "figure_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("operating_s", sa.Float(), nullable=False),
        sa.Column("interventions", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("figure_days")
    op.drop_table("figure_marks")
    op.drop_table("figure_scenarios")
    op.drop_index("ix_figure_robots_view_scenario", table_name="figure_robots")
    op.drop_table("figure_robots")
    op.drop_table("figure_views")
