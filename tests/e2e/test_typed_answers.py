"""Typed answers through the real servers (issue 15): read for the question asked, never a
dead end, at most one fallback per turn, no restart by surprise."""

from __future__ import annotations

import uuid
from typing import List

import pytest

pytestmark = pytest.mark.servers

FALLBACK = "Sorry, I couldn't work out what to do next"


def texts(replies: List[dict]) -> List[str]:
    return [str(r.get("text") or "") for r in replies]


def new_sender(kind: str) -> str:
    return f"typed-{kind}-{uuid.uuid4().hex[:8]}"


def test_the_dead_conversation_case_answers_every_message(assistant) -> None:  # type: ignore[no-untyped-def]
    """An opening, then place words the extractor does not know, then anything: every message
    gets a reply, never the same message twice in a turn, at most one fallback per turn."""
    sender = new_sender("dead")
    said = texts(assistant.say(sender, "my hip has been hurting since my last long run"))
    assert any("Where exactly" in t for t in said)
    for message in ["kind of round the bony lump thing", "you know, there", "asdf qwerty",
                    "what?", "the left one", "hello?", "gradually", "27."]:
        said = texts(assistant.say(sender, message))
        assert said, f"no reply to {message!r}"
        assert len(said) == len(set(said)), f"a message repeated after {message!r}: {said}"
        assert sum(FALLBACK in t for t in said) <= 1
    slots = assistant.tracker(sender)["slots"]
    assert slots["pain_location"] == "unknown"  # asked twice, then went on without it
    assert slots["side"] == "left" and slots["onset"] == "gradual"


def test_typed_answers_fill_the_intake(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = new_sender("intake")
    said = texts(assistant.say(sender, "my outer hip aches after running"))
    answers = {"Which side": "rigth", "How did it start": "it crept up on me",
               "How long": "a fortnight", "What makes it worse": "stairs", "How old": "52."}
    for _ in range(6):
        question = next((k for k in answers if any(t.startswith(k) for t in said)), None)
        if question is None:
            break
        said = texts(assistant.say(sender, answers.pop(question)))
        assert not any(t.startswith(question) for t in said), f"{question} asked again: {said}"
    slots = assistant.tracker(sender)["slots"]
    assert slots["side"] == "right" and slots["onset"] == "gradual"
    assert slots["duration_days"] == 14 and slots["age"] == 52
    assert slots["findings"]["age_45_plus"] == "present"


def test_a_content_answer_to_a_yes_no_question_is_read(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = new_sender("followup")
    for message in ["the outside of my right hip aches when I lie on it", "gradually", "about 2 months", "52"]:
        said = texts(assistant.say(sender, message))
    questions = 0
    while said and questions < 8 and not any("This is not a diagnosis" in t for t in said):
        asked = said[-1]
        said = texts(assistant.say(sender, "only when I lie on that side" if questions % 2 == 0 else "nah"))
        assert (said and said[-1] != asked) or "not a diagnosis" in " ".join(said), f"asked again: {asked}"
        questions += 1
    assert any("This is not a diagnosis" in t for t in said)


def test_restart_mid_intake_asks_first(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = new_sender("restart")
    assistant.say(sender, "my groin hurts when I sprint")
    said = texts(assistant.say(sender, "start over"))
    assert any("Start again and forget" in t for t in said)
    assert assistant.tracker(sender)["slots"]["findings"].get("groin") == "present"  # nothing forgotten
    said = texts(assistant.say(sender, "left"))  # carrying on
    assert assistant.tracker(sender)["slots"]["side"] == "left"
    assistant.say(sender, "start over")
    said = texts(assistant.say(sender, "/restart"))  # the button: confirmed
    assert any("start again" in t.lower() for t in said)
    assert not assistant.tracker(sender)["slots"]["findings"]


def test_a_side_question_first_ends_with_an_offer(assistant) -> None:  # type: ignore[no-untyped-def]
    said = texts(assistant.say(new_sender("side"), "is ibuprofen before a race OK?"))
    assert any("go through your pain" in t for t in said)
