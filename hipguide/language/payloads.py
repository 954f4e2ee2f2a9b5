"""Which button payloads a person's message may carry.

A message written as a payload (``/describe_symptoms{"body_location": "outer_hip"}``) skips
language understanding: its intent and entities are taken as they are. Anyone can type one,
so a payload is accepted only when it could have come from one of HipGuide's own buttons:
an intent of the assistant, entity types it knows, canonical values from the knowledge data
(a number for the age, a short duration such as "3 weeks", a severity) and at most
``MAX_ENTITIES`` entities. Anything else is read as the words it contains.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import AbstractSet, Any, Mapping

from hipguide.reasoning.findings import find_duration

MAX_ENTITIES = 8
MAX_FREE_TEXT = 40  # characters of a duration or severity value
_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][A-Za-z0-9_]{0,63})(?P<entities>\{.*\})?$", re.DOTALL)
_SEVERITY = re.compile(r"^(?:mild|moderate|severe|(?:10|[0-9])(?:\.5)?/10)$")
_SIDES = frozenset({"left", "right", "both"})


@dataclass(frozen=True)
class PayloadRules:
    """What a payload may contain: the intents and, per entity type, its canonical values."""

    intents: AbstractSet[str]
    values: Mapping[str, AbstractSet[str]]

    def value_allowed(self, entity: str, value: Any) -> bool:
        if entity == "age":
            number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else _number(value)
            return number is not None and (0 <= number <= 120 or number == -1)
        if not isinstance(value, str) or not value or len(value) > MAX_FREE_TEXT:
            return False
        if entity == "duration":
            return find_duration(value) is not None
        if entity == "severity":
            return bool(_SEVERITY.match(value))
        if entity == "side":
            return value in _SIDES or value in self.values.get("side", ())
        return value in self.values.get(entity, ())

    def allowed(self, text: str) -> bool:
        """True when ``text`` is a payload one of HipGuide's own buttons could send."""
        match = _PAYLOAD.match(text.strip())
        if not match or match.group("intent") not in self.intents:
            return False
        if match.group("entities") is None:
            return True
        try:
            entities = json.loads(match.group("entities"))
        except (ValueError, RecursionError):
            return False
        if not isinstance(entities, dict):
            return False
        count = 0
        for entity, values in entities.items():
            for value in values if isinstance(values, list) else [values]:
                count += 1
                if count > MAX_ENTITIES or not self.value_allowed(entity, value):
                    return False
        return True


def as_typed_text(text: str) -> str:
    """A refused payload, read as what a person typed: without the leading slashes."""
    return text.strip().lstrip("/").strip() or "?"


def vet(text: str, rules: PayloadRules) -> str:
    """``text`` itself unless it looks like a payload that ``rules`` refuse."""
    if not text.strip().startswith("/") or rules.allowed(text):
        return text
    return as_typed_text(text)


def _number(value: Any) -> float | None:
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,3}(?:\.\d+)?", value.strip()):
        return float(value)
    return None
