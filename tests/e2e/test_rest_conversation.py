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


def answer_no_until_assessed(assistant, sender: str, replies: List[dict]) -> str:  # type: ignore[no-untyped-def]
    """Answer "no" to every yes/no follow-up question; returns the assessment's text."""
    for _ in range(10):
        if "This is not a diagnosis" in texts(replies):
            return texts(replies)
        assert set(buttons(replies)) == {"Yes", "No", "Not sure"}, texts(replies)
        replies = assistant.say(sender, "no")
    raise AssertionError("no assessment after 10 follow-up answers")


def test_runner_with_outer_hip_pain_gets_an_explained_assessment(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"runner-{uuid.uuid4().hex[:8]}"
    first = assistant.say(sender, "my hip hurts after running")
    assert "Where exactly does it hurt" in texts(first)
    assert "Outside of hip" in buttons(first)

    second = assistant.say(sender, '/describe_symptoms{"body_location": "outer_hip"}')
    assert "Which side" in texts(second)
    assert set(buttons(second)) == {"Left", "Right", "Both"}

    third = assistant.say(sender, "the right one")
    assert "How did it start" in texts(third)
    assert set(buttons(third)) == {"Suddenly", "Gradually"}

    fourth = assistant.say(sender, "it came on gradually over a few weeks")
    assert "How old are you" in texts(fourth)  # duration and what makes it worse were said

    final = answer_no_until_assessed(assistant, sender, assistant.say(sender, "I'm 47"))
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
        stored = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"rest:{sender}",)).fetchone()
    assert stored[0] > 10


def test_known_answers_are_not_asked_again(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"known-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "I'm 34 and my left groin started hurting suddenly during a sprint "
                                    "2 days ago, it's been 2 days")
    assert "Where exactly" not in texts(replies)
    assert "How did it start" not in texts(replies)
    assert "How old" not in texts(replies)
    assert "Which side" not in texts(replies) and "How long" not in texts(replies)
    assert "What makes it worse" not in texts(replies)
    final = answer_no_until_assessed(assistant, sender, replies)
    assert "Hip flexor strain" in final or "Adductor" in final
    asked = assistant.tracker(sender)["slots"]["asked_questions"]
    assert 1 <= len(asked) <= 8 and len(set(asked)) == len(asked)  # never the same question twice


