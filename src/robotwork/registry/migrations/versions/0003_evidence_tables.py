"""evidence tables

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recording_id", sa.String(length=64), nullable=False),
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=True),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("mode_seconds", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.recording_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episodes_recording_id"), ["recording_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_episodes_robot_serial"), ["robot_serial"], unique=False)

    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recording_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.String(length=120), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.recording_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("recording_id", "rule"),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_recording_id"), ["recording_id"], unique=False)

    op.create_table(
        "recording_days",
        sa.Column("recording_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("autonomous_s", sa.Float(), nullable=False),
        sa.Column("teleoperated_s", sa.Float(), nullable=False),
        sa.Column("scripted_s", sa.Float(), nullable=False),
        sa.Column("idle_s", sa.Float(), nullable=False),
        sa.Column("fault_s", sa.Float(), nullable=False),
        sa.Column("claimed_operating_s", sa.Float(), nullable=False),
        sa.Column("moving_minutes", sa.Integer(), nullable=False),
        sa.Column("tasks_started", sa.Integer(), nullable=False),
        sa.Column("tasks_succeeded", sa.Integer(), nullable=False),
        sa.Column("tasks_failed", sa.Integer(), nullable=False),
        sa.Column("tasks_aborted", sa.Integer(), nullable=False),
        sa.Column("tasks_incomplete", sa.Integer(), nullable=False),
        sa.Column("takeover", sa.Integer(), nullable=False),
        sa.Column("correction", sa.Integer(), nullable=False),
        sa.Column("estop", sa.Integer(), nullable=False),
        sa.Column("assist", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.recording_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("recording_id", "day"),
    )
    with op.batch_alter_table("recording_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recording_days_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_recording_days_robot_serial"), ["robot_serial"], unique=False)

    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("files", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index(batch_op.f("ix_recordings_content_digest"), ["content_digest"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordings_content_digest"))
        batch_op.drop_column("content_digest")
        batch_op.drop_column("files")

    with op.batch_alter_table("recording_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recording_days_robot_serial"))
        batch_op.drop_index(batch_op.f("ix_recording_days_day"))

    op.drop_table("recording_days")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_recording_id"))

    op.drop_table("flags")
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episodes_robot_serial"))
        batch_op.drop_index(batch_op.f("ix_episodes_recording_id"))

    op.drop_table("episodes")
