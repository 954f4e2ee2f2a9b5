"""make train: what changed, what retrains, and the progress lines drawn from Rasa's output."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hipguide_tools.train import Progress, changes, file_hashes, manifest_path, previous_manifest, what_retrains


def test_changes_lists_added_removed_and_changed_files() -> None:
    old = {"config.yml": "a", "data/nlu/x.yml": "b", "data/rules/r.yml": "c"}
    new = {"config.yml": "a", "data/nlu/x.yml": "B", "data/stories/s.yml": "d"}
    assert changes(old, new) == ["added:   data/stories/s.yml", "removed: data/rules/r.yml",
                                 "changed: data/nlu/x.yml"]
    assert changes(new, new) == []


def test_what_retrains_names_the_part_of_the_model() -> None:
    assert "intent classifier" in what_retrains(["changed: data/nlu/conversation.yml"])
    assert "dialogue policies" in what_retrains(["added:   data/stories/new.yml"])
    assert "depend on them" in what_retrains(["changed: domain.yml", "changed: data/nlu/a.yml"])


def test_previous_manifest_is_the_newest_one_with_its_model(tmp_path: Path) -> None:
    (tmp_path / "cfg.yml").write_text("x")
    hashes = file_hashes([tmp_path / "cfg.yml"], tmp_path)
    orphan = tmp_path / "hipguide-0000.tar.gz"
    manifest_path(orphan).write_text(json.dumps({"gone": "1"}))  # its model was deleted
    kept = tmp_path / "hipguide-1111.tar.gz"
    kept.write_bytes(b"model")
    manifest_path(kept).write_text(json.dumps(hashes))
    current = tmp_path / "hipguide-2222.tar.gz"
    assert previous_manifest(tmp_path, current) == (kept, hashes)


def test_progress_reports_components_and_epoch_quarters() -> None:
    out = io.StringIO()
    progress = Progress(out)
    lines = ["2026-11-29 INFO rasa.engine.training.hooks - Starting to train component 'DIETClassifier'.",
             *[f"Epochs:  {p}%|##| {e}/60 [00:01<00:10, 1.2it/s, t_loss=1.5]"
               for p, e in ((10, 6), (26, 16), (30, 18), (51, 31), (76, 46), (100, 60))],
             "2026-11-29 INFO rasa.engine.training.hooks - Finished training component 'DIETClassifier'.",
             "/x/entityruler.py:390: UserWarning: [W036] The component 'entity_ruler' does not have any patterns"]
    for line in lines:
        progress.feed(line)
    shown = out.getvalue().splitlines()
    assert shown[0] == "  training DIETClassifier ..."
    assert shown[1:4] == ["    DIETClassifier: epoch 16/60", "    DIETClassifier: epoch 31/60",
                          "    DIETClassifier: epoch 46/60"]
    assert shown[4].startswith("  trained  DIETClassifier in ")
    assert len(shown) == 5 and progress.trained == ["DIETClassifier"]
