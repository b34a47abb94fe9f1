"""clock calls keep their moment; deliveries remember the call they showed

A clock call was stored as written (05:30 = 330) and placed on the day against the
general crew call each time it was read, so moving the general call to the evening
moved a fixed 05:30 call to the next morning. It is now stored where it lands (a
05:30 call on a night shoot that starts at 18:00 is 1770, the next morning), worked
out once against the general call it was written for.

A delivery of a shoot day's notice remembers the call its person was shown
(`shown`), and a schedule change's delivery the call before the change (`before`),
so that the next notice says what changed since the last one the person was sent.
A delivery keeps its first post's ts (the message) and its latest reminder's.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DAY = 24 * 60


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("before", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("shown", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("nudge_ts", sa.String(length=32), nullable=True))
    # bot/core/clock.after_anchor: more than 12 hours before the general call is the next day.
    op.execute(
        sa.text(
            "UPDATE calls SET minutes = minutes + :day "
            "WHERE kind = 'clock' AND minutes < :day AND minutes + :half <= "
            "(SELECT general_call FROM shoot_days WHERE shoot_days.id = calls.shoot_day_id)"
        ).bindparams(day=DAY, half=DAY // 2)
    )


def downgrade() -> None:
    # Calls stay where they land: the older code reads a call of 1440 or more as it is.
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("nudge_ts")
        batch.drop_column("shown")
        batch.drop_column("before")