def test_red_flag_interrupts_the_intake_at_once(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"flag-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "my lower back and buttock hurt")
    replies = texts(assistant.say(sender, "not really numb but it feels weird when I wipe"))
    assert "emergency department now" in replies
    assert "Which side is it?" in replies  # the conversation can then continue
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


def test_a_yes_to_a_red_flag_question_is_announced_at_once(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"yes-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "my right groin aches when I run, I'm 27 and it came on gradually "
                                    "over 4 weeks")
    for _ in range(8):
        if "Does it hurt to hop on that leg?" in texts(replies):
            break
        replies = assistant.say(sender, "no")
    else:
        raise AssertionError("the hop question (bone stress screening) was never asked")
    answer = texts(assistant.say(sender, "yes"))
    assert "Stop running now" in answer
    slots = assistant.tracker(sender)["slots"]
    assert slots["findings"]["hopping"] == "present" and "RF9" in slots["red_flags"]
    assert slots["triage_level"] == "urgent"


def test_why_asking_explains_the_pending_follow_up_question(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"why-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "pain on the outside of my hip, right side, when I run, started "
                                    "gradually, I'm 50, it's been 3 weeks")
    assert set(buttons(replies)) == {"Yes", "No", "Not sure"}
    question = replies[-1]["text"]
    again = assistant.say(sender, "why do you ask?")
    assert texts(again).startswith("Why I ask:")
    assert again[-1]["text"] == question  # then the same question again


def test_corrections_update_what_is_known(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"fix-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "my left groin hurts when I sprint, came on suddenly, I'm 25, "
                                    "for 2 weeks")
    answer_no_until_assessed(assistant, sender, replies)
    assistant.say(sender, "actually it started after a fall")
    findings = assistant.tracker(sender)["slots"]["findings"]
    assert findings["fall"] == "present"


def test_human_handoff_matches_the_triage_level(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"handoff-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "numb between my legs and my back hurts")
    reply = texts(assistant.say(sender, "I want to talk to a real doctor"))
    assert "emergency" in reply.lower()


def test_not_sure_in_the_intake_is_accepted_and_not_asked_again(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"unsure-{uuid.uuid4().hex[:8]}"
    first = assistant.say(sender, "my hip hurts")
    assert "Where exactly" in texts(first)
    second = assistant.say(sender, "not sure")
    assert "Where exactly" not in texts(second) and "Which side" in texts(second)
    slots = assistant.tracker(sender)["slots"]
    assert slots["pain_location"] == "unknown"
    assert "unknown" not in slots["findings"]  # "not sure" is never a finding


def test_a_question_not_answered_twice_is_left_for_later_not_repeated(assistant) -> None:  # type: ignore[no-untyped-def]
    """Found reviewing a stored conversation: the location was asked five times in a row."""
    sender = f"going-on-{uuid.uuid4().hex[:8]}"
    assert "Where exactly does it hurt" in texts(assistant.say(sender, "it aches at the front"))
    assert "Where exactly does it hurt" in texts(assistant.say(sender, "the left one"))  # once more
    third = texts(assistant.say(sender, "it came on gradually over two months"))
    assert "couldn't tell that from your answers" in third
    assert "Where exactly does it hurt" not in third and "What makes it worse" in third  # the next question
    slots = assistant.tracker(sender)["slots"]
    assert (slots["pain_location"], slots["side"], slots["onset"]) == ("unknown", "left", "gradual")
    assert "How old are you" in texts(assistant.say(sender, "running"))
    final = answer_no_until_assessed(assistant, sender, assistant.say(sender, "I'm 29"))
    assert "not a diagnosis" in final  # the location is then asked as yes/no questions, once each


def test_a_question_that_also_describes_the_pain_is_answered_and_the_intake_goes_on(assistant) -> None:  # type: ignore[no-untyped-def]
    """describe_symptoms+ask_treatment: the treatment question is answered with its evidence,
    and the intake starts from what was said instead of offering to start it."""
    sender = f"multi-{uuid.uuid4().hex[:8]}"
    replies = texts(assistant.say(sender, "the outside of my right hip aches when I lie on it at night, "
                                          "is a foam roller any good?"))
    assert "evidence:" in replies  # the foam roller question is answered
    assert "tell me where it hurts" not in replies  # no offer to start what has started
    assert "Where exactly" not in replies and "Which side" not in replies  # said already
    assert "How did it start" in replies  # the intake goes on
    tracker = assistant.tracker(sender)
    assert tracker["latest_message"]["intent"]["name"] == "describe_symptoms+ask_treatment"
    assert tracker["slots"]["findings"]["outer_hip"] == "present"
    assert tracker["active_loop"]["name"] == "intake_form"



def test_a_description_that_asks_what_causes_it_keeps_its_findings_and_starts_the_intake(assistant) -> None:  # type: ignore[no-untyped-def]
    """describe_symptoms+ask_causes: what is behind the pain is what the intake and the
    assessment answer, so the intake starts from what was said."""
    sender = f"causes-{uuid.uuid4().hex[:8]}"
    replies = texts(assistant.say(sender, "I get a sharp pain in my left groin whenever I cough or sneeze. "
                                          "What could be causing this?"))
    tracker = assistant.tracker(sender)
    assert tracker["latest_message"]["intent"]["name"] == "describe_symptoms+ask_causes"
    assert tracker["slots"]["findings"]["groin"] == "present"
    assert tracker["slots"]["findings"]["coughing_sneezing"] == "present"
    assert tracker["active_loop"]["name"] == "intake_form"
    assert "Where exactly" not in replies and "Which side" not in replies  # said already
    assert "tell me where it hurts" not in replies  # no offer to start what has started

def test_a_general_treatment_question_is_only_answered(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"general-{uuid.uuid4().hex[:8]}"
    replies = texts(assistant.say(sender, "is a foam roller any good for hip pain?"))
    assert "evidence:" in replies
    assert "tell me where it hurts" in replies  # offered, not started
    assert not (assistant.tracker(sender).get("active_loop") or {}).get("name")
