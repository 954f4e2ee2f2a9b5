"""NLU regression check: the trained model must meet the targets on the held-out set."""

from __future__ import annotations

import pytest

from hipguide_tools.eval_nlu import failures, load_heldout, parse_line, score

pytestmark = pytest.mark.servers  # needs the trained model


def test_heldout_set_is_large_and_never_trained_on() -> None:
    from pathlib import Path

    import yaml

    examples = load_heldout()
    assert len(examples) >= 250
    trained = set()
    for path in Path("data/nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" in block:
                trained |= {line[2:].strip().lower() for line in block["examples"].splitlines()
                            if line.strip().startswith("- ")}
    overlap = [e.text for e in examples if e.text.lower() in trained]
    assert overlap == [], f"held-out messages found in the training data: {overlap}"


def test_parse_line_reads_roles_and_offsets() -> None:
    example = parse_line("describe_symptoms | no [fever](symptom:fever:negated) but [groin](body_location:groin) pain")
    assert example is not None
    assert example.text == "no fever but groin pain"
    fever, groin = example.entities
    assert (fever.start, fever.end, fever.value, fever.role) == (3, 8, "fever", "negated")
    assert example.text[groin.start:groin.end] == "groin" and groin.role is None


def test_the_trained_model_meets_the_nlu_targets() -> None:
    from hipguide_tools.eval_nlu import evaluate
    from hipguide_tools.train import train

    result = evaluate(train())
    assert failures(result) == [], failures(result)


def test_score_detects_a_lost_red_flag() -> None:
    [example] = [parse_line("describe_symptoms | [numb when I wipe](symptom:saddle_numbness)")]
    assert example is not None
    prediction = {"intent": {"name": "describe_symptoms"},
                  "entities": [{"entity": "symptom", "value": "saddle_numbness", "role": "negated",
                                "start": 0, "end": 17}]}
    result = score([example], [prediction], {"saddle_numbness"})
    assert result["negation_role_accuracy"] == 0.0
    assert len(result["red_flag_findings_lost_to_negation"]) == 1


def test_a_multi_intent_is_right_only_when_it_holds_the_gold_intent() -> None:
    examples = [parse_line("ask_treatment | is ice any good for my groin?"),
                parse_line("greet | hello there")]
    predictions = [{"intent": {"name": "describe_symptoms+ask_treatment"}, "entities": []},
                   {"intent": {"name": "describe_symptoms+ask_treatment"}, "entities": []}]
    result = score([e for e in examples if e], predictions, set())
    assert result["intent_accuracy"] == 0.5
    assert result["intent_errors"] == ["'hello there': greet -> describe_symptoms+ask_treatment"]


def test_the_lay_language_sets_are_large_sourced_and_never_trained_on() -> None:
    """Issue 17: >= 300 messages from real public posts (each group with its source address)
    and >= 100 lay red-flag phrasings (>= 5 per red flag), none of them in the training data."""
    from collections import Counter
    from pathlib import Path

    import yaml

    from hipguide.knowledge.loader import load_knowledge
    from hipguide_tools.eval_nlu import LAY_DIR, load_lay

    sets = load_lay()
    assert len(sets["lay_real_posts"]) >= 300
    assert len(sets["lay_red_flags"]) >= 100
    per_flag = Counter(flag for flag, _ in sets["lay_red_flags"])
    known = set(load_knowledge().red_flags)
    assert set(per_flag) <= known and all(per_flag[flag] >= 5 for flag in per_flag), per_flag
    sources = [line for line in (LAY_DIR / "lay_real_posts.txt").read_text().splitlines()
               if line.startswith("# source: http")]
    assert len(sources) >= 50
    trained = set()
    for path in Path("data/nlu").glob("**/*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            if "examples" in block:
                trained |= {line[2:].strip().lower() for line in block["examples"].splitlines()
                            if line.strip().startswith("- ")}
    overlap = [e.text for rows in sets.values() for _, e in rows if e.text.lower() in trained]
    assert overlap == [], f"lay test messages found in the training data: {overlap[:5]}"
