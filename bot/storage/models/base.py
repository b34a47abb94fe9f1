"""The declarative base: stable constraint names, aware UTC timestamps, enums as checked strings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

from bot.storage.types import UTCDateTime

# Stable constraint names, so that migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime()}


def stored_enum(kind: type[enum.Enum], name: str) -> Enum:
    """Enums are stored as their values in a plain string column with a CHECK."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )
