"""action_restart: never by surprise in mid-intake or after an assessment."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions.restart import CONFIRM_BUTTONS, ActionRestart
from tests.actions.trackers import Message, rendered, responses, run, tracker

MID_INTAKE: Dict[str, Any] = {"loop_name": "intake_form", "requested": "side",
                              "slots": {"findings": {"groin": "present"}}}


async def restart(text: str = "start over", intent: str = "restart",
                  **context: Any) -> tuple[List[Dict[str, Any]], List[Message]]:
    events, messages = await run(ActionRestart(), tracker(text, intent, **context))
    rendered(messages)
    return events, messages


async def test_with_nothing_to_lose_it_starts_again_at_once() -> None:
    events, messages = await restart()
    assert [e["event"] for e in events] == ["restart"]
    assert responses(messages) == ["utter_restarted"]


@pytest.mark.parametrize("context", [
    MID_INTAKE,
    {"slots": {"findings": {"outer_hip": "present"}, "likely_conditions": ["gtps"]}},
    {"loop_name": "followup_form", "requested": "followup_answer", "slots": {"findings": {"groin": "present"}}},
    {"loop_name": "intake_form", "requested": "pain_location"},  # a form open, nothing said yet
], ids=["mid-intake", "after the assessment", "follow-up questions", "form just opened"])
async def test_a_first_restart_asks_for_confirmation_and_forgets_nothing(context: Dict[str, Any]) -> None:
    events, messages = await restart(**context)
    assert not any(e["event"] == "restart" for e in events)
    assert [(e["name"], e["value"]) for e in events] == [("restart_pending", True)]
    assert responses(messages) == ["utter_confirm_restart"]
    assert messages[0]["buttons"] == CONFIRM_BUTTONS
    assert [b["payload"] for b in CONFIRM_BUTTONS] == ["/restart"]


@pytest.mark.parametrize("text", ["/restart", "start over"])  # the button, or asking again
async def test_confirmed_it_starts_again(text: str) -> None:
    events, messages = await restart(text, loop_name="intake_form", requested="side",
                                     slots={"findings": {"groin": "present"}, "restart_pending": True})
    assert [e["event"] for e in events] == ["restart"]
    assert responses(messages) == ["utter_restarted"]


async def test_an_answer_to_the_open_question_misread_as_restart_is_left_to_the_form() -> None:
    """"the second I landed off the box" read as "restart" while the onset is asked."""
    events, messages = await restart("the second I landed off the box", loop_name="intake_form",
                                     requested="onset", slots={"findings": {"groin": "present"}})
    assert events == [] and messages == []


async def test_a_misread_answer_does_not_restart_even_after_a_first_request() -> None:
    events, _ = await restart("the left one", loop_name="intake_form", requested="side",
                              slots={"findings": {"groin": "present"}, "restart_pending": True})
    assert events == []
