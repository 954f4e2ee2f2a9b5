"""Generated NLU files are fresh, and a synonym added to the knowledge data reaches NLU."""

from __future__ import annotations

from pathlib import Path

import yaml

from hipguide.language import generate
from hipguide.language.build_spacy import build
from hipguide.language.vocabulary import spelling_variants


def test_generated_files_are_up_to_date() -> None:
    assert generate.main(["--check"]) == 0, "run `make generate` and commit the result"


def test_a_new_synonym_flows_into_lookups_and_spacy_patterns(knowledge_copy: Path,
                                                             tmp_path: Path) -> None:
    import spacy

    path = knowledge_copy / "findings.yml"
    data = yaml.safe_load(path.read_text())
    for finding in data["findings"]:
        if finding["id"] == "outer_hip":
            finding["synonyms"].append("trochanter zone")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert "    - trochanter zone" in generate.render_lookups(knowledge_copy).splitlines()
    output = tmp_path / "spacy"
    assert build(output, knowledge_copy) is True
    assert build(output, knowledge_copy) is False  # unchanged inputs: not rebuilt
    nlp = spacy.load(output)
    doc = nlp("it is in the trochanter zone")
    assert [(e.label_, e.ent_id_) for e in doc.ents] == [("body_location", "outer_hip")]


def test_spelling_variants() -> None:
    assert "can't bear weight" in spelling_variants("cant bear weight")
    assert "cannot bear weight" in spelling_variants("cant bear weight")
    assert "flu like" in spelling_variants("flu-like")
