"""Block Kit for crew's everyday questions: pure functions of plain values."""

from __future__ import annotations

from bot.calls.blocks import place_lines
from bot.core.format import clock_text, day_title, moment_text
from bot.core.kit import section
from bot.core.mrkdwn import escaped
from bot.core.scenes import format_eighths, pages_text
from bot.core.views import DayView, ProductionView
from bot.questions.answers import Heads, Weather

Reply = tuple[str, list[dict]]
THANKS = "You're welcome! See you on set."


def plain(text: str) -> Reply:
    """One short answer: the same words as text and as a section."""
    return text.splitlines()[0], [section(text)]


def wrap_reply(production: ProductionView, day: DayView) -> Reply:
    """`Estimated wrap Tue 24 Nov · Day 3: 19:00`."""
    if day.wrap is None:
        return plain(f"There is no estimated wrap on the schedule for {day_title(day)} yet.")
    time = clock_text(production, day.wrap, date=day.date)
    return plain(f"Estimated wrap {day_title(day)}: *{time}*")


def where_reply(day: DayView) -> Reply:
    """The day's location, address, parking and nearest hospital."""
    lines = place_lines(day)
    return f"{day_title(day)}: {escaped(day.location_name) or 'location TBC'}", [
        section(f"*{day_title(day)}*\n" + "\n".join(lines))
    ]


def heads_reply(found: Heads) -> Reply:
    """`Camera: Jonah Pike (Director of Photography)`, phones for those allowed to see them."""
    name = escaped(found.department.name)
    if not found.heads:
        return plain(f"{name} has no head on the crew list. Ask your production coordinator.")
    people = []
    for member in found.heads:
        words = escaped(member.name) or "Someone"
        if member.position:
            words += f" ({escaped(member.position)})"
        if found.phones and member.phone:
            words += f", {escaped(member.phone)}"
        people.append(words)
    return plain(f"{name}: " + "; ".join(people))


def weather_reply(production: ProductionView, found: Weather) -> Reply:
    """What is known: no forecast (no weather service is set up), and the sun."""
    day = found.day
    lines = [
        f"I don't have a weather forecast: no weather service is set up for Crewcall. "
        f"For {day_title(day)} at {escaped(day.location_name) or 'the location (TBC)'}:"
    ]
    sun = found.sun
    if sun is not None and (sun.sunrise or sun.sunset):
        rise, fall = (moment_text(production, moment) for moment in (sun.sunrise, sun.sunset))
        lines.append(f"Sunrise {rise}, sunset {fall}.")
    else:
        lines.append("Sunrise and sunset are not known: the location has no coordinates.")
    return plain("\n".join(lines))


def scenes_reply(day: DayView) -> Reply:
    """`Scenes Tue 24 Nov · Day 3: 57 (INT. BARN, 3/8), 58A (1 3/8 pages in all)`."""
    if not day.scenes:
        return plain(f"No scenes are on the schedule for {day_title(day)} yet.")
    parts = []
    for scene in day.scenes:
        known = ", ".join(
            part
            for part in (
                escaped(scene.set_name),
                format_eighths(scene.eighths) if scene.eighths else "",
            )
            if part
        )
        number = escaped(scene.number)
        parts.append(f"{number} ({known})" if known else number)
    pages = pages_text([scene.eighths for scene in day.scenes])
    total = f" ({pages} in all)" if pages else ""
    return plain(f"Scenes {day_title(day)}: {', '.join(parts)}{total}")


def day_reply(day: DayView, *, today: bool) -> Reply:
    """`Today is Day 7 (Mon 26 Oct).`, or the next shoot day."""
    number = f"Day {day.day_number}" if day.day_number else "a shoot day"
    if today:
        return plain(f"Today is {number} ({day.date:%a %-d %b}).")
    return plain(f"There is no shoot today. The next shoot day is {day_title(day)}.")


def meal_reply(day: DayView) -> Reply:
    """Meal times are not on the schedule: say so, with the day's notes if it has any."""
    text = f"Meal times aren't on Crewcall's schedule for {day_title(day)}; ask your AD."
    if day.notes:
        text += f"\nThe day's notes: {escaped(day.notes)}"
    return plain(text)
