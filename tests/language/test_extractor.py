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


# Findings people describe instead of naming (``described`` in findings.yml), written for
# this test, not copied from the lay-language test sets.
@pytest.mark.parametrize("text,expected", [
    ("I can't really feel anything when I wipe", {("symptom", "saddle_numbness", None)}),
    ("it's gone sort of dead down there", {("symptom", "saddle_numbness", None)}),
    ("my privates feel tingly since this morning", {("symptom", "saddle_numbness", None)}),
    ("couldn't tell that I needed the toilet and wet myself",
     {("symptom", "bladder_bowel_change", None)}),
    ("he can't go for a pee even though he wants to", {("symptom", "bladder_bowel_change", None)}),
    ("my calf has gone really puffy after the flight", {("symptom", "calf_swelling", None)}),
    ("I get puffed out just walking upstairs", {("symptom", "breathlessness", None)}),
    ("the side of my hip is red and hot", {("symptom", "hot_joint", None),
                                           ("body_location", "outer_hip", None)}),
    ("my period is over a week late", {("risk_factor", "missed_periods", None)}),
    ("she crumpled to the ground at the finish of her race", {("event", "mid_run_collapse", None)}),
    ("dropped half a stone without meaning to", {("symptom", "weight_loss", None)}),
    ("the groin aches every single night", {("symptom", "night_pain", None)}),
    ("I was knocked off my scooter by a lorry", {("event", "high_energy_trauma", None)}),
    ("the lump won't pop back in now", {("symptom", "lump_wont_go_back", None)}),
    ("my son (13) has a limp", {("age", "13", None), ("symptom", "limp", None)}),
    ("my boy is eleven and limping", {("age", "11", None)}),
    ("hobbling since i had the baby 3 wks ago", {("risk_factor", "postpartum", None),
                                                ("symptom", "limp", None)}),
    ("my left foot has started slapping the floor", {("symptom", "weakness", None)}),
    ("my wee looks a bit pinkish", {("symptom", "blood_in_urine", None)}),
    ("since having my second baby four months ago my back aches", {("risk_factor", "postpartum", None)}),
    ("my grandad can barely bear weight on that leg since the fall", {("symptom", "cannot_bear_weight", None)}),
    ("the ache disturbs my sleep most nights", {("symptom", "night_pain", None)}),
    ("a burning pain radiating down into my knee", {("symptom", "radiating_pain", None)}),
    ("the hip feels weaker every week", {("symptom", "weakness", None)}),
    ("it's sore in my inner right thigh", {("body_location", "inner_thigh", None), ("side", "right", None)}),
])
def test_described_findings(extract, text: str, expected: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"


@pytest.mark.parametrize("text,absent", [
    ("my calf isn't swollen", ("symptom", "calf_swelling", None)),  # a negation breaks a description
    ("the pain went down after my run", ("event", "mid_run_collapse", None)),
    ("I upped and ran off", ("event", "training_increase", None)),  # "upped" is not "up"
    ("getting back to running next week", ("body_location", "lower_back", None)),
    ("it won't go back in", ("body_location", "lower_back", None)),
    ("I had to give up running", ("event", "training_increase", None)),
    ("hobbling since i had the baby 3 wks ago", ("age", "3", None)),  # weeks, not an age
    ("bladder fine, no numbness", ("symptom", "bladder_bowel_change", None)),
    ("no problems with my waterworks", ("symptom", "bladder_bowel_change", None)),
])
def test_descriptions_and_senses_do_not_overreach(extract, text: str, absent) -> None:  # type: ignore[no-untyped-def]
    assert absent not in extract(text)


@pytest.mark.parametrize("text,expected", [
    ("my back hurts", ("body_location", "lower_back", None)),
    ("lying on my back it aches", ("body_location", "lower_back", None)),
    ("I can't hop on it without a sharp pain", ("activity", "hopping", None)),
    ("I can't hop on it without a sharp pain", ("symptom", "pain", None)),
    ("outer hip gone all hot and red", ("body_location", "outer_hip", None)),
])
def test_context_keeps_what_is_said(extract, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected in found, f"got {found}"


# One typo in a key word: corrected against the vocabulary when the word is not English.
@pytest.mark.parametrize("text,expected", [
    ("sharp pain in my grion when I sprint", ("body_location", "groin", None)),
    ("my buttok aches after long runs", ("body_location", "buttock", None)),
    ("no numbess at all", ("symptom", "numbness", "negated")),
    ("started runing again last month", ("activity", "running", None)),
    ("tight hamstrng since the race", ("body_location", "back_of_thigh", None)),
    ("it feels wierd when I wipe", ("symptom", "saddle_numbness", None)),
])
def test_a_typo_in_a_key_word_is_forgiven(extract, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected in found, f"got {found}"


@pytest.mark.parametrize("text,absent", [
    ("my hip hurts when I bend down", ("activity", "running", None)),
    ("it started after gardening", ("symptom", "swelling", None)),
    ("I went to parkrun with my daugther", ("body_location", "outer_thigh", None)),
])
def test_english_words_are_not_corrected_into_findings(extract, text: str, absent) -> None:  # type: ignore[no-untyped-def]
    assert absent not in extract(text)


def test_offsets_point_at_the_word_as_typed(spacy_model) -> None:  # type: ignore[no-untyped-def]
    text = "Pain in my GRION"
    extractor = FindingEntityExtractor(FindingEntityExtractor.get_default_config())
    spans = {e["value"]: text[e["start"]:e["end"]] for e in extractor.extract(text, spacy_model)}
    assert spans["groin"] == "GRION"


@pytest.mark.parametrize("text,absent", [
    ("the next week it kicked in at 6 km", ("activity", "kicking", None)),
    ("sharp pains running through my lower back", ("activity", "running", None)),
    ("I strained it lifting", ("activity", "coughing_sneezing", None)),
    ("both of them feel weak and heavy", ("risk_factor", "overweight", None)),
    ("as soon as I took my first step out of the car", ("activity", "stairs", None)),
    ("it turned out to be nothing much", ("activity", "pivoting", None)),
    ("not sure what the next steps are", ("activity", "stairs", None)),
    ("if I run my fingers over the bone it feels lumpy", ("activity", "running", None)),
    ("I'm entered in a sprint triathlon in May", ("activity", "sprinting", None)),
    ("the physio told me to lose weight", ("symptom", "weight_loss", None)),
    ("I don't want to lose ground on my training", ("symptom", "clicking", None)),
    ("press on the spot where it hurts", ("symptom", "vaginal_bleeding", None)),
])
def test_words_in_another_sense_are_not_findings(extract, text: str, absent) -> None:  # type: ignore[no-untyped-def]
    assert absent not in extract(text)


@pytest.mark.parametrize("text,expected", [
    ("my groin hurts when I'm running", ("activity", "running", None)),
    ("it hurts going up the steps", ("activity", "stairs", None)),
    ("I kicked the ball and felt it", ("activity", "kicking", None)),
    ("I'm quite heavy for a runner", ("risk_factor", "overweight", None)),
    ("my hip turned awkwardly and it's hurt since", ("activity", "pivoting", None)),
    ("it hurts climbing the steps at work", ("activity", "stairs", None)),
    ("I've lost weight without trying this year", ("symptom", "weight_loss", None)),
    ("my back hurts when I lie down", ("body_location", "lower_back", None)),
])
def test_the_usual_sense_is_kept(extract, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert expected in extract(text)


@pytest.mark.parametrize("text,expected", [
    ("pain at the back of my left thigh when I sprint",
     {("body_location", "back_of_thigh", None), ("side", "left", None)}),
    ("the front of my right hip hurts", {("body_location", "front_of_hip", None), ("side", "right", None)}),
    ("outside of his left hip is sore", {("body_location", "outer_hip", None), ("side", "left", None)}),
    ("no pain in the front of my left hip",
     {("body_location", "front_of_hip", "negated"), ("side", "left", "negated")}),
    ("a dull ache in my inner left thigh", {("body_location", "inner_thigh", None), ("side", "left", None)}),
    ("the outer right hip is tender to touch", {("body_location", "outer_hip", None), ("side", "right", None)}),
])
def test_a_side_inside_a_place_keeps_both(extract, text: str, expected: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"
    assert ("body_location", "lower_back", None) not in found  # "back of my left thigh" is not the back


def test_a_side_inside_a_place_points_at_the_side_word(spacy_model) -> None:  # type: ignore[no-untyped-def]
    text = "the front of my Right hip hurts"
    entities = FindingEntityExtractor(FindingEntityExtractor.get_default_config()).extract(text, spacy_model)
    [side] = [e for e in entities if e["entity"] == "side"]
    assert text[side["start"]:side["end"]] == "Right" and side["value"] == "right"


@pytest.mark.parametrize("text,expected,absent", [
    ("lump in my groin wont go back in", {("body_location", "groin", None), ("symptom", "lump", None)}, set()),
    ("the back of my knee aches", {("body_location", "knee", None)}, {("body_location", "lower_back", None)}),
    ("pain at the back of my pelvis", {("body_location", "lower_back", None)}, set()),
    # a denied finding does not deny (or assert) the place it names
    ("no swelling in my groin", {("symptom", "lump", "negated")},
     {("body_location", "groin", None), ("body_location", "groin", "negated")}),
])
def test_a_place_inside_another_finding_is_found(extract, text: str, expected: Set, absent: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"
    assert not absent & found, f"unexpected {absent & found}"


@pytest.mark.parametrize("text,expected,absent", [
    ("occasional pain in my left hip flexor", {("body_location", "front_of_hip", None), ("side", "left", None)},
     set()),
    ("the tear swelled up into a ball", set(), {("body_location", "testicle", None)}),
    ("sudden pain in my left ball", {("body_location", "testicle", None)}, set()),
    ("she was on her hands and knees in the kitchen", set(), {("body_location", "knee", None)}),
    ("took a knee to the top of my pelvis in a tackle", {("body_location", "outer_hip", None)},
     {("body_location", "knee", None)}),
    ("I have a knee problem too", {("body_location", "knee", None)}, set()),
    ("wiggling around in my seat", set(), {("body_location", "buttock", None)}),
])
def test_words_in_their_other_sense(extract, text: str, expected: Set, absent: Set) -> None:  # type: ignore[no-untyped-def]
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"
    assert not absent & found, f"unexpected {absent & found}"


class _CountingPipeline:
    """The real spaCy pipeline, counting how often a text is run through it."""

    def __init__(self, nlp):  # type: ignore[no-untyped-def]
        self.nlp, self.calls = nlp, 0

    def __call__(self, text):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.nlp(text)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.nlp, name)


@pytest.mark.parametrize("text", ["My Hip hurts after running, no numbness", "grion pain when I sprint",
                                  "İstanbul trip and now my groin aches"])
def test_the_extractor_reuses_spacynlps_doc_and_finds_the_same(spacy_model, text: str) -> None:  # type: ignore[no-untyped-def]
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    counting = _CountingPipeline(spacy_model.model)
    model = SpacyModel(model=counting, model_name=spacy_model.model_name)
    nlp = SpacyNLP(model, {**SpacyNLP.get_default_config(), "case_sensitive": False})
    message = Message(data={TEXT: text})
    nlp.process([message], model)
    assert message.get(SPACY_DOCS[TEXT]) is not None and counting.calls == 1
    extractor = FindingEntityExtractor(FindingEntityExtractor.get_default_config())
    extractor.process([message], model)
    offsets_kept = len(text.lower()) == len(text)  # else the extractor reads the text as typed
    assert counting.calls == (1 if offsets_kept else 2)  # the pipeline ran once when the doc fits
    fresh = extractor.extract(text, spacy_model)
    found = [{k: v for k, v in e.items() if k != "extractor"} for e in message.get("entities")]
    assert found == fresh


@pytest.mark.parametrize("text,expected,absent", [
    # a strain the person names: the condition, and the place inside it
    ("I think I have a groin strain", {("condition", "adductor_strain", "uncertain"), ("body_location", "groin", None)},
     set()),
    # stretches done for the pain are the treatment; stretches that hurt are the finding
    ("I have done PT stretches for 10 weeks", {("treatment", "stretching", None)},
     {("activity", "stretching", None)}),
    ("stretching doesn't help", {("treatment", "stretching", None)}, {("activity", "stretching", None)}),
    ("yoga stretches make it worse", {("activity", "stretching", None)}, {("treatment", "stretching", None)}),
    # "walking up stairs" is the stairs, not walking as well
    ("it was painful walking up stairs", {("activity", "stairs", None)}, {("activity", "walking", None)}),
    # hyphens between letters, and "right" meaning directly
    ("a pair of sore hip-flexors", {("body_location", "front_of_hip", None)}, set()),
    ("a pain right on the butt bone", {("body_location", "sit_bone", None)}, {("side", "right", None)}),
    ("pain on the right in my groin", {("side", "right", None), ("body_location", "groin", None)}, set()),
    ("I'm talking need-a-walker-with-tennis-balls achy", set(), {("body_location", "testicle", None)}),
])
def test_words_in_the_sense_people_use_them(extract, text: str, expected: Set,  # type: ignore[no-untyped-def]
                                            absent: Set) -> None:
    found = extract(text)
    assert expected <= found, f"missing {expected - found}; got {found}"
    assert not absent & found, f"read wrongly: {absent & found}"
