"""The recorded test conversations replay without a single wrong prediction."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from hipguide.tools.servers import rasa_executable
from hipguide.tools.train import train

pytestmark = pytest.mark.servers
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_there_are_at_least_forty_test_conversations() -> None:
    stories = yaml.safe_load((PROJECT_ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    assert len(stories) >= 40
    assert all(any("user" in step for step in s["steps"]) for s in stories)


def test_rasa_test_fail_on_prediction_errors(tmp_path: Path) -> None:
    completed = subprocess.run(
        [rasa_executable(), "test", "--stories", "tests/test_stories.yml", "--fail-on-prediction-errors",
         "--model", str(train()), "--out", str(tmp_path / "results")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
