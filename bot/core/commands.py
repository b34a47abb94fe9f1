"""The slash commands Crewcall answers: one list for the manifest, help text and routing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.roles import Action


@dataclass(frozen=True)
class Usage:
    """One way to use a command, for /crewcall help: who may (an Action; None is anyone
    on the crew)."""

    usage: str
    meaning: str
    needs: Action | None = None


@dataclass(frozen=True)
class SlashCommand:
    """A slash command as Slack's manifest and our help describe it."""

    name: str
    description: str
    usage_hint: str
    # Slack sends mentions as <@U123|name> only when should_escape is on.
    should_escape: bool
    # Examples of what it does, as (usage, what it does), for `<command> help`.
    works: tuple[tuple[str, str], ...] = ()
    # Its lines in /crewcall help, each shown only to those who may use it.
    summary: tuple[Usage, ...] = ()


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand(
        "/calltime",
        "Your call time, location, parking and sunrise",
        "[when] [@person | department]",
        should_escape=True,
        works=(
            ("/calltime", "your next call"),
            ("/calltime tomorrow", "your call on a day: today, fri, next mon, 24 nov, day 12"),
            ("/calltime fri @someone", "someone else's call"),
            ("/calltime day 12 camera", "a department's call"),
        ),
        summary=(
            Usage(
                "/calltime [when] [@someone | department]",
                "your next call, or a day's: tomorrow, fri, 24 nov, day 12",
            ),
        ),
    ),
    SlashCommand(
        "/callsheet",
        "The day's call sheet",
        "[when]",
        should_escape=False,
        works=(
            ("/callsheet", "today's call sheet until wrap, then the next day's"),
            ("/callsheet fri", "the call sheet for a day: tomorrow, 24 nov, day 12"),
        ),
        summary=(Usage("/callsheet [when]", "the day's call sheet, and the next two days"),),
    ),
    SlashCommand(
        "/schedule-change",
        "Change a shoot day and tell everyone affected (coordinators)",
        "<when> <change>... [-- note] [--urgent]",
        should_escape=True,
        works=(
            ("/schedule-change", "a form: the day, its calls, location, note (coordinators)"),
            (
                '/schedule-change tue call 06:30 camera -90 @someone 05:45 location "Old Mill"',
                "changes in one line: call, shooting, wrap, a department or @person with a "
                "time or ±minutes, location, cancel; then a preview with Send and Cancel",
            ),
            ("/schedule-change day 12 cancel -- weather", "cancel a day, with a note"),
            ("/schedule-change fri wrap 20:00 --urgent", "--urgent: reminders ignore quiet hours"),
        ),
        summary=(
            Usage(
                "/schedule-change [<when> <change>... [-- note]]",
                "change a shoot day: a preview, then Send tells everyone it affects",
                Action.CHANGE_SCHEDULE,
            ),
        ),
    ),
    SlashCommand(
        "/acks",
        "Who has acknowledged a notice, and who hasn't",
        "[latest | notice id] [all]",
        should_escape=False,
        works=(
            (
                "/acks",
                "who hasn't acknowledged the latest notice yet, by department "
                "(coordinators; heads: own department)",
            ),
            ("/acks 12", "the same for notice 12, with buttons to nudge and export CSV"),
            ("/acks 12 all", "everyone it went to, with when each acknowledged"),
        ),
        summary=(
            Usage(
                "/acks [latest | <notice>] [all]",
                "who hasn't acknowledged a notice (heads: their department)",
                Action.SEE_ACKS,
            ),
        ),
    ),
    SlashCommand(
        "/script",
        "Script revision status; coordinators announce new pages",
        "[status | history | new [colour] pages <pages>]",
        should_escape=False,
        works=(
            ("/script", "the current colour, its pages, and whether you have acknowledged them"),
            ("/script history", "every revision, newest first"),
            (
                "/script new pages 12, 14-16, 23A scenes 14, 15 -- new ending",
                "announce the next colour's pages to the crew (coordinators)",
            ),
            ("/script new pink pages 23A-23C", "a colour out of sequence asks first"),
            ("/script missing pink", "who hasn't acknowledged the pink pages (coordinators)"),
        ),
        summary=(
            Usage("/script [history]", "the current pages, and whether you have them"),
            Usage(
                "/script new [colour] pages <pages> | missing [colour]",
                "announce the next pages; who hasn't got them",
                Action.ANNOUNCE_SCRIPT,
            ),
        ),
    ),
    SlashCommand(
        "/rentals",
        "Equipment rentals and what is due back",
        "[list [dept] | due [when] | show ID | add | return ID]",
        should_escape=False,
        works=(
            ("/rentals", "what is out, with costs to date and projected, by department"),
            ("/rentals list camera", "one department's"),
            ("/rentals due fri", "what is due back by Friday, overdue included"),
            ("/rentals show 12", "one rental in full, with its history"),
            (
                '/rentals add "Alexa Mini LF kit" vendor Panavision dept camera out 2026-11-20 '
                "due 2026-12-04 rate 850/day po 4411",
                "add one (coordinators; heads for their department); `add` alone opens a form",
            ),
            (
                "/rentals return 12",
                "also `lost 12` (written off), `damaged 12` (stays on hire until returned), "
                "`extend 12 2026-12-11`",
            ),
        ),
        summary=(
            Usage(
                "/rentals [list [department] | due [when] | show <id>]",
                "what is out and due back, with costs",
            ),
            Usage(
                "/rentals add | return | lost | damaged | extend",
                "add and change rentals (heads: their department's)",
                Action.CHANGE_RENTALS,
            ),
        ),
    ),
    SlashCommand(
        "/crewcall",
        "Crewcall help, settings, your production and calendar",
        "[help | use <slug> | announce <text> | calendar | setup | role | remove | import]",
        should_escape=True,
        summary=(
            Usage("/crewcall calendar [production]", "your calls in your calendar app"),
            Usage("/crewcall use <slug>", "choose the production your commands refer to"),
            Usage("/crewcall announce [--urgent] <text>", "tell the whole crew", Action.ANNOUNCE),
            Usage(
                "/crewcall setup [list | <name> <value>]",
                "the production's settings",
                Action.SETUP,
            ),
            Usage(
                "/crewcall role @person <role> | remove @person",
                "people's roles, and the crew list",
                Action.MANAGE_ROLES,
            ),
            Usage("/crewcall import", "how to import crew, schedule and calls", Action.IMPORT),
        ),
    ),
)


def command_named(name: str) -> SlashCommand:
    """The registered command called `name` (with its slash)."""
    return next(command for command in COMMANDS if command.name == name)
