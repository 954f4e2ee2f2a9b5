"""Rasa 3.6 recomputes a conversation's whole history several times per turn: make that cheap.

A turn late in a long conversation cost twice a turn early in it (``make bench``, turn 40 /
turn 3). cProfile of the Rasa server on turns 36-40 of the bench's 40-turn conversation
(about 500 events) found the cost in three pure functions of the event list:

- ``Event.resolve_by_type`` walks every subclass of ``Event`` (with ``inspect.isabstract`` on
  each) to find the class of one stored event: 60 class checks per event, done for every event
  of the session each time the tracker store loads it (a third of the turn).
- ``DialogueStateTracker.applied_events`` replays the whole event list (undoing reverted turns
  and form loops) each time it is asked, about ten times a turn on the same events.
- ``DialogueStateTracker.past_states`` (every policy featurizes the whole history, then keeps
  the last few states) is asked three or four times per predicted action with the same events
  and the same arguments.

Here the first is remembered per type name. The other two become folds over the event list
that remember where they stopped (``_Applied``, ``_Fold``): Rasa only ever appends to a
tracker's events, so a later call goes on from the last point whose events are the very same
objects, instead of replaying the conversation from its start. The loops are Rasa 3.6.21's,
step for step. With the tracker store keeping trackers between turns
(:mod:`hipguide_rasa.tracker_store`), a turn's cost no longer grows with the conversation.
Results are handed out as copies, because callers edit the lists and states they get.
``tests/rasa_patches/test_tracker_caches.py`` compares each with Rasa's own function after
every event of every test story, and with reverts, restarts and new sessions mid-way.

Applied explicitly by :func:`hipguide_rasa.adaptations.apply`; refuses (with a warning, leaving
Rasa as it is) on any Rasa version but the pinned one (:mod:`hipguide_rasa.rasa_version`),
whose internals it was written against.
"""

from __future__ import annotations

import copy
import logging
from collections import deque
from typing import Any, Callable, Dict, List, Set, Tuple, Type

from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from hipguide_rasa.rasa_version import pinned_rasa

logger = logging.getLogger(__name__)

FEATURE = "the tracker caches (hipguide_rasa.tracker_caches)"

_original_resolve_by_type: Callable[..., Type[Event] | None] = Event.resolve_by_type
_original_applied_events = DialogueStateTracker.applied_events
_original_past_states = DialogueStateTracker.past_states

_event_classes: Dict[str, Type[Event]] = {}


def _resolve_by_type(type_name: str, default: Type[Event] | None = None) -> Type[Event] | None:
    """``Event.resolve_by_type`` with the classes found remembered (misses are not: a subclass
    defined later is still found, and unknown names still raise or fall back as before)."""
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _original_resolve_by_type(type_name, default)
        if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
            _event_classes[type_name] = cls
    return cls


_APPLIED = "_hipguide_applied_events"
_STATES = "_hipguide_past_states"


