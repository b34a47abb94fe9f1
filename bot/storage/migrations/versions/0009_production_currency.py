"""a production's currency, for rental rates written without one

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("productions") as batch:
        batch.add_column(
            sa.Column("currency", sa.String(length=3), nullable=False, server_default="USD")
        )


def downgrade() -> None:
    with op.batch_alter_table("productions") as batch:
        batch.drop_column("currency")
