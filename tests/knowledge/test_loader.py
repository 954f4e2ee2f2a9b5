"""The loader validates every field and names file, entry and field in its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipguide.knowledge.loader import KnowledgeError, load_knowledge


def _edit(path: Path, key: str, entry_id: str, **changes: object) -> None:
    data = yaml.safe_load(path.read_text())
    for entry in data[key]:
        if entry["id"] == entry_id:
            for field, value in changes.items():
                if value is None:
                    entry.pop(field, None)
                else:
                    entry[field] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_real_knowledge_loads(kb) -> None:  # type: ignore[no-untyped-def]
    contract = yaml.safe_load((Path(__file__).resolve().parents[2] / "spec" / "contract.yml").read_text())
    ranked = {*contract["conditions"], *contract["mimics"]}  # beliefs are answered, never ranked
    assert set(kb.conditions) == ranked | set(contract["beliefs"])
    assert {c.kind.value for c in kb.conditions.values()} == {"condition", "mimic", "belief"}
    assert {c.id for c in kb.ranked_conditions()} == ranked


def test_bad_evidence_status_names_file_entry_and_field(knowledge_copy: Path) -> None:
    _edit(knowledge_copy / "treatments.yml", "treatments", "glucosamine", evidence="miracle")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    [problem] = caught.value.problems
    assert problem.file.endswith("treatments.yml")
    assert problem.entry == "glucosamine"
    assert problem.field == "evidence"
    assert "treatments.yml: entry 'glucosamine', field 'evidence'" in str(caught.value)


def test_missing_required_field_is_reported(knowledge_copy: Path) -> None:
    _edit(knowledge_copy / "conditions" / "lateral_hip.yml", "conditions", "gtps",
          default_triage=None)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert [(p.entry, p.field) for p in caught.value.problems] == [("gtps", "default_triage")]


def test_unknown_finding_reference_is_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "red_flags.yml"
    _edit(path, "red_flags", "RF4", when=[["saddle_numbnes"]])
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    [problem] = caught.value.problems
    assert (problem.entry, problem.field) == ("RF4", "when.0")
    assert "unknown finding id 'saddle_numbnes'" in problem.message


def test_unknown_treatment_in_condition_is_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "conditions" / "groin_front.yml"
    data = yaml.safe_load(path.read_text())
    data["conditions"][0]["treatments"].append({"treatment": "unicorn_dust", "evidence": "strong"})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    [problem] = caught.value.problems
    assert problem.entry == "hip_oa"
    assert problem.field.startswith("treatments.") and "unicorn_dust" in problem.message


def test_duplicate_ids_across_files_are_reported(knowledge_copy: Path) -> None:
    source = yaml.safe_load((knowledge_copy / "conditions" / "lateral_hip.yml").read_text())
    (knowledge_copy / "conditions" / "zz_copy.yml").write_text(
        yaml.safe_dump({"conditions": [source["conditions"][0]]}, sort_keys=False))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    [problem] = caught.value.problems
    assert problem.file.endswith("zz_copy.yml") and problem.field == "id"
    assert "duplicate id" in problem.message and "lateral_hip.yml" in problem.message


def test_invalid_yaml_names_the_file(knowledge_copy: Path) -> None:
    (knowledge_copy / "seed_claims.yml").write_text("seed_claims: [unclosed\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert caught.value.problems[0].file.endswith("seed_claims.yml")
    assert "not valid YAML" in caught.value.problems[0].message


def test_every_problem_is_reported_at_once(knowledge_copy: Path) -> None:
    _edit(knowledge_copy / "treatments.yml", "treatments", "ice", evidence="great")
    _edit(knowledge_copy / "findings.yml", "findings", "groin", type="place")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert {(p.entry, p.field) for p in caught.value.problems} == {
        ("ice", "evidence"), ("groin", "type")}


def test_a_belief_cannot_have_a_prior(knowledge_copy: Path) -> None:
    _edit(knowledge_copy / "conditions" / "beliefs.yml", "conditions", "pelvic_misalignment",
          prior=0.1)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert [(p.entry, p.field) for p in caught.value.problems] == [("pelvic_misalignment", "prior")]
