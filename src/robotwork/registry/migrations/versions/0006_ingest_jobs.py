"""ingest jobs: the state machine of every upload, and the claim on it

Revision ID: 0006
Revises: 0005

Recordings stored before this revision were stored and derived in one go: they enter as
`counted`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_jobs",
        sa.Column("recording_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("claim", sa.String(length=64), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recording_id"),
    )
    op.create_index("ix_ingest_jobs_state", "ingest_jobs", ["state"])
    op.execute(
        "INSERT INTO ingest_jobs (recording_id, state, source, source_name, overrides, actor, "
        "attempts, received_at, updated_at) "
        "SELECT recording_id, 'counted', source_name, source_name, '{}', ingested_by, 1, "
        "ingested_at, ingested_at FROM recordings"
    )


def downgrade() -> None:
    op.drop_index("ix_ingest_jobs_state", table_name="ingest_jobs")
    op.drop_table("ingest_jobs")
