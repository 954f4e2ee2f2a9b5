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
Applied explicitly by :func:`hipguide_rasa.patches.apply`; refuses (with a warning) on any
Rasa version but the pinned one. ``tests/rasa_patches/test_policy_cache.py`` checks the
cached answer equals TED's own on every step of the test stories.
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from typing import Any, Dict, Tuple

import rasa
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

from hipguide_rasa.settings import whole_number
from hipguide_rasa.tracker_caches import RASA_VERSION

logger = logging.getLogger(__name__)

DEFAULT_ENTRIES = 20_000
_original_predict = TEDPolicy.predict_action_probabilities


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
    return {"hits": _cache.hits, "misses": _cache.misses, "entries": len(_cache.entries)}


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
    if _cache.size == 0 or self.model is None or _reads_text(self):
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
    if rasa.__version__ != RASA_VERSION:
        logger.warning("TED prediction cache not installed: written for Rasa %s, this is Rasa %s",
                       RASA_VERSION, rasa.__version__)
        return False
    size = cache_size()
    if size != _cache.size:
        _cache = _Cache(size)
    TEDPolicy.predict_action_probabilities = _predict
    return True


def uninstall() -> None:
    TEDPolicy.predict_action_probabilities = _original_predict
