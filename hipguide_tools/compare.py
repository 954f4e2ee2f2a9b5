"""``make compare [BASE=HEAD]``: held-out NLU and dialogue figures before and after a change.

"After" is the working tree (your uncommitted change); "before" is the git revision BASE
(default HEAD, the last commit). The before-project is exported with ``git archive`` into
var/compare/<commit>/, gets its own knowledge database and spaCy pipeline, and its model is
reused from models/ when one exists for its data (otherwise trained with the shared Rasa
cache). Both models are measured with the *current* held-out messages (tests/nlu) and
simulated patients (tests/dialogue/cases.yml), so the figures are comparable. Nothing in
docs/benchmarks.md is rewritten.

A change that lowers red-flag sensitivity, raises under-triage or loses a red-flag finding
to negation is marked MUST NOT MERGE, whatever else improved.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from hipguide.paths import PROJECT_ROOT
from hipguide_tools.servers import project_environment

COMPARE_DIR = PROJECT_ROOT / "var" / "compare"

# (label, key, higher is better, format)
NLU_FIGURES = [("intent accuracy", "intent_accuracy", True, "{:.3f}"),
               ("intent macro-F1", "intent_macro_f1", True, "{:.3f}"),
               ("negation role accuracy", "negation_role_accuracy", True, "{:.3f}"),
               ("red-flag findings lost to negation", "red_flags_lost", False, "{:.0f}")]
DIALOGUE_FIGURES = [("top-1 cause", "top1", True, "{:.3f}"), ("top-3 cause", "top3", True, "{:.3f}"),
                    ("triage accuracy", "triage_accuracy", True, "{:.3f}"),
                    ("red-flag sensitivity", "red_flag_sensitivity", True, "{:.3f}"),
                    ("over-triage rate", "over_triage", False, "{:.3f}"),
                    ("under-triage rate", "under_triage", False, "{:.3f}"),
                    ("mean follow-up questions", "mean_questions", False, "{:.2f}")]
SAFETY = {"red_flags_lost", "red_flag_sensitivity", "under_triage"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True).stdout.strip()


def step(title: str, command: List[str], cwd: Path, code: Path, log: Path, ok: Tuple[int, ...] = (0,)) -> None:
    """Run one step quietly (its output goes to ``log``); stop with the log's tail on failure.
    The evaluations exit 1 when a figure is below its target, which is a result, not a failure."""
    print(f"  {title} ...", flush=True)
    with log.open("a") as out:
        completed = subprocess.run(command, cwd=cwd, env=project_environment(code), stdout=out,
                                   stderr=subprocess.STDOUT)
    if completed.returncode not in ok:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(f"{title} failed (exit {completed.returncode}); the end of {log}:\n{tail}")


def export_base(commit: str) -> Path:
    """The project at ``commit`` in var/compare/<commit>/ (reused when already complete)."""
    folder = COMPARE_DIR / commit[:12]
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=PROJECT_ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder)  # our own repository's archive
    (folder / ".complete").touch()
    return folder


def prepare_base(folder: Path, log: Path) -> Path:
    """Knowledge database, spaCy pipeline and a model for the before-project."""
    python = sys.executable
    step("before: condition database", [python, "-m", "hipguide.knowledge.build"], folder, folder, log)
    step("before: spaCy pipeline", [python, "-m", "hipguide.language.build_spacy"], folder, folder, log)
    train = _tools_of(folder, "train")
    model_name = Path(subprocess.run([python, "-m", train, "--print-path"], cwd=folder,
                                     env=project_environment(folder), check=True, capture_output=True,
                                     text=True).stdout.strip()).name
    shared = PROJECT_ROOT / "models" / model_name
    target = folder / "models" / model_name
    target.parent.mkdir(exist_ok=True)
    if shared.exists():
        print(f"  before: model {model_name} reused from models/", flush=True)
        shutil.copy(shared, target)
    else:
        os.environ.setdefault("RASA_CACHE_DIRECTORY", str(PROJECT_ROOT / ".rasa" / "cache"))
        step("before: training (only what differs from the cache)", [python, "-m", train],
             folder, folder, log)
        shutil.copy(target, shared)  # the next comparison against this revision reuses it
    return target


def _tools_of(folder: Path, module: str) -> str:
    """The before-project's own tool module: ``hipguide_tools.<module>``, or where it was
    before the tools moved out of the product (``hipguide.tools.<module>``). Without this,
    ``-m hipguide_tools.train`` in an older project falls through to the installed (current)
    package and reads the current project's data."""
    return f"hipguide_tools.{module}" if (folder / "hipguide_tools").is_dir() else f"hipguide.tools.{module}"