class _Applied:
    """``DialogueStateTracker.applied_events`` as a fold over the tracker's events, resumable.

    Rasa's loop, step for step, remembered with the events it has consumed: the deque is only
    ever appended to, so when the same deque has grown the fold goes on from where it stopped.
    The loop depends on the names of every form the whole conversation activated; a new one
    means starting again."""

    def __init__(self) -> None:
        self.events: Any = None  # the tracker's event deque
        self.consumed = 0
        self.last: Event | None = None
        self.loop_names: Set[str] = set()
        self.applied: List[Event] = []

    def applied_for(self, tracker: DialogueStateTracker) -> List[Event]:
        events = tracker.events
        grown = (self.events is events and len(events) >= self.consumed
                 and (self.consumed == 0 or events[self.consumed - 1] is self.last))
        new = list(events)[self.consumed:] if grown else list(events)
        names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if not grown or not names <= self.loop_names:
            self.events, self.consumed, self.applied = events, 0, []
            self.loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
            new = list(events)
        applied = self.applied
        for event in new:
            if isinstance(event, (Restarted, SessionStarted)):
                applied = []
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (isinstance(event, ActionExecuted) and event.action_name in self.loop_names
                  and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        self.applied = applied
        self.consumed = len(events)
        self.last = events[-1] if events else None
        return list(applied)


def _applied_events(self: DialogueStateTracker) -> List[Event]:
    if type(self) is not DialogueStateTracker:  # training's trackers keep their own caches
        return _original_applied_events(self)
    fold = self.__dict__.get(_APPLIED)
    if fold is None:
        fold = self.__dict__[_APPLIED] = _Applied()
    return fold.applied_for(self)


def _copy_states(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    # A state maps sub-state names to dicts of immutable values (strings, tuples, floats);
    # callers pop keys from the last state's sub-states, so copy two levels deep.
    return [{name: dict(sub) if isinstance(sub, dict) else sub for name, sub in state.items()} for state in states]


class _Fold:
    """``Domain.states_for_tracker_history`` as a fold over the applied events, resumable.

    The loop below is Rasa 3.6.21's, step for step: at each ``ActionExecuted`` the state of the
    tracker replayed so far is taken, then the event is applied. What it has computed for a
    prefix of the applied events depends on that prefix only, so a later call whose applied
    events start with the same event objects resumes from the last checkpoint inside the
    common prefix instead of replaying the conversation from its start. Checkpoints are taken
    at each ``action_listen`` (the start of a user turn); the applied events of a form's happy
    path drop the previous turn's form execution, so the common prefix ends there."""

    KEEP = 6  # checkpoints kept: a few user turns back is as far as applied events ever change

    def __init__(self, domain: Domain, omit_unset_slots: bool, ignore_rule_only_turns: bool,
                 rule_only_data: Dict[str, Any] | None) -> None:
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data
        self.events: List[Event] = []  # the applied events the checkpoints were taken on
        self.states: List[Dict[str, Any]] = []
        # (events consumed, states made, replayed tracker, last ml action sub-state, turn hidden)
        self.checkpoints: List[Tuple[int, int, DialogueStateTracker, Any, bool]] = []

    def matches(self, domain: Domain, omit_unset_slots: bool, ignore_rule_only_turns: bool,
                rule_only_data: Dict[str, Any] | None) -> bool:
        return (self.domain is domain and self.omit_unset_slots == omit_unset_slots
                and self.ignore_rule_only_turns == ignore_rule_only_turns
                and (self.rule_only_data is rule_only_data or self.rule_only_data == rule_only_data))

    def states_for(self, tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
        applied = tracker.applied_events()
        common = 0
        for old, new in zip(self.events, applied, strict=False):  # the common prefix
            if old is not new:
                break
            common += 1
        while self.checkpoints and self.checkpoints[-1][0] > common:
            self.checkpoints.pop()
        if self.checkpoints:
            consumed, made, replayed, last_ml, hidden = self.checkpoints[-1]
            replayed = _replica(replayed)
        else:
            consumed, made, replayed, last_ml, hidden = 0, 0, tracker.init_copy(), None, False
        self.events = applied
        del self.states[made:]
        for index in range(consumed, len(applied)):
            event = applied[index]
            if isinstance(event, ActionExecuted):
                if event.action_name == ACTION_LISTEN_NAME and not (
                        self.checkpoints and self.checkpoints[-1][0] == index):
                    self.checkpoints.append((index, len(self.states), _replica(replayed), last_ml, hidden))
                    del self.checkpoints[:-self.KEEP]
                last_ml, hidden = self._step(replayed, event.hide_rule_turn, self.states, last_ml, hidden)
            replayed.update(event)
        final = list(self.states)
        self._step(replayed, False, final, last_ml, hidden)
        return final

    def _step(self, tr: DialogueStateTracker, hide_rule_turn: bool, states: List[Dict[str, Any]],
              last_ml_action_sub_state: Any, turn_was_hidden: bool) -> Tuple[Any, bool]:
        domain = self.domain
        if self.ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and tr.latest_action_name != tr.active_loop_name:
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                return last_ml_action_sub_state, turn_was_hidden
        state = domain.get_active_state(tr, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        states.append(domain._clean_state(state))
        return last_ml_action_sub_state, turn_was_hidden


def _replica(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy of a replayed tracker that replays on independently: its own event list, slots
    and dicts; the event objects themselves are shared, as in Rasa's own replay."""
    replica = copy.copy(tracker)
    replica.__dict__.pop(_APPLIED, None)
    replica.__dict__.pop(_STATES, None)
    replica.events = deque(tracker.events, maxlen=tracker.events.maxlen)
    slots = type(tracker.slots)()
    slots.update({name: copy.copy(slot) for name, slot in tracker.slots.items()})
    replica.slots = slots
    replica.latest_action = dict(tracker.latest_action) if tracker.latest_action is not None else None
    # a dataclass whose flags are set in place (is_interrupted, rejected)
    replica.active_loop = copy.copy(tracker.active_loop)
    return replica


def _past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                 ignore_rule_only_turns: bool = False,
                 rule_only_data: Dict[str, Any] | None = None) -> List[Dict[str, Any]]:
    if type(self) is not DialogueStateTracker:  # training's trackers keep their own caches
        return _original_past_states(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    if not ignore_rule_only_turns:
        rule_only_data = None  # only read when rule-only turns are ignored: not part of the key
    folds: List[_Fold] = self.__dict__.setdefault(_STATES, [])
    fold = next((f for f in folds if f.matches(domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)),
                None)
    if fold is None:
        fold = _Fold(domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        folds.append(fold)
        del folds[:-4]  # Rasa asks with two or three argument sets
    return _copy_states(fold.states_for(self))


def install() -> bool:
    """Install the caches; False (and Rasa unchanged) on a Rasa version they were not written for."""
    if not pinned_rasa(FEATURE, logger):
        return False
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    DialogueStateTracker.applied_events = _applied_events
    DialogueStateTracker.past_states = _past_states
    return True


def uninstall() -> None:
    """Rasa's own functions again (for the tests that compare the two)."""
    Event.resolve_by_type = staticmethod(_original_resolve_by_type)
    DialogueStateTracker.applied_events = _original_applied_events
    DialogueStateTracker.past_states = _original_past_states
