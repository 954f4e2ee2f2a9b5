"""Negation and uncertainty scope on token lists (no spaCy needed)."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from hipguide.language.negation import Assertion, Mention, assertion_for, role_for


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


def role(entity: str, sentence: str, target: str) -> Assertion | None:
    tokens = sentence.lower().replace(",", " ,").split()
    words = target.split()
    start = next(i for i in range(len(tokens)) if tokens[i:i + len(words)] == words)
    mention = Mention(start, start + len(words))
    return role_for(entity, tokens, mention, [mention])


@pytest.mark.parametrize("entity,sentence,target,expected", [
    # an activity one cannot do is where it hurts, not an absent trigger
    ("activity", "i could not hop", "hop", None),
    ("activity", "i ca n't climb stairs any more", "stairs", None),
    ("activity", "i cant sit for long", "sit", None),
    ("activity", "not able to run at all", "run", None),
    ("activity", "i could never walk smoothly", "walk", None),
    # ... but a symptom or a trigger that is denied stays denied
    ("symptom", "i could not feel any numbness", "numbness", Assertion.negated),
    ("activity", "no pain cycling", "cycling", Assertion.negated),
    # "I think" tells a story before an activity or event; a symptom stays uncertain
    ("activity", "i think it started when sprinting", "sprinting", None),
    ("event", "i think i fell on it", "fell", None),
    ("symptom", "i think there is some swelling", "swelling", Assertion.uncertain),
    ("body_location", "maybe my groin", "groin", None),
    # unsure of the cause, not of the pain
    ("symptom", "not sure why i am in pain", "pain", None),
    ("symptom", "no idea what caused the clicking", "clicking", None),
    ("symptom", "i tried not to limp", "limp", None),
    ("symptom", "i could n't figure out what was causing the hip pain", "pain", None),
    ("symptom", "i do n't know why it clicks", "clicks", None),
    # a new subject after "and" starts a new clause
    ("symptom", "i could not hop and hip had a giving out feeling", "giving out", None),
    ("symptom", "no fever and the hip is swollen", "swollen", None),
    # not wanting to stop is a double negative: the activity is what the person does
    ("activity", "i do n't want to stop running", "running", None),
    ("activity", "is there a way to fix it without giving up running", "running", None),
    ("activity", "without taking time off from training", "training", None),
    ("activity", "i do n't want to run", "run", Assertion.negated),
])
def test_role_for_reads_the_kind_of_finding(entity: str, sentence: str, target: str,
                                             expected: Assertion | None) -> None:
    assert role(entity, sentence, target) == expected


def roles(sentence: str, targets: List[Tuple[str, str]]) -> List[Assertion | None]:
    """Roles of several mentions of one sentence, each (entity type, words)."""
    tokens = sentence.lower().replace(",", " ,").split()
    spans = []
    for _, target in targets:
        words = target.split()
        start = next(i for i in range(len(tokens)) if tokens[i:i + len(words)] == words)
        spans.append(Mention(start, start + len(words)))
    return [role_for(entity, tokens, span, spans) for (entity, _), span in zip(targets, spans, strict=True)]


@pytest.mark.parametrize("sentence,expected", [
    ("there is no pain when i run", [Assertion.negated, Assertion.negated]),
    ("it does n't hurt while cycling", [Assertion.negated, Assertion.negated]),
    ("i have pain when i run", [None, None]),
])
def test_an_activity_that_brings_on_nothing_is_denied(sentence: str, expected: List[Assertion | None]) -> None:
    pain = "hurt" if "hurt" in sentence else "pain"
    activity = "cycling" if "cycling" in sentence else "run"
    assert roles(sentence, [("symptom", pain), ("activity", activity)]) == expected


@pytest.mark.parametrize("sentence,target,expected", [
    # it goes on: not denied
    ("my hip just did n't want to stop hurting", "hurting", None),
    ("my groin wo n't stop aching", "aching", None),
    ("it is n't the kind of pain that will make me stop running", "pain", None),
    ("it does n't matter how long i take off from running", "running", None),
    # a contraction the tokenizer left whole still negates
    ("today ... i couldn't feel any numbness", "numbness", Assertion.negated),
    # an aside in brackets is out of the negation's scope; a list in brackets is not
    ("i did not run for 3 days ( been taking ibuprofen ) and", "ibuprofen", None),
    ("no pain ( or swelling ) at all", "swelling", Assertion.negated),
    ("no numbness ( that i know of ) or weakness", "weakness", Assertion.negated),
])
def test_scope_ends_and_pseudo_negations(sentence: str, target: str, expected: Assertion | None) -> None:
    assert status(sentence, target) == expected
