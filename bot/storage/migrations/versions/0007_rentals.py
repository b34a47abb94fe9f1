"""rentals and their history

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table(
        "rentals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("pickup_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rate_cents", sa.Integer(), nullable=False),
        sa.Column("rate_period", _enum("rate_period", "day", "week"), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("po_number", sa.String(length=50), nullable=False),
        sa.Column("vendor_contact", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            _enum("rental_status", "reserved", "out", "returned", "lost", "damaged"),
            nullable=False,
        ),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_rentals_quantity")),
        sa.CheckConstraint("rate_cents >= 0", name=op.f("ck_rentals_rate_cents")),
        sa.CheckConstraint("due_on >= pickup_on", name=op.f("ck_rentals_due_after_pickup")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_rentals_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_rentals_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rentals")),
    )
    op.create_index(
        "ix_rentals_production_status", "rentals", ["production_id", "status"], unique=False
    )
    op.create_table(
        "rental_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rental_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rental_id"],
            ["rentals.id"],
            name=op.f("fk_rental_events_rental_id_rentals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rental_events")),
    )
    op.create_index(
        op.f("ix_rental_events_rental_id"), "rental_events", ["rental_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_rental_events_rental_id"), table_name="rental_events")
    op.drop_table("rental_events")
    op.drop_index("ix_rentals_production_status", table_name="rentals")
    op.drop_table("rentals")
