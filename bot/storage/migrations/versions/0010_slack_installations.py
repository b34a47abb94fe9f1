"""slack_sdk's installation, bot and OAuth state tables, for multi-workspace installs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from alembic import op

from bot.storage.installations import BOTS, INSTALLATIONS, STATES, slack_metadata

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The tables exactly as slack_sdk's stores define them (it owns their shape).
    slack_metadata().create_all(op.get_bind())


def downgrade() -> None:
    metadata = slack_metadata()
    for name in (STATES, BOTS, INSTALLATIONS):
        metadata.tables[name].drop(op.get_bind())
