"""How many answers in a row did not fill the question the intake form is asking."""

from __future__ import annotations

from actions.conversation_state import answers_to


def asked(slot: str) -> dict:
    return {"event": "slot", "name": "requested_slot", "value": slot}


def said(text: str) -> dict:
    return {"event": "user", "text": text}


FORM = {"event": "action", "name": "intake_form"}
OPENING = [said("it aches at the front"), FORM, {"event": "active_loop", "name": "intake_form"},
           asked("pain_location")]


def test_counts_answers_while_the_same_question_was_open() -> None:
    assert answers_to([*OPENING, said("the left one")], "pain_location", "intake_form") == 1
    second = [*OPENING, said("the left one"), FORM, asked("pain_location"), said("gradually")]
    assert answers_to(second, "pain_location", "intake_form") == 2


def test_a_digression_the_form_did_not_take_breaks_the_run() -> None:
    events = [*OPENING, said("the left one"), FORM, asked("pain_location"),
              said("why do you ask?"), {"event": "action", "name": "action_explain_question"},
              said("groin-ish")]
    assert answers_to(events, "pain_location", "intake_form") == 1


def test_a_new_question_starts_a_new_count() -> None:
    events = [*OPENING, said("groin"), FORM, asked("side"), said("hmm")]
    assert answers_to(events, "side", "intake_form") == 1
    assert answers_to(events, "pain_location", "intake_form") == 0
