"""live status: current row per robot, alerts, broker credentials of device tokens

Revision ID: 0008
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_robots",
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("connection", sa.String(length=24), nullable=True),
        sa.Column("control_mode", sa.String(length=16), nullable=True),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("site_id", sa.String(length=500), nullable=True),
        sa.Column("battery", sa.Float(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("last_seen_ns", sa.BigInteger(), nullable=False),
        sa.Column("fresh_ns", sa.BigInteger(), nullable=False),
        sa.Column("sent_ns", sa.BigInteger(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_since_ns", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("robot_serial"),
    )
    op.create_index("ix_live_robots_status", "live_robots", ["status"])
    op.create_table(
        "live_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("since_ns", sa.BigInteger(), nullable=False),
        sa.Column("raised_ns", sa.BigInteger(), nullable=False),
        sa.Column("cleared_ns", sa.BigInteger(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_live_alerts_robot_serial", "live_alerts", ["robot_serial"])
    op.create_table(
        "broker_credentials",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_id"),
    )
    op.create_index("ix_broker_credentials_robot_serial", "broker_credentials", ["robot_serial"])


def downgrade() -> None:
    op.drop_table("broker_credentials")
    op.drop_table("live_alerts")
    op.drop_table("live_robots")
