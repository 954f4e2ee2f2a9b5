"""Typed answers to each kind of question, each with its expected reading (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest

from hipguide.reasoning.answers import (
    Reply,
    not_given,
    read_age,
    read_aggravating,
    read_duration,
    read_onset,
    read_reply,
    read_side,
)
from hipguide.reasoning.findings import FindingState

TODAY = date(2026, 12, 2)  # a Wednesday

AGES = [
    ("27.", 27), ("52", 52), ("fifty-two", 52), ("fifty two", 52), ("mid fifties", 55),
    ("52 next month", 52), ("I'm 34", 34), ("34 years old", 34), ("im 61", 61), ("aged 40", 40),
    ("he's 13", 13), ("she is 8", 8), ("my son is 12", 12), ("late forties", 48), ("early 30s", 32),
    ("in my 60s", 65), ("seventeen", 17), ("Seventy-eight!", 78), ("34f", 34), ("45 yo", 45),
    ("I am 29 and I run a lot", 29), ("just turned 40", 40), ("thirty", 30), ("about 50", 50),
    ("nearly 70", 70), ("I'm in my early twenties", 22), ("66 yrs", 66), ("age 71", 71),
    ("  38  ", 38), ("late 60's", 68),
]
NO_AGE = ["not sure", "I'd rather not say", "old enough", "for 3 weeks", "7/10", "hmm", "prefer not to say"]


@pytest.mark.parametrize("text, years", AGES)
def test_ages(text: str, years: int) -> None:
    assert read_age(text) == years


@pytest.mark.parametrize("text", NO_AGE)
def test_not_an_age(text: str) -> None:
    assert read_age(text) is None


DURATIONS = [
    ("a couple of weeks", 14), ("about 3 weeks", 21), ("3 wks", 21), ("a fortnight", 14), ("2 months", 60),
    ("six weeks", 42), ("a few days", 3), ("since yesterday", 1), ("about an hour", 0.1),
    ("since Sunday", 3), ("since last Monday", 2), ("since March", 270), ("on and off for years", 730),
    ("for ages", 730), ("since this morning", 0.5), ("a month or so", 30), ("roughly 10 days", 10),
    ("over a year", 365), ("last week", 7), ("a few weeks now", 21), ("4 months", 120),
    ("since the weekend", 3), ("a couple of days", 2), ("several months", 120), ("about 6 mths", 180),
    ("since Christmas", 342), ("1 week", 7), ("two years", 730), ("a year and a bit", 365),
    ("since october", 60), ("since about 3 weeks ago", 21), ("started 2 months ago", 60),
]


@pytest.mark.parametrize("text, days", DURATIONS)
def test_durations(text: str, days: float) -> None:
    assert read_duration(text, today=TODAY) == pytest.approx(days)


@pytest.mark.parametrize("text", ["not sure", "it hurts", "running", "left"])
def test_not_a_duration(text: str) -> None:
    assert read_duration(text, today=TODAY) is None


ONSETS = [
    ("came on quickly", "sudden"), ("all at once when I landed", "sudden"), ("out of nowhere", "sudden"),
    ("crept up over a month", "gradual"), ("the second I landed off the box", "sudden"), ("suddenly", "sudden"),
    ("gradually", "gradual"), ("slowly got worse", "gradual"), ("bit by bit", "gradual"),
    ("it just built up over time", "gradual"), ("felt something go mid run", "sudden"),
    ("when I slipped on the stairs", "sudden"), ("I heard a pop", "sudden"), ("over a few weeks", "gradual"),
    ("started as a niggle and got worse", "gradual"), ("out of the blue one morning", "sudden"),
    ("immediately after the tackle", "sudden"), ("little by little", "gradual"),
    ("can't pinpoint when it started", "gradual"), ("it snuck up on me", "gradual"),
    ("instantly, at the start of a sprint", "sudden"), ("slowly over the last year", "gradual"),
    ("it comes and goes, getting worse", "gradual"), ("right away when I twisted", "sudden"),
    ("it came on in a second", "sudden"), ("gradualy", "gradual"), ("sudenly", "sudden"),
]


@pytest.mark.parametrize("text, onset", ONSETS)
def test_onsets(text: str, onset: str) -> None:
    assert read_onset(text) == onset


@pytest.mark.parametrize("text", ["not sure", "my hip", "27", "left side"])
def test_not_an_onset(text: str) -> None:
    assert read_onset(text) is None


SIDES = [
    ("left", "left"), ("the right one", "right"), ("Right.", "right"), ("both", "both"),
    ("both sides", "both"), ("LHS", "left"), ("my left hip", "left"), ("rigth", "right"),
    ("left and right", "both"), ("it's the right side", "right"), ("mostly left", "left"),
    ("either side really", "both"), ("on the left, right now", "left"), ("Left leg", "left"),
    ("right hip and groin", "right"),
]


@pytest.mark.parametrize("text, side", SIDES)
def test_sides(text: str, side: str) -> None:
    assert read_side(text) == side


@pytest.mark.parametrize("text", ["not sure", "all right, whatever", "the outside", "right now it hurts"])
def test_not_a_side(text: str) -> None:
    assert read_side(text) is None


REPLIES = [
    ("yes", Reply.yes), ("yeah", Reply.yes), ("yep, a bit", Reply.yes), ("Yess", Reply.yes),
    ("it does", Reply.yes), ("sometimes", Reply.yes), ("only when I lie on that side", Reply.yes),
    ("it's agony just standing on that leg", Reply.yes), ("a little", Reply.yes), ("definitely", Reply.yes),
    ("every night", Reply.yes), ("I think so", Reply.yes), ("kind of", Reply.yes), ("always", Reply.yes),
    ("when I run uphill", Reply.yes), ("it kills", Reply.yes), ("sore when I do", Reply.yes),
    ("mostly in the morning", Reply.yes), ("on and off", Reply.yes), ("yh", Reply.yes),
    ("no", Reply.no), ("nope", Reply.no), ("never", Reply.no), ("not really", Reply.no),
    ("nah", Reply.no), ("I don't think so", Reply.no), ("not at all", Reply.no), ("no, never", Reply.no),
    ("it doesn't", Reply.no), ("None", Reply.no), ("nooo", Reply.no), ("I haven't", Reply.no),
    ("not that I've noticed", Reply.no), ("nothing like that", Reply.no), ("definitely not", Reply.no),
    ("not sure", Reply.unsure), ("maybe", Reply.unsure), ("dunno", Reply.unsure), ("no idea", Reply.unsure),
    ("hard to say", Reply.unsure), ("I don't know", Reply.unsure), ("haven't tried", Reply.unsure),
    ("could be", Reply.unsure), ("hmm", Reply.unsure), ("not sure, maybe", Reply.unsure),
]


@pytest.mark.parametrize("text, reply", REPLIES)
def test_replies_from_the_wording(text: str, reply: Reply) -> None:
    assert read_reply(text, about_pain=True) == reply


@pytest.mark.parametrize("text", ["it's agony just standing on that leg", "it kills"])
def test_a_statement_of_pain_is_no_answer_to_a_question_not_about_pain(text: str) -> None:
    assert read_reply(text, "steroid_use", about_pain=False) is None


@pytest.mark.parametrize("text, stated, reply", [
    ("never, though I cracked a shin bone last year", {"previous_stress_fracture": FindingState.present}, Reply.no),
    ("not really numb but it feels weird when I wipe", {"saddle_numbness": FindingState.present}, Reply.yes),
    ("no numbness", {"saddle_numbness": FindingState.absent}, Reply.no),
    ("not sure about numbness", {"saddle_numbness": FindingState.unknown}, Reply.unsure),
])
def test_what_the_message_states_about_the_finding_wins(text: str, stated: dict, reply: Reply) -> None:
    assert read_reply(text, "saddle_numbness", stated) == reply


@pytest.mark.parametrize("text", ["", "what do you mean?", "my hip", "42"])
def test_unreadable_replies(text: str) -> None:
    assert read_reply(text) is None


@pytest.mark.parametrize("text, expected", [
    ("nothing in particular", "nothing in particular"), ("not really anything", "nothing in particular"),
    ("hard to say, it just hurts", "nothing in particular"), ("running", None), ("stairs", None),
])
def test_nothing_makes_it_worse(text: str, expected: str | None) -> None:
    assert read_aggravating(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("not sure", True), ("I'd rather not say", True), ("no idea", True), ("can't remember", True),
    ("prefer not to say", True), ("52", False), ("left", False),
])
def test_not_given(text: str, expected: bool) -> None:
    assert not_given(text) == expected
