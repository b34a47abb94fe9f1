"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:47:27.121862
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_events_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("team_id", name=op.f("uq_workspaces_team_id")),
    )
    op.create_table(
        "productions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("crew_channel", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("callsheet_time", sa.Time(), nullable=False),
        sa.Column("reminder_lead", sa.Integer(), nullable=False),
        sa.Column("renotify_every", sa.Integer(), nullable=False),
        sa.Column("renotify_max", sa.Integer(), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=False),
        sa.Column("quiet_end", sa.Time(), nullable=False),
        sa.Column("rentals_time", sa.Time(), nullable=False),
        sa.Column(
            "time_format",
            sa.Enum(
                "24h",
                "12h",
                name="time_format",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "date_order",
            sa.Enum(
                "dmy",
                "mdy",
                name="date_order",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("revision_colours", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reminder_lead >= 0 AND reminder_lead <= 720", name=op.f("ck_productions_reminder_lead")
        ),
        sa.CheckConstraint(
            "renotify_every >= 5 AND renotify_every <= 1440",
            name=op.f("ck_productions_renotify_every"),
        ),
        sa.CheckConstraint(
            "renotify_max >= 0 AND renotify_max <= 20", name=op.f("ck_productions_renotify_max")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_productions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_productions")),
        sa.UniqueConstraint("workspace_id", "slug", name=op.f("uq_productions_workspace_id_slug")),
    )
    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_productions_crew_channel"), ["crew_channel"], unique=False
        )

    op.create_table(
        "crew_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "crew",
                "head",
                "coordinator",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "slack_user_id IS NOT NULL OR email IS NOT NULL",
            name=op.f("ck_crew_members_identified"),
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_crew_members_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew_members")),
        sa.UniqueConstraint(
            "production_id", "email", name=op.f("uq_crew_members_production_id_email")
        ),
        sa.UniqueConstraint(
            "production_id",
            "slack_user_id",
            name=op.f("uq_crew_members_production_id_slack_user_id"),
        ),
    )
    with op.batch_alter_table("crew_members", schema=None) as batch_op:
        batch_op.create_index("ix_crew_members_slack_user_id", ["slack_user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crew_members", schema=None) as batch_op:
        batch_op.drop_index("ix_crew_members_slack_user_id")

    op.drop_table("crew_members")
    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_productions_crew_channel"))

    op.drop_table("productions")
    op.drop_table("workspaces")
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_events_received_at"))

    op.drop_table("processed_events")