def current_code(module: str) -> List[str]:
    """``python -m module`` with this checkout's code first on sys.path, whatever the working
    folder (``-m`` would put the folder, i.e. the before-project, first)."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
            f"from {module} import main; sys.exit(main())"]


def measure(label: str, model: Path, cwd: Path, project: Path | None, out: Path, log: Path,
            dialogue: bool) -> Dict[str, Any]:
    """Run the current evaluation code on ``model`` (servers from ``project`` when given)."""
    nlu_json, dialogue_json = out / f"{label}-nlu.json", out / f"{label}-dialogue.json"
    step(f"{label}: NLU on the held-out messages",
         [*current_code("hipguide_tools.eval_nlu"), "--model", str(model), "--no-record", "--json", str(nlu_json)],
         cwd, PROJECT_ROOT, log, ok=(0, 1))
    result: Dict[str, Any] = json.loads(nlu_json.read_text())
    result["red_flags_lost"] = len(result.get("red_flag_findings_lost_to_negation") or [])
    if dialogue:
        command = [*current_code("hipguide_tools.eval_dialogue"), "--model", str(model), "--no-record",
                   "--json", str(dialogue_json)]
        if project is not None:
            command += ["--project-dir", str(project)]
        step(f"{label}: simulated patients through the servers", command, PROJECT_ROOT, PROJECT_ROOT, log, ok=(0, 1))
        result.update(json.loads(dialogue_json.read_text()))
    return result


UNSAFE = "WORSE: MUST NOT MERGE"


def verdict(key: str, higher_better: bool, before: float, after: float) -> str:
    if abs(after - before) < 1e-9:
        return "same"
    better = (after > before) == higher_better
    if not better and key in SAFETY:
        return UNSAFE
    return "better" if better else "worse"


def rows(before: Dict[str, Any], after: Dict[str, Any],
         figures: List[Tuple[str, str, bool, str]]) -> List[Tuple[str, str, str, str]]:
    """(label, before, after, verdict) for each figure both sides measured."""
    return [(label, fmt.format(float(before[key])), fmt.format(float(after[key])),
             verdict(key, higher, float(before[key]), float(after[key])))
            for label, key, higher, fmt in figures if key in before and key in after]


def table(measured: List[Tuple[str, str, str, str]]) -> List[str]:
    lines = [f"{'figure':<36}{'before':>10}{'after':>10}   change", "-" * 72]
    return lines + [f"{label:<36}{b:>10}{a:>10}   {change}" for label, b, a, change in measured]


def differences(before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    old = {e["text"]: e for e in before.get("intent_error_items", [])}
    new = {e["text"]: e for e in after.get("intent_error_items", [])}
    lines = [f"  now right: {text!r} ({e['expected']})" for text, e in sorted(old.items()) if text not in new]
    lines += [f"  now wrong: {text!r} (expected {e['expected']}, got {e['predicted']})"
              for text, e in sorted(new.items()) if text not in old]
    lines += [f"  still wrong, differently: {text!r} (expected {e['expected']}, got {old[text]['predicted']} "
              f"then {e['predicted']})" for text, e in sorted(new.items())
              if text in old and old[text]["predicted"] != e["predicted"]]
    old_cases = set(before.get("cases_not_fully_right", []))
    new_cases = set(after.get("cases_not_fully_right", []))
    lines += [f"  patient case now right: {c}" for c in sorted(old_cases - new_cases)]
    lines += [f"  patient case now wrong: {c}" for c in sorted(new_cases - old_cases)]
    return lines


def report(base: str, before: Dict[str, Any], after: Dict[str, Any]) -> Tuple[str, bool]:
    nlu, dialogue = rows(before, after, NLU_FIGURES), rows(before, after, DIALOGUE_FIGURES)
    lines = [f"Before: {base}   After: your working tree", "", "Held-out NLU (tests/nlu)", *table(nlu)]
    if "top1" in after:
        lines += ["", "Simulated patients (tests/dialogue/cases.yml)", *table(dialogue)]
    changed = differences(before, after)
    lines += ["", "What changed:" if changed else "No held-out message or patient case changed its result."]
    lines += changed
    unsafe = any(change == UNSAFE for *_, change in nlu + dialogue)
    if unsafe:
        lines += ["", "A safety figure got worse: this change must not be merged as it is."]
    return "\n".join(lines), unsafe


def main(argv: List[str] | None = None) -> int:
    from hipguide_tools.train import train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare against (default HEAD)")
    parser.add_argument("--nlu-only", action="store_true", help="skip the simulated patients (about 3 minutes)")
    args = parser.parse_args(argv)
    try:
        commit = git("rev-parse", "--verify", f"{args.base}^{{commit}}")
    except subprocess.CalledProcessError:
        print(f"error: '{args.base}' is not a git revision here (try HEAD, HEAD~1 or a commit id)", file=sys.stderr)
        return 2
    started = time.monotonic()
    out = COMPARE_DIR / "results"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "compare.log"
    log.write_text("")
    base_label = f"{args.base} ({commit[:10]})"
    print(f"comparing {base_label} with the working tree (details in {log.relative_to(PROJECT_ROOT)})", flush=True)
    try:
        folder = export_base(commit)
        base_model = prepare_base(folder, log)
        print("  after: model of the working tree", flush=True)
        current_model = train()
        before = measure("before", base_model, folder, folder, out, log, not args.nlu_only)
        after = measure("after", current_model, PROJECT_ROOT, None, out, log, not args.nlu_only)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    text, unsafe = report(base_label, before, after)
    print("\n" + text)
    print(f"\n(compared in {time.monotonic() - started:.0f} s)")
    return 3 if unsafe else 0


if __name__ == "__main__":
    sys.exit(main())
