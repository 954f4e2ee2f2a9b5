"""Negation and uncertainty scope on token lists (no spaCy needed)."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from hipguide.language.negation import Assertion, Mention, assertion_for


def status(sentence: str, target: str) -> Assertion | None:
    tokens = sentence.lower().replace(",", " ,").split()
    words = target.split()
    start = next(i for i in range(len(tokens)) if tokens[i:i + len(words)] == words)
    spans: List[Tuple[int, int]] = [(start, start + len(words))]
    return assertion_for(tokens, Mention(*spans[0]), [Mention(*spans[0])])


@pytest.mark.parametrize("sentence,target,expected", [
    ("no numbness", "numbness", Assertion.negated),
    ("I have numbness", "numbness", None),
    ("no fever , chills or numbness", "numbness", Assertion.negated),
    ("no fever , chills or numbness", "chills", Assertion.negated),
    ("not really numb but it feels weird when i wipe", "feels weird when i wipe", None),
    ("not really numb but it feels weird when i wipe", "numb", Assertion.negated),
    ("there is no swelling although it clicks", "clicks", None),
    ("i do n't have any tingling", "tingling", Assertion.negated),
    ("i'm not sure about numbness", "numbness", Assertion.uncertain),
    ("maybe a little swelling", "swelling", Assertion.uncertain),
    ("it is no better and now it clicks", "clicks", None),
    ("not only groin pain but also clicking", "groin", None),
    ("without any fever", "fever", Assertion.negated),
    ("never had a stress fracture", "stress fracture", Assertion.negated),
])
def test_assertion(sentence: str, target: str, expected: Assertion | None) -> None:
    assert status(sentence, target) == expected


def test_scope_is_limited_in_distance() -> None:
    sentence = "no idea what happened on saturday morning during the long trail race but fever"
    assert status(sentence, "fever") is None
