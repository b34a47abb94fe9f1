"""Times, offsets, dates and page counts as people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.clock import (
    NoSuchHour,
    after_anchor,
    duration_text,
    file_time,
    format_clock,
    parse_call,
    parse_clock,
    wrap_after_call,
)
from bot.core.errors import UserError
from bot.core.scenes import format_eighths, parse_eighths
from bot.core.when import parse_file_date, parse_when
from bot.questions.questions import Question, understand
from bot.storage.models import CallKind, DateOrder, TimeFormat

SATURDAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("06:30", 390),
        ("6:30", 390),
        ("0630", 390),
        ("6:30am", 390),
        ("6:30a", 390),
        ("6:30 AM", 390),
        ("6am", 360),
        ("12am", 0),
        ("12:15pm", 735),
        ("6:30pm", 1110),
        ("18:00", 1080),
        ("00:00", 0),
        ("23:59", 1439),
    ],
)
def test_times(text: str, minutes: int) -> None:
    assert parse_clock(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["24:00", "25:00", "25:30", "25:99", "30:00", "13pm", "0am", "6", "six", "", "6:3", "-06:00"],
)
def test_bad_times(text: str) -> None:
    with pytest.raises(UserError, match="is not a time"):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("0.291666667", 7 * 60),  # as Excel writes 07:00 in a CSV of numbers
        ("0.2916666666666667", 7 * 60),
        ("0,5", 12 * 60),  # a decimal comma
        (".75", 18 * 60),
        ("0.010416667", 15),
        ("0.999305556", 23 * 60 + 59),
        ("0", 0),
        ("0.0", 0),
        ("07:00:00", 7 * 60),  # seconds, as Excel writes a time cell
        ("6:30am", 390),
    ],
)
def test_times_in_files_as_spreadsheets_write_them(text: str, minutes: int) -> None:
    assert file_time(text) == minutes


@pytest.mark.parametrize("text", ["1", "1.0", "1,000", "0.9999999", "24:00", "24:00:00"])
def test_midnight_as_24_00_is_refused_from_a_file_as_it_is_typed(text: str) -> None:
    with pytest.raises(NoSuchHour) as typed:
        parse_clock("24:00")
    with pytest.raises(NoSuchHour) as read:
        file_time(text)

    # The same reason and the same way to write it, about what the file holds.
    assert str(read.value).endswith(str(typed.value).removeprefix("`24:00` is not a time"))
    assert "hours run from 00 to 23" in str(read.value)
    assert "(00:00)" in str(read.value)


@pytest.mark.parametrize("text", ["1.5", "2", "-0.5", "0.5.5", "1e-1", "0x1", "nan"])
def test_day_fractions_past_a_day_or_not_numbers_are_refused(text: str) -> None:
    with pytest.raises(UserError, match="is not a time"):
        file_time(text)


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(435, "7 h 15 min"), (240, "4 h"), (45, "45 min"), (-810, "13 h 30 min"), (0, "0 min")],
)
def test_durations_in_hours_and_minutes(minutes: int, said: str) -> None:
    assert duration_text(minutes) == said


def test_calls_offsets_and_off() -> None:
    assert parse_call("-90").kind == CallKind.OFFSET
    assert parse_call("-90").minutes == -90
    assert parse_call("+30").minutes == 30
    assert parse_call("OFF").kind == CallKind.OFF
    assert parse_call("5:45a").minutes == 345
    with pytest.raises(UserError, match="more than 12 hours"):
        parse_call("+800")
    with pytest.raises(UserError, match="is not a call"):
        parse_call("early")


def test_night_times_fall_after_midnight() -> None:
    assert after_anchor(90, 1080) == 90 + 1440  # 01:30 on an 18:00 day
    assert after_anchor(17 * 60, 1080) == 17 * 60  # 17:00 on an 18:00 day stays
    assert after_anchor(5 * 60, 7 * 60) == 5 * 60  # an early call is not the next day
    assert wrap_after_call(6 * 60, 18 * 60) == 6 * 60 + 1440
    assert wrap_after_call(19 * 60, 7 * 60) == 19 * 60


def test_clock_formats() -> None:
    assert format_clock(390, TimeFormat.H24) == "06:30"
    assert format_clock(390, TimeFormat.H12) == "6:30am"
    assert format_clock(0, TimeFormat.H12) == "12:00am"
    assert format_clock(720, TimeFormat.H12) == "12:00pm"
    assert format_clock(1530, TimeFormat.H24) == "01:30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", dt.date(2026, 11, 21)),
        ("tomorrow", dt.date(2026, 11, 22)),
        ("yesterday", dt.date(2026, 11, 20)),
        ("sat", dt.date(2026, 11, 21)),
        ("next sat", dt.date(2026, 11, 28)),
        ("fri", dt.date(2026, 11, 27)),
        ("Friday", dt.date(2026, 11, 27)),
        ("next mon", dt.date(2026, 11, 23)),
        ("2026-11-24", dt.date(2026, 11, 24)),
        ("24 nov", dt.date(2026, 11, 24)),
        ("24th November", dt.date(2026, 11, 24)),
        ("Nov 24", dt.date(2026, 11, 24)),
        ("3 jan", dt.date(2027, 1, 3)),
        ("24/11", dt.date(2026, 11, 24)),
        ("24.11.2026", dt.date(2026, 11, 24)),
    ],
)
def test_dates_day_first(text: str, expected: dt.date) -> None:
    when = parse_when(text, today=SATURDAY, date_order=DateOrder.DAY_FIRST)
    assert when.date == expected


def test_month_first_productions() -> None:
    when = parse_when("11/24", today=SATURDAY, date_order=DateOrder.MONTH_FIRST)
    assert when.date == dt.date(2026, 11, 24)
    with pytest.raises(UserError):
        parse_when("11/24", today=SATURDAY, date_order=DateOrder.DAY_FIRST)


def test_day_numbers_and_next() -> None:
    assert parse_when("day 12", today=SATURDAY, date_order=DateOrder.DAY_FIRST).day_number == 12
    assert parse_when("D12", today=SATURDAY, date_order=DateOrder.DAY_FIRST).day_number == 12
    assert parse_when("", today=SATURDAY, date_order=DateOrder.DAY_FIRST).is_next
    assert parse_when("next", today=SATURDAY, date_order=DateOrder.DAY_FIRST).is_next


@pytest.mark.parametrize(
    "text", ["someday", "31/02", "2026-02-30", "32 nov", "next blursday", "30 feb"]
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(UserError):
        parse_when(text, today=SATURDAY, date_order=DateOrder.DAY_FIRST)


def test_file_dates_need_a_year() -> None:
    assert parse_file_date("2026-11-24", DateOrder.DAY_FIRST) == dt.date(2026, 11, 24)
    assert parse_file_date("24/11/2026", DateOrder.DAY_FIRST) == dt.date(2026, 11, 24)
    assert parse_file_date("11/24/2026", DateOrder.MONTH_FIRST) == dt.date(2026, 11, 24)
    assert parse_file_date("24 Nov 2026", DateOrder.DAY_FIRST) == dt.date(2026, 11, 24)
    for text in ("24/11", "tomorrow", "fri", "2026-11-31"):
        with pytest.raises(UserError):
            parse_file_date(text, DateOrder.DAY_FIRST)


@pytest.mark.parametrize(("text", "eighths"), [("1 3/8", 11), ("4/8", 4), ("2", 16), ("0", 0)])
def test_pages_in_eighths(text: str, eighths: int) -> None:
    assert parse_eighths(text) == eighths
    assert parse_eighths(format_eighths(eighths)) == eighths


@pytest.mark.parametrize("text", ["3/9", "1 8/8", "", "half", "1.5"])
def test_bad_page_counts(text: str) -> None:
    with pytest.raises(UserError):
        parse_eighths(text)


@pytest.mark.parametrize(
    ("text", "command", "arguments"),
    [
        ("what's my call tomorrow?", "/calltime", "tomorrow"),
        ("call time day 12 for camera", "/calltime", "day 12 camera"),
        ("callsheet friday", "/callsheet", "friday"),
        ("What's the call sheet for Day 3?", "/callsheet", "day 3"),
        ("<@U0CREWBOT> when is my call", "/calltime", ""),
        ("call for <@U0HF0015|kit> tomorrow", "/calltime", "tomorrow <@U0HF0015|kit>"),
    ],
)
def test_questions(text: str, command: str, arguments: str) -> None:
    question = understand(text, bot_user_id="U0CREWBOT")
    assert (question.command, question.arguments) == (command, arguments)


def test_not_a_question() -> None:
    assert understand("is the coffee truck here yet") is None


@pytest.mark.parametrize(
    "text",
    ["thanks!", "Thank you so much", "ok", "got it", "cheers mate", "ty!!", "👍", ":+1:",
     "Thanks 🙏", "<@U0CREWBOT> thanks"],
)  # fmt: skip
def test_thanks_gets_a_friendly_word(text: str) -> None:
    assert understand(text, bot_user_id="U0CREWBOT") == Question("thanks", "")


@pytest.mark.parametrize("text", ["...", "thanks, what time is wrap?", "ok so who is camera head"])
def test_thanks_with_a_question_is_the_question(text: str) -> None:
    assert understand(text, bot_user_id="U0CREWBOT") != Question("thanks", "")
