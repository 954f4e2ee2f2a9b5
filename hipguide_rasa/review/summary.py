"""What happened in a stored conversation: its turns, annotated, and the review flags.

Pure functions over the event dictionaries Rasa stores (no Rasa import), so the filters
are unit-testable and the same for SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Sequence

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "utter_default", "action_two_stage_fallback",
                              "action_default_ask_affirmation", "action_default_ask_rephrase"})
# An intent that ends a conversation on purpose, or asks for a person instead.
LEAVING_INTENTS = frozenset({"goodbye", "restart", "human_handoff"})
# Internal bookkeeping actions the transcript does not show.
QUIET_ACTIONS = frozenset({"action_listen", "action_session_start"})

DEFAULT_LOW_CONFIDENCE = 0.6
DEFAULT_IDLE = timedelta(minutes=30)


@dataclass
class Turn:
    """One message from the person and everything the assistant did until the next one."""

    timestamp: float
    text: str
    intent: str | None
    confidence: float | None
    entities: List[Dict[str, Any]]
    actions: List[str] = field(default_factory=list)
    slots: List[tuple] = field(default_factory=list)
    replies: List[str] = field(default_factory=list)
    active_form: str | None = None

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc)

    @property
    def typed(self) -> bool:
        """Typed by the person, not a button's payload ("/intent{...}")."""
        return not self.text.startswith("/")

    def low(self, threshold: float = DEFAULT_LOW_CONFIDENCE) -> bool:
        """A typed message whose intent was predicted with confidence below ``threshold``."""
        return self.typed and self.confidence is not None and self.confidence < threshold


def entity_text(entity: Dict[str, Any]) -> str:
    """``symptom=numbness [negated]``: an extracted entity as trainers read it."""
    text = f"{entity.get('entity')}={entity.get('value')}"
    return text + (f" [{entity['role']}]" if entity.get("role") else "")


@dataclass
class Review:
    sender_id: str
    started: datetime
    last: datetime
    turns: List[Turn]
    opening_replies: List[str]
    fallback: bool
    red_flags: List[str]
    triage_level: str | None
    assessed: bool  # action_assess ran (the domain's `assessed` slot is never set, so not read)
    lowest_confidence: float | None
    gave_up: bool
    gave_up_reason: str | None
    repeated_question: str | None = None  # a question HipGuide asked in consecutive turns
    repeats: int = 0

    def low_confidence(self, threshold: float = DEFAULT_LOW_CONFIDENCE) -> bool:
        return self.lowest_confidence is not None and self.lowest_confidence < threshold

    def flags(self, threshold: float = DEFAULT_LOW_CONFIDENCE) -> List[str]:
        names = []
        if self.red_flags:
            names.append("red flag " + ",".join(self.red_flags))
        if self.fallback:
            names.append("fallback")
        if self.low_confidence(threshold):
            names.append(f"low confidence {self.lowest_confidence:.2f}")
        if self.gave_up:
            names.append("gave up")
        if self.repeats:
            names.append(f"asked again x{self.repeats}")
        if self.assessed:
            names.append("assessed")
        return names


def _intent(event: Dict[str, Any]) -> tuple:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    confidence = intent.get("confidence")
    return intent.get("name"), (float(confidence) if confidence is not None else None)


def review(sender_id: str, events: Sequence[Dict[str, Any]], now: datetime | None = None,
           idle: timedelta = DEFAULT_IDLE) -> Review:
    """Annotate ``events`` (oldest first). ``now`` and ``idle`` decide whether a person who
    stopped answering has left: silent for ``idle`` while a question was open."""
    turns: List[Turn] = []
    opening: List[str] = []
    slots: Dict[str, Any] = {}
    red_flags: List[str] = []
    fallback = assessed = False
    active_form: str | None = None
    for event in events:
        kind = event.get("event")
        current = turns[-1] if turns else None
        if kind == "user":
            name, confidence = _intent(event)
            turns.append(Turn(event.get("timestamp", 0.0), event.get("text") or "", name, confidence,
                              list((event.get("parse_data") or {}).get("entities") or []),
                              active_form=active_form))
            fallback = fallback or name == FALLBACK_INTENT
        elif kind == "bot":
            (current.replies if current else opening).append(event.get("text") or "")
        elif kind == "action":
            name = event.get("name") or ""
            fallback = fallback or name in FALLBACK_ACTIONS
            assessed = assessed or name == "action_assess"
            if current is not None and name not in QUIET_ACTIONS:
                current.actions.append(name)
        elif kind == "slot":
            slots[str(event.get("name"))] = event.get("value")
            if current is not None:
                current.slots.append((event.get("name"), event.get("value")))
            if event.get("name") == "red_flags":
                red_flags = [str(flag) for flag in event.get("value") or []]
        elif kind == "active_loop":
            active_form = event.get("name")
        elif kind == "session_started":
            active_form = None
    confidences = [t.confidence for t in turns if t.confidence is not None and t.typed]
    started = datetime.fromtimestamp(events[0]["timestamp"], tz=timezone.utc) if events else datetime.now(timezone.utc)
    last = datetime.fromtimestamp(events[-1]["timestamp"], tz=timezone.utc) if events else started
    gave_up, reason = _gave_up(turns, active_form, assessed, red_flags, last, now, idle)
    question, repeats = _repeated_question(turns)
    return Review(sender_id, started, last, turns, opening, fallback, red_flags, slots.get("triage_level"),
                  assessed, min(confidences) if confidences else None, gave_up, reason, question, repeats)


