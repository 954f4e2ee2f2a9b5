"""Whole conversations through the REST channel against the really running servers."""

from __future__ import annotations

import sqlite3
import uuid
from typing import List

import pytest

pytestmark = pytest.mark.servers


def texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def buttons(replies: List[dict]) -> List[str]:
    return [b["title"] for r in replies for b in r.get("buttons", [])]


def test_runner_with_outer_hip_pain_gets_an_explained_assessment(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"runner-{uuid.uuid4().hex[:8]}"
    first = assistant.say(sender, "my hip hurts after running")
    assert "Where exactly does it hurt" in texts(first)
    assert "Outside of hip" in buttons(first)

    second = assistant.say(sender, '/describe_symptoms{"body_location": "outer_hip"}')
    assert "How did it start" in texts(second)
    assert set(buttons(second)) == {"Suddenly", "Gradually"}

    third = assistant.say(sender, "it came on gradually over a few weeks")
    assert "How old are you" in texts(third)

    final = texts(assistant.say(sender, "I'm 47"))
    assert "not a diagnosis" in final
    assert "Greater trochanteric pain syndrome" in final
    assert "Why it fits:" in final and "pain on the outside of the hip" in final
    assert "How urgent: SELF-CARE" in final
    assert "evidence: strong" in final  # every treatment line states its evidence

    slots = assistant.tracker(sender)["slots"]
    assert slots["likely_conditions"][0] == "gtps"
    assert slots["triage_level"] == "self_care"
    assert slots["findings"]["outer_hip"] == "present"
    assert slots["findings"]["running"] == "present"
    assert slots["findings"]["age_45_plus"] == "present"

    with sqlite3.connect(assistant.tracker_db) as db:  # the conversation is stored in SQL
        stored = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert stored[0] > 10


def test_known_answers_are_not_asked_again(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"known-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "I'm 34 and my groin started hurting suddenly during a sprint")
    assert "Where exactly" not in texts(replies)
    assert "How did it start" not in texts(replies)
    assert "How old" not in texts(replies)
    assert "Hip flexor strain" in texts(replies) or "Adductor" in texts(replies)


def test_red_flag_interrupts_the_intake_at_once(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"flag-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "my lower back and buttock hurt")
    replies = texts(assistant.say(sender, "not really numb but it feels weird when I wipe"))
    assert "emergency department now" in replies
    assert "How did it start" in replies  # the conversation can then continue
    slots = assistant.tracker(sender)["slots"]
    assert "RF4" in slots["red_flags"]
    assert slots["triage_level"] == "emergency"


def test_negated_red_flag_findings_raise_nothing(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"neg-{uuid.uuid4().hex[:8]}"
    replies = texts(assistant.say(sender, "my buttock hurts but no numbness, no bladder problems "
                                          "and no fever"))
    assert "Important" not in replies
    slots = assistant.tracker(sender)["slots"]
    assert slots["red_flags"] in (None, [])
    assert slots["findings"]["fever"] == "absent"
    assert slots["findings"]["bladder_bowel_change"] == "absent"


def test_fall_without_weight_bearing_is_an_emergency(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"fall-{uuid.uuid4().hex[:8]}"
    replies = texts(assistant.say(sender, "I fell off my bike and now I can't put weight on my leg"))
    assert "Call the emergency number now" in replies
    assert assistant.tracker(sender)["slots"]["triage_level"] == "emergency"


def test_the_http_api_requires_the_token(assistant) -> None:  # type: ignore[no-untyped-def]
    import urllib.error
    import urllib.request

    url = f"http://127.0.0.1:{assistant.servers.rasa_port}/conversations/x/tracker"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=10)
    assert caught.value.code == 401
