"""fingerprints: replay detection's lookups as an indexed registry table

Revision ID: 0011
Revises: 0005

Before this revision each recording's fingerprints were a Parquet file in the store, all read by
every process on its first lookup. The table is empty after the upgrade; `robotwork doctor` (and
any intake before its first summary) moves the old files in
(robotwork.evidence.fingerprint_index.adopt_files), and `robotwork rebuild` recomputes them all.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fingerprints",
        sa.Column("fp", sa.BigInteger(), nullable=False),
        sa.Column(
            "recording_id",
            sa.String(length=64),
            sa.ForeignKey("recordings.recording_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("fp", "recording_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_fingerprints_recording_id", "fingerprints", ["recording_id"])


def downgrade() -> None:
    op.drop_index("ix_fingerprints_recording_id", table_name="fingerprints")
    op.drop_table("fingerprints")
