"""TED's answer for a dialogue state it has already seen, without running TensorFlow again.

TED predicts 2-3 times per turn and each prediction costs some 6-9 ms on two cores, most of it
TensorFlow's function dispatch for a batch of one (cProfile of ten-turn conversations: a third
of a turn). Its input is only the last ``max_history`` dialogue states (intent, entity types,
featurized slots, previous action, active form): HipGuide's TED is trained on intents, not
text, so the same states always give the same output. The states are few (that is what
makes them learnable), and people in the same place of the intake reach the same states, so
the answer is remembered per frozen state sequence, most recently used first
(``HIPGUIDE_TED_CACHE`` entries, 20,000 by default; 0 turns it off).

A TED trained end to end (on text) reads the text of the message, so it is never cached.

TED is not asked at all when its answer cannot matter. Rasa's ensemble takes the most
confident prediction and, between equally confident ones, the policy of higher priority; a
policy that is not end to end never outranks a "no user" prediction. So once the RulePolicy or
the MemoizationPolicy (priorities 6 and 3, TED's is 1) has predicted an action with full
confidence for this tracker, TED's output is discarded whatever it says: the ensemble's choice
is the same with TED's default (all-zero) prediction. The two policies run before TED in the
graph; each notes a fully confident prediction with the tracker it was made for, and TED
skips its work only for that very tracker at that very event. Not when the last action was
rejected (the ensemble then zeroes the rejected action in every prediction, the certain one
included) and never for a TED that reads text (its end-to-end answer outranks the others).
Applied explicitly by :func:`hipguide_rasa.adaptations.apply`; refuses (with a warning) on any
Rasa version but the pinned one (:mod:`hipguide_rasa.rasa_version`).
``tests/rasa_patches/test_policy_cache.py`` checks the cached answer equals TED's own on every
step of the test stories.
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from typing import Any, Dict, Tuple

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

from hipguide_rasa.rasa_version import pinned_rasa
from hipguide_rasa.settings import whole_number

logger = logging.getLogger(__name__)

FEATURE = "the TED prediction cache (hipguide_rasa.policy_cache)"
DEFAULT_ENTRIES = 20_000
_original_predict = TEDPolicy.predict_action_probabilities
_OUTRANKING = (RulePolicy, MemoizationPolicy)
_original_outranking = {policy: policy.__dict__["predict_action_probabilities"] for policy in _OUTRANKING}


def cache_size() -> int:
    return whole_number("HIPGUIDE_TED_CACHE", DEFAULT_ENTRIES)


class _Cache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Tuple[Any, ...], PolicyPrediction] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Tuple[Any, ...]) -> PolicyPrediction | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return copy.deepcopy(found)

    def put(self, key: Tuple[Any, ...], prediction: PolicyPrediction) -> None:
        self.entries[key] = copy.deepcopy(prediction)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


_cache = _Cache(DEFAULT_ENTRIES)


def statistics() -> Dict[str, int]:
    """Hits, misses and entries since the server started (for benchmarks and tests)."""
    return {"hits": _cache.hits, "misses": _cache.misses, "entries": len(_cache.entries),
            "skipped": _certain.skipped}


class _Certain:
    """The latest fully confident prediction of a policy that outranks TED, and for what."""

    def __init__(self) -> None:
        self.tracker: Any = None
        self.last_event: Any = None
        self.length = -1
        self.priority = -1
        self.skipped = 0

    def note(self, tracker: DialogueStateTracker, prediction: PolicyPrediction) -> None:
        if prediction.max_confidence < 1.0 or prediction.is_end_to_end_prediction:
            return
        if self._noted_for(tracker):
            self.priority = max(self.priority, prediction.policy_priority)
            return
        self.tracker, self.length, self.last_event = tracker, len(tracker.events), _last(tracker)
        self.priority = prediction.policy_priority

    def outranks(self, policy: TEDPolicy, tracker: DialogueStateTracker) -> bool:
        return self._noted_for(tracker) and self.priority > policy.priority and not _rejected(tracker)

    def _noted_for(self, tracker: DialogueStateTracker) -> bool:
        """The note was made for this very tracker at this very event."""
        return self.tracker is tracker and self.length == len(tracker.events) and self.last_event is _last(tracker)

    def forget(self) -> None:
        self.tracker = self.last_event = None


_certain = _Certain()


def _last(tracker: DialogueStateTracker) -> Any:
    return tracker.events[-1] if tracker.events else None


def _rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, (ActionExecutionRejected, ActionExecuted)):
            return isinstance(event, ActionExecutionRejected)
    return False


def _noting(original: Any) -> Any:
    def predict(self, tracker: DialogueStateTracker, domain: Domain,  # type: ignore[no-untyped-def]
                rule_only_data: Dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        prediction: PolicyPrediction = original(self, tracker, domain, rule_only_data, **kwargs)
        _certain.note(tracker, prediction)
        return prediction

    predict.__wrapped__ = original  # type: ignore[attr-defined]
    return predict


def _reads_text(policy: TEDPolicy) -> bool:
    return bool(policy.only_e2e or TEXT in (policy.fake_features or {}))


def _state_key(policy: TEDPolicy, tracker: DialogueStateTracker, domain: Domain,
               rule_only_data: Dict[str, Any] | None) -> Tuple[Any, ...]:
    """The states TED featurizes (as ``_featurize_for_prediction`` makes them), frozen."""
    ml_only = policy.supported_data() == SupportedData.ML_DATA
    states = policy.featurizer.prediction_states(
        [tracker], domain, use_text_for_last_user_input=False, ignore_rule_only_turns=ml_only,
        rule_only_data=rule_only_data, ignore_action_unlikely_intent=ml_only)[0]
    return (id(policy), id(domain), *(DialogueStateTracker.freeze_current_state(s) for s in states))


def _predict(self, tracker: DialogueStateTracker, domain: Domain,  # type: ignore[no-untyped-def]
             rule_only_data: Dict[str, Any] | None = None, precomputations: Any = None,
             **kwargs: Any) -> PolicyPrediction:
    # ``self`` carries no annotation: Rasa's graph validation reads the annotated parameters
    # of this method as inputs the graph must provide
    if self.model is None or _reads_text(self):
        return _original_predict(self, tracker, domain, rule_only_data, precomputations, **kwargs)
    if _certain.outranks(self, tracker):
        _certain.skipped += 1
        return self._prediction(self._default_predictions(domain))
    if _cache.size == 0:
        return _original_predict(self, tracker, domain, rule_only_data, precomputations, **kwargs)
    key = _state_key(self, tracker, domain, rule_only_data)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    prediction = _original_predict(self, tracker, domain, rule_only_data, precomputations, **kwargs)
    _cache.put(key, prediction)
    return prediction


def install() -> bool:
    """Cache TED's predictions; False (and Rasa unchanged) on another Rasa version."""
    global _cache
    if not pinned_rasa(FEATURE, logger):
        return False
    size = cache_size()
    if size != _cache.size:
        _cache = _Cache(size)
    TEDPolicy.predict_action_probabilities = _predict
    for policy, original in _original_outranking.items():
        policy.predict_action_probabilities = _noting(original)
    return True


def uninstall() -> None:
    TEDPolicy.predict_action_probabilities = _original_predict
    for policy, original in _original_outranking.items():
        policy.predict_action_probabilities = original
    _certain.forget()
