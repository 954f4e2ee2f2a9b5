"""The knowledge data covers the contract, the seed's claims and the clinical reference."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipguide.knowledge.schema import ConditionKind, FindingType

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONTRACT = yaml.safe_load((PROJECT_ROOT / "spec" / "contract.yml").read_text())
SHARED_CONTRACT = PROJECT_ROOT.parent / "shared" / "spec" / "contract.yml"

# Every treatment and claim the seed post names, with the id that carries its verdict.
SEED_TREATMENTS = {
    "glucosamine": "contradicted",
    "cayenne_liniment": "unsupported",
    "vitamin_c_flavonoids": "unsupported",
    "electrical_stimulation": "limited",
    "rest": None,
    "crutches": None,
    "ice": "limited",
    "chiropractic": "limited",
    "yoga": None,
    "stretching": "limited",
    "nsaids": None,
    "surgery": None,
}


def _contract_values(entity: str) -> list:
    return [v for v in CONTRACT["entities"][entity] if v != "..."]


def test_repository_contract_keeps_every_shared_name() -> None:
    """spec/contract.yml may extend the shared contract, never drop a name from it."""
    if not SHARED_CONTRACT.exists():
        pytest.skip("../shared/spec/contract.yml is not beside this checkout")
    shared = yaml.safe_load(SHARED_CONTRACT.read_text())
    for key in ("conditions", "mimics", "beliefs"):
        assert set(shared[key]) <= set(CONTRACT[key])
    assert set(shared["intents"]) <= set(CONTRACT["intents"])
    for entity, values in shared["entities"].items():
        if isinstance(values, list):
            assert set(values) <= set(CONTRACT["entities"][entity]), entity


def test_every_contract_condition_mimic_and_belief_is_present(kb) -> None:  # type: ignore[no-untyped-def]
    expected = {
        **{cid: ConditionKind.condition for cid in CONTRACT["conditions"]},
        **{cid: ConditionKind.mimic for cid in CONTRACT["mimics"]},
        **{cid: ConditionKind.belief for cid in CONTRACT["beliefs"]},
    }
    assert {cid: c.kind for cid, c in kb.conditions.items()} == expected


@pytest.mark.parametrize("entity", ["body_location", "side", "symptom", "activity", "onset",
                                    "event", "risk_factor"])
def test_every_contract_finding_value_is_in_the_vocabulary(kb, entity: str) -> None:  # type: ignore[no-untyped-def]
    vocabulary = {f.id for f in kb.findings.values() if f.type == FindingType(entity)}
    assert set(_contract_values(entity)) <= vocabulary


def test_every_contract_treatment_value_exists(kb) -> None:  # type: ignore[no-untyped-def]
    assert set(_contract_values("treatment")) <= set(kb.treatments)


@pytest.mark.parametrize("treatment_id", sorted(SEED_TREATMENTS))
def test_every_seed_treatment_has_a_verdict(kb, treatment_id: str) -> None:  # type: ignore[no-untyped-def]
    treatment = kb.treatments[treatment_id]
    assert treatment.statement
    expected = SEED_TREATMENTS[treatment_id]
    if expected:
        assert treatment.evidence.value == expected
    claims = [c for c in kb.seed_claims.values() if treatment_id in c.treatments]
    assert claims, f"no seed claim audits {treatment_id}"


def test_every_seed_claim_from_the_audit_is_present(kb) -> None:  # type: ignore[no-untyped-def]
    assert sorted(kb.seed_claims, key=lambda s: int(s[1:])) == [f"S{i}" for i in range(1, 26)]
    verdicts = {s.id: s.evidence.value for s in kb.seed_claims.values()}
    assert verdicts["S4"] == "contradicted"  # glucosamine
    assert verdicts["S6"] == "unsupported"  # vitamin C / flavonoids for labral tears
    assert verdicts["S16"] == "unsupported"  # cayenne liniment
    assert verdicts["S1"] == "unsupported"  # pelvic misalignment


def test_pelvic_misalignment_is_a_belief_that_is_never_ranked(kb) -> None:  # type: ignore[no-untyped-def]
    belief = kb.conditions["pelvic_misalignment"]
    assert belief.prior is None
    assert belief not in kb.ranked_conditions()
    assert set(belief.maps_to) == {"si_joint_pain", "gtps", "lumbar_radiculopathy"}


def test_unsupported_treatments_are_never_listed_as_self_care(kb) -> None:  # type: ignore[no-untyped-def]
    weak = {"glucosamine", "cayenne_liniment", "vitamin_c_flavonoids"}
    for condition in kb.conditions.values():
        for line in condition.self_care:
            assert not any(word in line.lower() for word in ("glucosamine", "cayenne", "vitamin c"))
        for use in condition.treatments:
            if use.treatment in weak:
                assert use.evidence.value in ("unsupported", "contradicted"), condition.id


def test_nsaids_are_warned_against_where_a_stress_fracture_is_possible(kb) -> None:  # type: ignore[no-untyped-def]
    for cid in ("femoral_neck_stress_fracture", "pelvic_bone_stress_injury"):
        [use] = [u for u in kb.conditions[cid].treatments if u.treatment == "nsaids"]
        assert use.note and "avoid" in use.note.lower()


def test_reference_red_flags_are_all_present_with_their_triage(kb) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "RF1": "emergency", "RF2": "emergency", "RF3": "emergency", "RF4": "emergency",
        "RF5": "emergency", "RF6": "emergency", "RF7": "emergency", "RF8": "emergency",
        "RF9": "urgent", "RF10": "urgent", "RF11": "urgent", "RF12": "urgent",
        "RF13": "urgent", "RF14": "emergency", "RF15": "urgent", "RF16": "urgent",
        "RF17": "urgent", "RF18": "urgent", "RF19": "emergency",
        "RF20": "emergency",  # the vascular mimic of reference section 4
    }
    actual = {rid: f.triage.value for rid, f in kb.red_flags.items() if rid.startswith("RF")}
    assert actual == expected


def test_must_not_miss_conditions_never_default_to_self_care(kb) -> None:  # type: ignore[no-untyped-def]
    serious = ["femoral_neck_stress_fracture", "pelvic_bone_stress_injury", "avascular_necrosis",
               "cauda_equina_syndrome", "septic_arthritis", "hip_fracture", "bone_malignancy",
               "scfe", "apophyseal_avulsion", "testicular_torsion", "gynae_emergency",
               "appendicitis"]
    for cid in serious:
        assert kb.conditions[cid].default_triage.value in ("urgent", "emergency"), cid
        assert not kb.conditions[cid].self_care or cid in ("femoral_neck_stress_fracture",
                                                           "pelvic_bone_stress_injury",
                                                           "avascular_necrosis")


def test_every_question_has_its_reason(kb) -> None:  # type: ignore[no-untyped-def]
    for finding in kb.findings.values():
        if finding.question:
            assert finding.why, finding.id


def test_synonyms_do_not_point_to_two_findings(kb) -> None:  # type: ignore[no-untyped-def]
    owner: dict = {}
    for finding in kb.findings.values():
        for synonym in finding.synonyms:
            assert owner.setdefault(synonym, finding.id) == finding.id, (
                f"'{synonym}' is a synonym of both {owner[synonym]} and {finding.id}")
