"""make validate's Rasa step catches two stories that disagree after the same history."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hipguide_tools.servers import project_environment
from hipguide_tools.validate import max_history, steps

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFLICT = """version: "3.1"
stories:
- story: greeting answered with a greeting
  steps:
  - intent: greet
  - action: utter_greet
- story: greeting answered with a goodbye
  steps:
  - intent: greet
  - action: utter_goodbye
"""


def test_max_history_comes_from_the_policies() -> None:
    assert max_history() == 5
    names = [name for name, _ in steps()]
    assert names == ["knowledge files", "generated NLU files are fresh", "Rasa data, domain and story structure",
                     "test stories and review files"]
    assert "--max-history" in steps()[2][1] and "--fail-on-warnings" in steps()[2][1]


def test_conflicting_stories_fail_the_rasa_step(tmp_path: Path) -> None:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    command = steps()[2][1]
    env = project_environment()
    clean = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout[-2000:] + clean.stderr[-2000:]
    (tmp_path / "data" / "stories" / "conflict.yml").write_text(CONFLICT)
    broken = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0
    assert "greeting answered with a greeting" in output and "greeting answered with a goodbye" in output
