"""The recorded test conversations replay without a single wrong prediction."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipguide_tools.replay_stories import replay
from hipguide_tools.train import train

pytestmark = pytest.mark.servers
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_there_are_at_least_forty_test_conversations() -> None:
    stories = yaml.safe_load((PROJECT_ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    assert len(stories) >= 40
    assert all(any("user" in step for step in s["steps"]) for s in stories)


def test_rasa_test_fail_on_prediction_errors(tmp_path: Path) -> None:
    """tests/test_stories.yml and every reviewed conversation in review/stories/."""
    completed = replay(train(), tmp_path / "results")
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
