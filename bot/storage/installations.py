"""Multi-workspace installs: slack_sdk's own SQLAlchemy installation and OAuth state stores.

Their tables are slack_sdk's (built by its own table builders) and are created by
migration 0010, like every other table; the stores read and write them.
"""

from __future__ import annotations

import datetime as dt

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, delete

from bot import clock
from bot.storage.db import Database, changed

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
STATES = "slack_oauth_states"
# An install must be finished within this long of starting it.
STATE_SECONDS = 600


def slack_metadata() -> MetaData:
    """The stores' tables, as slack_sdk defines them."""
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS)
    SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES)
    return metadata


def forget_expired_states(db: Database, *, now: dt.datetime) -> int:
    """Delete OAuth states past their expiry (every visit to the install page makes one,
    and slack_sdk removes only those used); returns how many went."""
    table = slack_metadata().tables[STATES]
    # slack_sdk dates its states by the real clock, in naive UTC: `now` is Crewcall's.
    cutoff = clock.real(now).astimezone(dt.UTC).replace(tzinfo=None)
    with db.transaction() as session:
        return changed(session.execute(delete(table).where(table.c.expire_at <= cutoff)))


def installation_store(db: Database, *, client_id: str) -> SQLAlchemyInstallationStore:
    """Installations (and their bot tokens) by workspace, in Crewcall's database."""
    return SQLAlchemyInstallationStore(
        client_id=client_id,
        engine=db.engine,
        bots_table_name=BOTS,
        installations_table_name=INSTALLATIONS,
    )


def state_store(db: Database) -> SQLAlchemyOAuthStateStore:
    """The OAuth `state` values handed out by the install page, each good once."""
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_SECONDS, engine=db.engine, table_name=STATES
    )
