"""make compare: the side-by-side report and its safety verdicts."""

from __future__ import annotations

from hipguide_tools.compare import differences, report, verdict

BEFORE = {"intent_accuracy": 0.95, "intent_macro_f1": 0.94, "negation_role_accuracy": 1.0, "red_flags_lost": 0,
          "top1": 0.95, "top3": 1.0, "triage_accuracy": 0.975, "red_flag_sensitivity": 1.0, "over_triage": 0.0,
          "under_triage": 0.025, "mean_questions": 3.4,
          "intent_error_items": [{"text": "a", "expected": "greet", "predicted": "thank"},
                                 {"text": "b", "expected": "deny", "predicted": "affirm"}],
          "cases_not_fully_right": ["adductor"]}


def test_verdicts_know_which_way_is_better_and_which_figures_are_safety() -> None:
    assert verdict("intent_accuracy", True, 0.95, 0.96) == "better"
    assert verdict("over_triage", False, 0.1, 0.2) == "worse"
    assert verdict("under_triage", False, 0.025, 0.05) == "WORSE: MUST NOT MERGE"
    assert verdict("red_flag_sensitivity", True, 1.0, 0.94) == "WORSE: MUST NOT MERGE"
    assert verdict("red_flags_lost", False, 0, 1) == "WORSE: MUST NOT MERGE"
    assert verdict("top1", True, 0.9, 0.9) == "same"


def test_report_puts_figures_side_by_side_and_flags_unsafe_changes() -> None:
    after = {**BEFORE, "intent_accuracy": 0.96, "red_flag_sensitivity": 0.944}
    text, unsafe = report("HEAD (abc)", BEFORE, after)
    assert unsafe
    row = next(line for line in text.splitlines() if line.startswith("intent accuracy"))
    assert row.split()[-3:] == ["0.950", "0.960", "better"]
    assert "red-flag sensitivity                     1.000     0.944   WORSE: MUST NOT MERGE" in text
    assert "must not be merged" in text
    _, unsafe = report("HEAD", BEFORE, {**BEFORE, "intent_accuracy": 0.9})
    assert not unsafe


def test_differences_name_the_messages_and_cases_that_changed() -> None:
    after = {**BEFORE, "intent_error_items": [{"text": "b", "expected": "deny", "predicted": "unsure"},
                                              {"text": "c", "expected": "thank", "predicted": "goodbye"}],
             "cases_not_fully_right": ["itbs"]}
    assert differences(BEFORE, after) == [
        "  now right: 'a' (greet)",
        "  now wrong: 'c' (expected thank, got goodbye)",
        "  still wrong, differently: 'b' (expected deny, got affirm then unsure)",
        "  patient case now right: adductor",
        "  patient case now wrong: itbs",
    ]
    assert differences(BEFORE, BEFORE) == []


def test_an_older_project_is_trained_with_its_own_tools(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A before-project from before the tools left the product package must not reach the
    installed hipguide_tools (it would read the current project's data and reuse its model)."""
    from hipguide_tools.compare import _tools_of

    assert _tools_of(tmp_path, "train") == "hipguide.tools.train"
    (tmp_path / "hipguide_tools").mkdir()
    assert _tools_of(tmp_path, "train") == "hipguide_tools.train"
