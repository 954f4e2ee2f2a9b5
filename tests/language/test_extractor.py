"""The Rasa extractor on the project's real spaCy pipeline: canonical values and roles."""

from __future__ import annotations

from typing import Dict, Set, Tuple

import pytest

from hipguide_rasa.finding_extractor import FindingEntityExtractor


@pytest.fixture(scope="module")
def extract(spacy_model):  # type: ignore[no-untyped-def]
    extractor = FindingEntityExtractor(FindingEntityExtractor.get_default_config())

    def run(text: str) -> Set[Tuple[str, object, object]]:
        return {(e["entity"], e["value"], e.get("role")) for e in extractor.extract(text, spacy_model)}

    return run


@pytest.mark.parametrize("text,expected", [
    ("My hip hurts after running", {("symptom", "pain", None), ("activity", "running", None)}),
    ("outer hip", {("body_location", "outer_hip", None)}),
    ("It aches when I lie on my side", {("symptom", "pain", None),
                                        ("activity", "lying_on_side", None)}),
    ("no fever, chills or numbness", {("symptom", "fever", "negated"),
                                      ("symptom", "numbness", "negated")}),
    ("Not really numb but it feels weird when I wipe",
     {("symptom", "numbness", "negated"), ("symptom", "saddle_numbness", None)}),
    ("I fell and now I can't put weight on my leg",
     {("event", "fall", None), ("symptom", "cannot_bear_weight", None)}),
    ("does glucosamine help?", {("treatment", "glucosamine", None)}),
    ("what is hip bursitis?", {("condition", "gtps", None)}),
    ("I'm 61 and it's been 3 weeks", {("age", "61", None), ("duration", "3 weeks", None)}),
    ("not sure about any clicking", {("symptom", "clicking", "uncertain")}),
])
def test_entities(extract, text: str, expected: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"


def test_offsets_point_at_the_mention(spacy_model) -> None:  # type: ignore[no-untyped-def]
    text = "Sharp pain in my GROIN when sprinting"
    extractor = FindingEntityExtractor(FindingEntityExtractor.get_default_config())
    spans: Dict[str, str] = {e["value"]: text[e["start"]:e["end"]]
                             for e in extractor.extract(text, spacy_model)}
    assert spans["groin"] == "GROIN"
    assert spans["sprinting"] == "sprinting"


@pytest.mark.parametrize("text,expected", [
    ("I'm a 45 year old woman and my hip aches", {("risk_factor", "female", None)}),
    ("I'm a woman of 47", {("risk_factor", "female", None)}),
    ("as a man in my fifties", {("risk_factor", "male", None)}),
    ("I'm a 31-year-old man with groin pain", {("risk_factor", "male", None)}),
    ("male, 52", {("risk_factor", "male", None)}),
])
def test_the_persons_own_sex_is_found(extract, text: str, expected: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"


@pytest.mark.parametrize("text", ["idk man", "oh boy, it hurts", "my wife says I should rest",
                                  "my husband thinks it's my back", "the guy at the gym said stretch it"])
def test_someone_elses_sex_or_slang_is_not_a_risk_factor(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not {e for e in extract(text) if e[0] == "risk_factor" and e[1] in ("male", "female")}
