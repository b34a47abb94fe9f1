"""occurrences: each automatic message once per person per day; reminder notices

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = ["callsheet", "schedule_change", "script", "announcement", "rental", "escalation", "report"]


def _notice_kind(kinds: list[str]) -> sa.Enum:
    return sa.Enum(*kinds, name="notice_kind", native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table(
        "occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "callsheet",
                "reminder",
                "daily_check",
                name="occurrence_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_occurrences_notice_id_notices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_occurrences_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrences")),
        sa.UniqueConstraint(
            "production_id",
            "kind",
            "day",
            "person",
            name=op.f("uq_occurrences_production_id_kind_day_person"),
        ),
    )
    with op.batch_alter_table("notices") as batch_op:
        batch_op.alter_column(
            "kind", existing_type=_notice_kind(KINDS), type_=_notice_kind([*KINDS, "reminder"])
        )


def downgrade() -> None:
    op.execute("DELETE FROM notices WHERE kind = 'reminder'")
    with op.batch_alter_table("notices") as batch_op:
        batch_op.alter_column(
            "kind", existing_type=_notice_kind([*KINDS, "reminder"]), type_=_notice_kind(KINDS)
        )
    op.drop_table("occurrences")
