"""`make validate`'s check of test stories and review files names file, entry and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hipguide_tools.review_check import check, personal_data

PROJECT_ROOT = Path(__file__).resolve().parents[2]

GOOD_STORY = """version: "3.1"
stories:
- story: review greeting
  steps:
  - user: hello there
    intent: greet
  - action: utter_greet
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the parts of the project the check reads, with an empty review folder."""
    shutil.copy(PROJECT_ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", tmp_path / "data" / "nlu")
    (tmp_path / "tests").mkdir()
    shutil.copytree(PROJECT_ROOT / "tests" / "nlu", tmp_path / "tests" / "nlu")
    (tmp_path / "tests" / "test_stories.yml").write_text(GOOD_STORY)
    (tmp_path / "review" / "stories").mkdir(parents=True)
    (tmp_path / "review" / "nlu").mkdir()
    return tmp_path


def messages(root: Path) -> list:
    problems, _, _ = check(root)
    return [str(p) for p in problems]


def test_the_projects_own_stories_and_review_files_pass() -> None:
    problems, stories, _ = check(PROJECT_ROOT)
    assert problems == [] and stories >= 40


def test_a_good_reviewed_story_and_nlu_file_pass(project: Path) -> None:
    (project / "review" / "stories" / "a.yml").write_text(GOOD_STORY.replace("review greeting", "another"))
    (project / "review" / "nlu" / "a.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: describe_symptoms\n  examples:\n'
        "  - text: my hip clicks when I climb the stairs at work\n    metadata: {predicted_confidence: 0.41}\n")
    problems, stories, examples = check(project)
    assert problems == [] and (stories, examples) == (2, 1)


def test_unknown_names_in_a_story_are_named_with_file_story_and_step(project: Path) -> None:
    (project / "review" / "stories" / "bad.yml").write_text(
        GOOD_STORY.replace("review greeting", "bad one").replace("utter_greet", "utter_hello")
        .replace("intent: greet", "intent: salute") + "  - slot_was_set:\n    - mood: happy\n")
    found = messages(project)
    assert "review/stories/bad.yml: story 'bad one', step 1: intent 'salute' is not in domain.yml" in found[0]
    assert any("step 2: action 'utter_hello' is not in domain.yml" in m for m in found)
    assert any("step 3: slot 'mood' is not in domain.yml" in m for m in found)


def test_duplicate_story_names_and_broken_yaml(project: Path) -> None:
    (project / "review" / "stories" / "dup.yml").write_text(GOOD_STORY)
    (project / "review" / "stories" / "broken.yml").write_text("stories:\n- story: x\n  steps: [\n")
    found = messages(project)
    assert any("dup.yml: story 'review greeting': the name is used twice" in m for m in found)
    assert any("broken.yml: line" in m and "not valid YAML" in m for m in found)


def test_personal_data_in_a_story_is_refused(project: Path) -> None:
    (project / "review" / "stories" / "p.yml").write_text(
        GOOD_STORY.replace("review greeting", "p").replace("hello there", "hello call me on 07700 900123"))
    assert any("p.yml: story 'p', step 1: the message contains what looks like a phone number" in m
               for m in messages(project))


def test_nlu_review_needs_real_intents_and_no_conflicts_or_heldout_copies(project: Path) -> None:
    (project / "review" / "nlu" / "n.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: nlu_fallback\n  examples: |\n    - my hips are on fire\n'
        "- intent: goodbye\n  examples: |\n    - hello\n    - hiya there\n")
    found = messages(project)
    assert any("n.yml: example 'my hips are on fire': intent 'nlu_fallback' is not one of domain.yml's intents"
               in m for m in found)
    assert any("example 'hello': is under 'goodbye' here but under 'greet' in data/nlu" in m for m in found)
    assert any("example 'hiya there': is a held-out test message" in m for m in found)


def test_personal_data_detector() -> None:
    assert personal_data("mail me at jo@example.org") == "an e-mail address"
    assert personal_data("ring +44 7700 900123 please") == "what looks like a phone number"
    assert personal_data("it started 3 weeks ago, pain 7/10, I'm 45") is None
    assert personal_data("I ran 10000 steps") is None
