"""Plain questions in DMs and mentions, mapped onto the commands that answer them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BOT_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_ACKS = re.compile(r"\b(?:ack|acked|acks|acknowledged|acknowledgements?)\b")
_PUNCTUATION = re.compile(r"[?!,.;:]+(?=\s|$)")
_RENTAL_WORDS = {"rental", "rentals", "hire", "hired", "which", "out", "back", "by", "got"}
_SCRIPT = {"colour", "color", "pages", "page", "script", "revision", "revisions"}
_MISSING = {"hasn't", "hasnt", "haven't", "havent", "missing", "not", "without"}
# Words around a colour in "who hasn't got the pink pages?".
_NOT_A_COLOUR = _SCRIPT | _MISSING | {"who", "got", "the", "yet", "acked", "acknowledged", "has"}
FILLER = {
    "what", "what's", "whats", "when", "where", "is", "are", "my", "our", "the", "a", "i", "am",
    "do", "does", "have", "please", "pls", "for", "on", "at", "us", "me", "call", "calls",
    "calltime", "callsheet", "time", "sheet", "tell", "show", "give", "get", "hey", "hi",
    "need", "to", "be", "in", "i'm", "im", "we", "start", "starting", "needed", "called",
    "there", "will", "should", "by", "up", "it", "we're", "were", "going", "gonna", "today's",
    "tomorrow's", "again",
}  # fmt: skip
# "thanks", "ok got it", "cheers mate", "thank you so much", a 👍: a friendly word back.
_THANKS = {
    "thanks",
    "thank",
    "thx",
    "ty",
    "ta",
    "cheers",
    "ok",
    "okay",
    "got",
    "cool",
    "great",
    "perfect",
    "brilliant",
    "lovely",
    "awesome",
    "legend",
    "nice",
    "noted",
    "sweet",
}
_THANKS_TOO = {
    "you",
    "u",
    "so",
    "much",
    "a",
    "lot",
    "many",
    "very",
    "mate",
    "it",
    "will",
    "do",
    "one",
    "sounds",
    "good",
    "all",
    "thanks",
    "that's",
    "thats",
    "for",
    "the",
    "info",
}
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:")
_WEATHER = {
    "weather",
    "rain",
    "raining",
    "forecast",
    "sunny",
    "cold",
    "temperature",
    "snow",
    "wind",
}
_HEAD = {"head", "hod", "runs", "boss", "charge", "heads"}
_WHERE = {"where", "location", "address", "park", "parking", "hospital", "a&e", "unit", "base"}
_MEALS = {"lunch", "breakfast", "dinner", "meal", "meals", "catering", "food"}
# Words that ask for one's call without saying "call".
_WHEN_IN = re.compile(
    r"\bwhat time (?:do|am|are|should)\b|\bwhen (?:do|am|should) (?:i|we)\b|\bneed to be\b|"
    r"\bam i (?:called|on|in|needed)\b|\bwhen(?:'s| is) my\b"
)


@dataclass(frozen=True)
class Question:
    """Which command answers the question, and its arguments."""

    command: str
    arguments: str


def _is_thanks(text: str) -> bool:
    """Only thanks or an okay in it (or only emoji): nothing to look up, a word to say back."""
    plain = _EMOJI_CODE.sub(" ", text.lower())
    words = [word.strip("!.,?") for word in plain.split()]
    words = [word for word in words if word and any(ch.isalnum() for ch in word)]
    if not words:  # emoji alone (👍, :pray:), not mere punctuation
        return _EMOJI_CODE.search(text.lower()) is not None or any(
            unicodedata.category(ch) == "So" for ch in text
        )
    return any(word in _THANKS for word in words) and all(
        word in _THANKS or word in _THANKS_TOO for word in words
    )


def understand(text: str, *, bot_user_id: str | None = None) -> Question | None:
    """`what's my call tomorrow?` -> /calltime tomorrow; None when it is not a question we know."""
    if bot_user_id:
        text = re.sub(rf"<@{bot_user_id}(?:\|[^>]*)?>", " ", text)
    mentions = _BOT_MENTION.findall(text)
    words = _PUNCTUATION.sub(" ", _BOT_MENTION.sub(" ", text)).lower().split()
    joined = " ".join(words)
    if _is_thanks(text):
        return Question("thanks", "")
    if {"rental", "rentals", "hire", "hired"} & set(words) or "have out" in joined:
        return _rentals(words)
    if _SCRIPT & set(words):
        if "who" in words and _MISSING & set(words):
            colour = [word for word in words if word not in _NOT_A_COLOUR]
            return Question("/script", " ".join(["missing", *colour]))
        return Question("/script", "status")
    if _ACKS.search(joined):
        return Question("/acks", "latest")
    if everyday := _everyday(words, joined):
        return Question(everyday, " ".join(words))
    if "call sheet" in joined or "callsheet" in words:
        command = "/callsheet"
    elif {"call", "calls", "calltime"} & set(words) or _WHEN_IN.search(joined):
        command = "/calltime"
    else:
        return None
    rest = [word for word in words if word not in FILLER]
    return Question(command, " ".join([*rest, *mentions]))


def _everyday(words: list[str], joined: str) -> str | None:
    """The other things crew ask in a day: the weather, who heads a department, wrap, where,
    the scenes, the day's number, meals. None if it is none of them."""
    said = set(words)
    if said & _WEATHER:
        return "weather"
    if said & {"who", "who's", "whos"} and said & _HEAD:
        return "head"
    if "wrap" in said or "wrapping" in said or re.search(r"\bwhat time do we finish\b", joined):
        return "wrap"
    if said & _WHERE or re.search(r"\bwhere(?:'s| are| is)\b", joined):
        return "where"
    if {"scene", "scenes"} & said:
        return "scenes"
    if re.search(r"\bwhat day (?:is it|are we|number)\b|\bwhich day are we\b", joined):
        return "day"
    if said & _MEALS:
        return "meal"
    return None


def _rentals(words: list[str]) -> Question:
    """`which rentals are due fri?` -> due fri; `what does camera have out?` -> list camera."""
    rest = [word for word in words if word not in FILLER | _RENTAL_WORDS]
    if "due" in words:
        return Question("/rentals", " ".join(["due", *[w for w in rest if w != "due"]]))
    return Question("/rentals", " ".join(["list", *rest]))
