from __future__ import annotations

import pytest

from hipguide.reasoning.findings import (
    AGE_NOT_GIVEN,
    FindingState,
    derived_from_age,
    parse_age,
    parse_duration_days,
    parse_findings,
)


@pytest.mark.parametrize("text,age", [
    ("i'm 61", 61), ("I am 34", 34), ("52 years old", 52), ("34f", 34), ("61", 61),
    ("im 45 and run a lot", 45), ("30-year-old runner", 30),
    ("for 2 years", None), ("3 weeks", None), ("it hurts", None), ("I'm 200", None),
])
def test_parse_age(text: str, age: object) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text,days", [
    ("3 weeks", 21), ("about two months now", 60), ("a couple of months", 60),
    ("for 2 years", 730), ("since yesterday, so 1 day", 1), ("52 years old", None),
    ("it hurts", None),
])
def test_parse_duration(text: str, days: object) -> None:
    assert parse_duration_days(text) == days


def test_age_bands_and_a_declined_age() -> None:
    assert derived_from_age(14)["age_under_16"] == FindingState.present
    assert derived_from_age(70)["age_65_plus"] == FindingState.present
    assert derived_from_age(AGE_NOT_GIVEN) == {}
    assert derived_from_age(None) == {}


def test_parse_findings_ignores_junk() -> None:
    assert parse_findings({"groin": "present", "x": "maybe", "fever": "absent"}) == {
        "groin": FindingState.present, "fever": FindingState.absent}
    assert parse_findings(None) == {}
