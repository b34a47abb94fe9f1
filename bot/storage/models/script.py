"""Script revisions: each colour's pages, and who has them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now as utcnow
from bot.storage.models.base import Base


class ScriptRevision(Base):
    """One revision of the script: its colour, the pages it replaces, and its announcement."""

    __tablename__ = "script_revisions"
    __table_args__ = (UniqueConstraint("production_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    # 1 for the first revision announced, and so on: its place in the colour sequence.
    number: Mapped[int]
    colour: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    pages: Mapped[str] = mapped_column(String(1000), doc="as written back: `12, 14-16, 23A`")
    scenes: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str | None] = mapped_column(String(32), doc="Slack user id")
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
