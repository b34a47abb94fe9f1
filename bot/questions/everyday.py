"""Answers to crew's everyday questions in a DM or a mention: wrap, where, heads, weather,
scenes, the day's number, meals (bot/questions/answers.py works them out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.calls.blocks import no_shoot_blocks
from bot.calls.lookup import Reply
from bot.core.asker import Asker
from bot.core.deps import Deps
from bot.core.effective_calls import NoShoot, local_today
from bot.core.views import DayView
from bot.questions.answers import day_asked, heads_of, weather
from bot.questions.blocks import (
    day_reply,
    heads_reply,
    meal_reply,
    scenes_reply,
    weather_reply,
    where_reply,
    wrap_reply,
)


def _on_the_day(words: Callable[[Asker, DayView], Reply]):
    """An answerer for a question about the day its words name (today's, or the next)."""

    def answer(asker: Asker, text: str, now: dt.datetime, _deps: Deps) -> Reply:
        day = day_asked(asker, text.split(), now)
        if isinstance(day, NoShoot):
            return no_shoot_blocks(asker.production, day, today=local_today(asker.production, now))
        return words(asker, day)

    return answer


def heads_answer(asker: Asker, text: str, _now: dt.datetime, _deps: Deps) -> Reply:
    """`who is the camera head?`"""
    return heads_reply(heads_of(asker, text.split()))


def day_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """`what day is it?`: today's day number, or the next shoot day."""
    day = day_asked(asker, [], now)
    if isinstance(day, NoShoot):
        return no_shoot_blocks(asker.production, day, today=local_today(asker.production, now))
    return day_reply(day, today=day.date == local_today(asker.production, now))


EVERYDAY = {
    "wrap": _on_the_day(lambda asker, day: wrap_reply(asker.production, day)),
    "where": _on_the_day(lambda _asker, day: where_reply(day)),
    "weather": _on_the_day(lambda asker, day: weather_reply(asker.production, weather(asker, day))),
    "scenes": _on_the_day(lambda _asker, day: scenes_reply(day)),
    "meal": _on_the_day(lambda _asker, day: meal_reply(day)),
    "head": heads_answer,
    "day": day_answer,
}