def _repeated_question(turns: List[Turn]) -> tuple:
    """The question HipGuide asked again right after the person answered it (the answer was
    not understood), and how many times in all such repeats happened."""
    repeats, question = 0, None
    for previous, current in itertools.pairwise(turns):
        if any(name == "red_flags" for name, _ in current.slots):
            continue  # a red flag was announced first; asking the open question again is intended
        asked = {r for r in previous.replies if r.rstrip().endswith(("?", ":"))}
        again = [r for r in current.replies if r in asked]
        if again:
            repeats += 1
            question = question or again[0]
    return question, repeats


def _gave_up(turns: List[Turn], active_form: str | None, assessed: bool, red_flags: List[str],
             last: datetime, now: datetime | None, idle: timedelta) -> tuple:
    """A person gave up when they left before HipGuide could help: no assessment and no red
    flag, and either they said goodbye/restart/asked for a person, or they went silent for
    ``idle`` with a question of the intake or follow-up forms still open."""
    if assessed or red_flags or not turns:
        return False, None
    if turns[-1].intent in LEAVING_INTENTS:
        return True, f"left with '{turns[-1].intent}' before an assessment"
    now = now or datetime.now(timezone.utc)
    if active_form and now - last >= idle:
        return True, f"no answer for {int((now - last).total_seconds() // 60)} min while {active_form} waited"
    return False, None


# Slots that only steer the forms; the transcript shows "asks" and the findings instead.
BOOKKEEPING = frozenset({"requested_slot", "pending_question", "asked_questions", "followup_answer",
                         "questions_needed", "findings"})


@dataclass
class TurnChanges:
    findings: List[str]  # "clicking present", for findings new or changed in this turn
    slots: List[tuple]  # (name, value) of the other slots whose value changed
    asks: str | None  # the slot or follow-up question asked next


def turn_changes(turn_slots: List[tuple], known: Dict[str, Any]) -> TurnChanges:
    """What one turn changed. ``known`` carries findings and slot values from earlier turns
    (pass the same dict for every turn of a conversation, in order)."""
    final = dict(turn_slots)
    findings, slots = known.setdefault("findings", {}), known.setdefault("slots", {})
    changed_findings: List[str] = []
    stated = final.get("findings")
    if isinstance(stated, dict):
        changed_findings = [f"{k} {v}" for k, v in stated.items() if findings.get(k) != v]
        findings.clear()
        findings.update(stated)
    changed = [(name, value) for name, value in final.items()
               if name not in BOOKKEEPING and slots.get(name, _UNSET) != value]
    slots.update({name: value for name, value in final.items() if name not in BOOKKEEPING})
    asks = final.get("pending_question") or final.get("requested_slot")
    return TurnChanges(changed_findings, changed, str(asks) if asks and asks != "followup_answer" else None)


_UNSET = object()


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    fallback: bool = False
    red_flag: bool = False
    low_confidence: float | None = None
    gave_up: bool = False
    repeated: bool = False

    def match(self, item: Review) -> bool:
        if self.since and item.last < self.since:
            return False
        if self.until and item.started > self.until:
            return False
        if self.fallback and not item.fallback:
            return False
        if self.red_flag and not item.red_flags:
            return False
        if self.low_confidence is not None and not item.low_confidence(self.low_confidence):
            return False
        if self.repeated and not item.repeats:
            return False
        return not (self.gave_up and not item.gave_up)
