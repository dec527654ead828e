"""registry tables

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_key", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_record_key"), ["record_key"], unique=False)

    op.create_table(
        "consortia",
        sa.Column("consortium_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("scenario_ids", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("consortium_id"),
    )
    op.create_table(
        "organizations",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_zh", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("province", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_kind"), ["kind"], unique=False)

    op.create_table(
        "consortium_members",
        sa.Column("consortium_id", sa.String(length=64), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortia.consortium_id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_code"],
            ["organizations.code"],
        ),
        sa.PrimaryKeyConstraint("consortium_id", "org_code", "role"),
    )
    op.create_table(
        "robots",
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("manufacturer", sa.String(length=64), nullable=False),
        sa.Column("built_on", sa.Date(), nullable=True),
        sa.Column("owner_org", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manufacturer"],
            ["organizations.code"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_org"],
            ["organizations.code"],
        ),
        sa.PrimaryKeyConstraint("serial"),
    )
    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("province", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("user_org", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_org"],
            ["organizations.code"],
        ),
        sa.PrimaryKeyConstraint("site_id"),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_province"), ["province"], unique=False)

    op.create_table(
        "submissions",
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_code"],
            ["organizations.code"],
        ),
        sa.PrimaryKeyConstraint("org_code", "kind", "submitted_on"),
    )
    op.create_table(
        "scenarios",
        sa.Column("scenario_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("nominated_by", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("user_org", sa.String(length=64), nullable=False),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("nominated_on", sa.Date(), nullable=False),
        sa.Column("planned_robots", sa.Integer(), nullable=True),
        sa.Column("declared_robots_in_operation", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nominated_by"],
            ["organizations.code"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.site_id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_org"],
            ["organizations.code"],
        ),
        sa.PrimaryKeyConstraint("scenario_id"),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_nominated_by"), ["nominated_by"], unique=False)

    op.create_table(
        "deployments",
        sa.Column("robot_serial", sa.String(length=64), nullable=False),
        sa.Column("scenario_id", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["robot_serial"],
            ["robots.serial"],
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.scenario_id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.site_id"],
        ),
        sa.PrimaryKeyConstraint("robot_serial", "scenario_id", "start_date"),
    )


def downgrade() -> None:
    op.drop_table("deployments")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenarios_nominated_by"))

    op.drop_table("scenarios")
    op.drop_table("submissions")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_province"))

    op.drop_table("sites")
    op.drop_table("robots")
    op.drop_table("consortium_members")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_kind"))

    op.drop_table("organizations")
    op.drop_table("consortia")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_record_key"))
        batch_op.drop_index(batch_op.f("ix_changes_entity"))

    op.drop_table("changes")
