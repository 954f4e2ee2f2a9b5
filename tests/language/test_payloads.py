"""Only payloads HipGuide's own buttons could send are taken as payloads."""

from __future__ import annotations

import pytest

from hipguide.language.payloads import MAX_ENTITIES, PayloadRules, vet
from hipguide.language.vocabulary import canonical_values

INTENTS = frozenset({"describe_symptoms", "affirm", "deny", "restart", "request_summary"})


@pytest.fixture(scope="module")
def rules(kb) -> PayloadRules:  # type: ignore[no-untyped-def]
    return PayloadRules(INTENTS, canonical_values(kb))


@pytest.mark.parametrize("payload", [
    "/affirm",
    "/request_summary",
    '/describe_symptoms{"body_location": "outer_hip"}',
    '/describe_symptoms{"side": "left"}',
    '/describe_symptoms{"onset": "sudden"}',
    '/describe_symptoms{"duration": "3 weeks"}',
    '/describe_symptoms{"activity": ["running", "stairs"]}',
    '/describe_symptoms{"age": 47}',
    '/describe_symptoms{"age": "47"}',
    '/describe_symptoms{"severity": "7/10"}',
])
def test_button_payloads_pass_unchanged(rules: PayloadRules, payload: str) -> None:
    assert vet(payload, rules) == payload


@pytest.mark.parametrize("payload, typed", [
    ('/describe_symptoms{"symptom": "made_up_symptom_1"}', 'describe_symptoms{"symptom": "made_up_symptom_1"}'),
    ('/describe_symptoms{"body_location": "<a href=x>URGENT</a>"}', None),
    ('/describe_symptoms{"unknown_type": "groin"}', None),
    ('/describe_symptoms{"age": 4000}', None),
    ('/describe_symptoms{"age": "old"}', None),
    ('/describe_symptoms{"duration": "forever and ever"}', None),
    ('/describe_symptoms{"duration": "3 weeks' + "x" * 100 + '"}', None),
    ('/describe_symptoms{"symptom": {"nested": "pain"}}', None),
    ('/describe_symptoms{"symptom": 5}', None),
    ('/describe_symptoms["pain"]', None),
    ("/describe_symptoms{not json}", None),
    ("/no_such_intent", "no_such_intent"),
    ("/describe_symptoms@0.3", None),
    ("/ my hip hurts", "my hip hurts"),
    ("//", "?"),
])
def test_anything_else_is_read_as_typed_text(rules: PayloadRules, payload: str, typed: str | None) -> None:
    result = vet(payload, rules)
    assert not result.startswith("/")
    if typed is not None:
        assert result == typed


def test_too_many_entities_are_refused(rules: PayloadRules) -> None:
    fine = '/describe_symptoms{"symptom": [' + ", ".join(['"pain"'] * MAX_ENTITIES) + "]}"
    assert vet(fine, rules) == fine
    too_many = '/describe_symptoms{"symptom": [' + ", ".join(['"pain"'] * (MAX_ENTITIES + 1)) + "]}"
    assert not vet(too_many, rules).startswith("/")


def test_deeply_nested_json_is_refused_not_crashed(rules: PayloadRules) -> None:
    payload = '/describe_symptoms{"symptom": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert not vet(payload, rules).startswith("/")


def test_typed_text_is_untouched(rules: PayloadRules) -> None:
    assert vet("my hip hurts / aches", rules) == "my hip hurts / aches"
