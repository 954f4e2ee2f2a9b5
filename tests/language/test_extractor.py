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
