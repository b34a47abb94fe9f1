"""Direct messages and @mentions: questions in plain words; short help when not understood."""

from slack_bolt import App, Say

from bot.blocks.help import message_blocks

SHORT_HELP = "I didn't understand that. Type `/crewcall help` to see what I can do."


def register(app: App) -> None:
    app.event({"type": "message", "channel_type": "im", "subtype": None})(direct_message)
    app.event("app_mention")(mention)


def direct_message(event: dict, say: Say) -> None:
    """Answer a person writing to the bot in its DM."""
    if event.get("bot_id"):
        return
    say(text=SHORT_HELP, blocks=message_blocks(SHORT_HELP))


def mention(event: dict, say: Say) -> None:
    """Answer an @mention in the thread it came from."""
    thread = event.get("thread_ts") or event.get("ts")
    say(text=SHORT_HELP, blocks=message_blocks(SHORT_HELP), thread_ts=thread)
