"""People and departments as they are typed, read by the one resolver every command uses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.errors import UserError
from bot.core.names import department_named, find_people, person_named, who_named


@dataclass(frozen=True)
class Department:
    name: str
    key: str = ""


@dataclass(frozen=True)
class Member:
    name: str
    slack_user_id: str | None = None
    email: str | None = None
    department: Department | None = None


CAMERA, GRIP, HMU = Department("Camera"), Department("Grip"), Department("Hair & Make-up")
DEPARTMENTS = [CAMERA, GRIP, HMU, Department("Sound")]
JONAH = Member("Jonah Pike", "U0HF0008", "jonah.pike@hollisfarm.example", CAMERA)
JOSE = Member("José Müller", "U0HF0030", None, GRIP)
SAM_P = Member("Sam Peters", "U0HF0031", None, GRIP)
SAM_W = Member("Sam Wu", "U0HF0032", None, HMU)
BEN = Member("Ben Sound", "U0HF0033", None, CAMERA)
CREW = [JONAH, JOSE, SAM_P, SAM_W, BEN]


@pytest.mark.parametrize(
    "typed",
    [
        "Jonah Pike",
        "@Jonah Pike",
        "jonah  pike",
        "@jonah",
        "jonah",
        "pike",
        "jonah.pike",
        "jonah_pike",
        "<@U0HF0008>",
        "<@U0HF0008|jonah>",
        "U0HF0008",
        "Jonah.Pike@HollisFarm.example",
    ],
)
def test_a_person_by_every_name_people_give_them(typed: str) -> None:
    assert person_named(CREW, typed, production="Hollis Farm") is JONAH


@pytest.mark.parametrize("typed", ["jose muller", "JOSÉ MÜLLER", "@jose", "muller", "José Müller"])
def test_accents_and_case_aside(typed: str) -> None:
    assert find_people(CREW, typed) == [JOSE]


def test_a_first_name_two_people_have_asks_which() -> None:
    with pytest.raises(UserError) as asked:
        person_named(CREW, "@sam", production="Hollis Farm")

    assert str(asked.value) == (
        "Which `sam`? Sam Peters (Grip), Sam Wu (Hair &amp; Make-up): write the full name."
    )


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("@jonsh", "I don't understand `@jonsh`: did you mean Jonah Pike? Try again."),
        ("Jona Pike", "I don't understand `Jona Pike`: did you mean Jonah Pike? Try again."),
        ("@bob", "Nobody on the crew list of Hollis Farm is called `@bob`. Try again."),
        ("<@U0NOBODY1|ghost>", "<@U0NOBODY1> is not on the crew list of Hollis Farm."),
        ("nobody@elsewhere.example", "Nobody on the crew list of Hollis Farm is called "
         "`nobody@elsewhere.example`. Try again."),
    ],
)  # fmt: skip
def test_nobody_by_that_name_says_who_was_nearly_meant(typed: str, answer: str) -> None:
    with pytest.raises(UserError) as refused:
        person_named(CREW, typed, production="Hollis Farm", example="Try again.")

    assert str(refused.value) == answer


@pytest.mark.parametrize(
    ("typed", "department"),
    [("camera", CAMERA), ("cameras", CAMERA), ("hmu", HMU), ("hair and make-up", HMU),
     ("grips", GRIP), ("GRIP", GRIP)],
)  # fmt: skip
def test_departments_by_their_names_and_the_trades(typed: str, department: Department) -> None:
    assert department_named(DEPARTMENTS, typed) is department


def test_a_department_by_the_key_it_was_imported_under() -> None:
    renamed = Department("Camera (2nd unit)", key="camera")

    assert department_named([renamed, GRIP], "camera") is renamed


def test_a_department_nearly_named_gets_a_suggestion_else_the_list() -> None:
    with pytest.raises(UserError, match="did you mean Camera"):
        department_named(DEPARTMENTS, "camra")
    with pytest.raises(UserError) as listed:
        department_named(DEPARTMENTS, "catering")

    assert str(listed.value) == (
        "`catering` is not a department here. Departments: Camera, Grip, Hair &amp; Make-up, Sound."
    )


def test_a_department_comes_before_a_person_of_that_name() -> None:
    assert who_named(DEPARTMENTS, CREW, "sound", production="Hollis Farm") is DEPARTMENTS[3]
    assert who_named(DEPARTMENTS, CREW, "@Ben Sound", production="Hollis Farm") is BEN
    assert who_named(DEPARTMENTS, CREW, "@sound", production="Hollis Farm") is BEN
