"""The review flags and filters on event lists shaped like Rasa's stored events."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

from hipguide_rasa.review.__main__ import transcript
from hipguide_rasa.review.dates import moment
from hipguide_rasa.review.export import conversation_label, nlu_yaml, sessions
from hipguide_rasa.review.summary import Filters, review

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc).timestamp()


def user(text: str, intent: str, confidence: float, t: float, entities: List[Dict[str, Any]] | None = None
         ) -> Dict[str, Any]:
    return {"event": "user", "timestamp": t, "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": entities or []}}


def action(name: str, t: float) -> Dict[str, Any]:
    return {"event": "action", "timestamp": t, "name": name}


def slot(name: str, value: Any, t: float) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": t, "name": name, "value": value}


def bot(text: str, t: float) -> Dict[str, Any]:
    return {"event": "bot", "timestamp": t, "text": text}


def start(t: float = T0) -> List[Dict[str, Any]]:
    return [action("action_session_start", t), {"event": "session_started", "timestamp": t}, action("action_listen", t)]


def intake_question(t: float) -> List[Dict[str, Any]]:
    return [user("my hip hurts", "describe_symptoms", 0.97, t), action("intake_form", t + 1),
            {"event": "active_loop", "timestamp": t + 1, "name": "intake_form"},
            bot("Which side is it?", t + 1), action("action_listen", t + 1)]


def test_a_red_flag_is_flagged_and_is_never_giving_up() -> None:
    events = [*start(), user("numb when I wipe", "describe_symptoms", 0.93, T0 + 5,
                             [{"entity": "symptom", "value": "saddle_numbness"}]),
              action("action_validate_slot_mappings", T0 + 6), slot("red_flags", ["RF4"], T0 + 6),
              slot("triage_level", "emergency", T0 + 6), bot("Please get emergency care now.", T0 + 6)]
    item = review("s1", events, now=datetime.fromtimestamp(T0, timezone.utc) + timedelta(days=1))
    assert item.red_flags == ["RF4"] and item.triage_level == "emergency"
    assert not item.gave_up and not item.fallback
    assert Filters(red_flag=True).match(item) and not Filters(fallback=True).match(item)
    assert item.turns[0].slots == [("red_flags", ["RF4"]), ("triage_level", "emergency")]


def test_fallback_by_intent_or_by_action() -> None:
    by_intent = review("a", [*start(), user("blorp", "nlu_fallback", 0.45, T0 + 1), action("utter_default", T0 + 2)])
    by_action = review("b", [*start(), user("hm", "greet", 0.9, T0 + 1), action("action_default_fallback", T0 + 2)])
    clean = review("c", [*start(), user("hi", "greet", 0.99, T0 + 1), action("utter_greet", T0 + 2)])
    assert by_intent.fallback and by_action.fallback and not clean.fallback
    assert [Filters(fallback=True).match(x) for x in (by_intent, by_action, clean)] == [True, True, False]


def test_low_confidence_ignores_button_payloads_and_respects_the_threshold() -> None:
    events = [*start(), user("my hip hurts", "describe_symptoms", 0.55, T0 + 1),
              user('/describe_symptoms{"side": "left"}', "describe_symptoms", 0.2, T0 + 2)]
    item = review("x", events)
    assert item.lowest_confidence == 0.55
    assert Filters(low_confidence=0.6).match(item) and not Filters(low_confidence=0.5).match(item)


def test_giving_up_by_silence_mid_form_by_leaving_and_not_after_an_assessment() -> None:
    now = datetime.fromtimestamp(T0, timezone.utc) + timedelta(hours=2)
    silent = review("q", [*start(), *intake_question(T0 + 1)], now=now)
    assert silent.gave_up and "intake_form" in (silent.gave_up_reason or "")
    recent = review("q", [*start(), *intake_question(T0 + 1)], now=now, idle=timedelta(hours=3))
    assert not recent.gave_up
    left = review("l", [*start(), *intake_question(T0 + 1), user("bye", "goodbye", 0.99, T0 + 9)], now=now)
    assert left.gave_up and "goodbye" in (left.gave_up_reason or "")
    done = review("d", [*start(), *intake_question(T0 + 1), action("action_assess", T0 + 20),
                        user("bye", "goodbye", 0.99, T0 + 30)], now=now)
    assert done.assessed and not done.gave_up


def test_date_filters_use_the_conversation_span() -> None:
    item = review("d", [*start(), user("hi", "greet", 0.99, T0 + 60)])
    day = datetime.fromtimestamp(T0, timezone.utc)
    assert Filters(since=day - timedelta(hours=1)).match(item)
    assert not Filters(since=day + timedelta(hours=1)).match(item)
    assert not Filters(until=day - timedelta(hours=1)).match(item)


def test_moment_reads_dates_and_relative_times() -> None:
    assert moment("2026-11-20") == datetime(2026, 11, 20, tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - moment("7d")) - timedelta(days=7)) < timedelta(seconds=5)


def test_sessions_split_at_session_start_and_drop_empty_ones() -> None:
    events = [*start(), user("hi", "greet", 0.99, T0 + 1), *start(T0 + 5000), *start(T0 + 9000),
              user("hello", "greet", 0.99, T0 + 9001)]
    parts = sessions(events)
    assert len(parts) == 2 and parts[1][-1]["text"] == "hello"


def test_transcript_and_nlu_export_show_the_predictions_but_never_the_sender_id() -> None:
    sender = "+447700900123"
    events = [*start(), user("no numbness, just an ache", "describe_symptoms", 0.52, T0 + 1,
                             [{"entity": "symptom", "value": "saddle_numbness", "role": "negated"}]),
              user("bleh", "nlu_fallback", 0.3, T0 + 2)]
    item = review(sender, events)
    lines = "\n".join(transcript(item, 0.6))
    assert "symptom=saddle_numbness [negated]" in lines and "0.52  << LOW" in lines
    exported = nlu_yaml(item)
    assert "intent: nlu_fallback" in exported and "predicted_confidence: 0.52" in exported
    assert sender not in lines and sender not in exported and conversation_label(sender) in exported


def test_a_question_asked_again_after_an_answer_is_flagged() -> None:
    where = "Where exactly does it hurt? If you can, point to it:"
    events = [*start(), user("it aches at the front", "describe_symptoms", 0.99, T0 + 1), bot(where, T0 + 1),
              user("the left one", "describe_symptoms", 0.99, T0 + 2), bot(where, T0 + 2),
              user("I'm 29", "describe_symptoms", 0.99, T0 + 3), bot(where, T0 + 3),
              user("groin", "describe_symptoms", 0.99, T0 + 4), bot("Which side is it?", T0 + 4)]
    item = review("r", events)
    assert (item.repeated_question, item.repeats) == (where, 2)
    assert "asked again x2" in item.flags() and Filters(repeated=True).match(item)
    fine = review("f", [*start(), user("hi", "greet", 0.99, T0 + 1), bot("Hi, tell me about it.", T0 + 1),
                        user("hip hurts", "describe_symptoms", 0.99, T0 + 2), bot(where, T0 + 2)])
    assert fine.repeats == 0 and not Filters(repeated=True).match(fine)


def test_asking_again_after_announcing_a_red_flag_is_not_flagged() -> None:
    side = "Which side is it?"
    events = [*start(), user("my lower back and buttock hurt", "describe_symptoms", 0.99, T0 + 1), bot(side, T0 + 1),
              user("I feel numb when I wipe", "describe_symptoms", 0.97, T0 + 2),
              slot("red_flags", ["RF4"], T0 + 2), bot("Please go to an emergency department now.", T0 + 2),
              bot(side, T0 + 2)]
    assert review("rf", events).repeats == 0
