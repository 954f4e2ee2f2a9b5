"""Turn a stored conversation into a test story or into NLU examples for trainers to correct.

Files are written to ``review/`` (``review/stories/``, ``review/nlu/``), which `make validate`
checks and `make test` replays. Sender ids are never written: a conversation is named by a
short hash of its id, because ids can be phone numbers or platform account ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence

import yaml

from hipguide.paths import PROJECT_ROOT
from hipguide_rasa.review.store import conversation_label
from hipguide_rasa.review.summary import Review, entity_text

REVIEW_DIR = PROJECT_ROOT / "review"


def file_stem(item: Review) -> str:
    return f"{item.started:%Y%m%d}-{conversation_label(item.sender_id)}"


def sessions(events: Sequence[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """Split at each ``action_session_start``; sessions without a user message are dropped."""
    split: List[List[Dict[str, Any]]] = [[]]
    for event in events:
        if event.get("event") == "action" and event.get("name") == "action_session_start" and split[-1]:
            split.append([])
        split[-1].append(event)
    return [part for part in split if any(e.get("event") == "user" for e in part)]


def story_yaml(item: Review, events: Sequence[Dict[str, Any]], domain_path: Path) -> str:
    """The conversation as Rasa test stories (one per session), with the user's words, the
    predicted intents and entities, and every action and slot, as Rasa's own writer does for
    ``GET /conversations/<id>/story``."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter

    domain = Domain.load(str(domain_path))
    label = file_stem(item)
    stories: List[Dict[str, Any]] = []
    for number, part in enumerate(sessions(events), start=1):
        tracker = DialogueStateTracker.from_dict(label, list(part), domain.slots)
        exported = yaml.safe_load(tracker.export_stories(YAMLStoryWriter(), e2e=True)) or {}
        for story in exported.get("stories", []):
            story["story"] = f"review {label} session {number}"
            stories.append(story)
    header = (f"# Exported by `hipguide-review story` from a conversation of {item.started:%Y-%m-%d}\n"
              f"# (flags: {', '.join(item.flags()) or 'none'}).\n"
              "# Check every step. Where HipGuide was wrong, correct the intent or the action to what it\n"
              "# should have done, remove anything that identifies the person, and run\n"
              "# `make validate` and `make test-stories`; `make test` replays this file from now on.\n")
    return header + yaml.safe_dump({"version": "3.1", "stories": stories}, sort_keys=False,
                                   allow_unicode=True, width=100)


def nlu_yaml(item: Review) -> str:
    """The person's typed messages (not button presses) under the intent HipGuide predicted,
    with the confidence and the entities it found as metadata, for a trainer to correct."""
    by_intent: Dict[str, List[Dict[str, Any]]] = {}
    for turn in item.turns:
        text = turn.text.strip()
        if not text or not turn.typed or not turn.intent:
            continue
        metadata: Dict[str, Any] = {"predicted_confidence": round(turn.confidence or 0.0, 3),
                                    "conversation": conversation_label(item.sender_id)}
        if turn.entities:
            metadata["predicted_entities"] = [entity_text(e) for e in turn.entities]
        by_intent.setdefault(turn.intent, []).append({"text": text, "metadata": metadata})
    nlu = [{"intent": intent, "examples": examples} for intent, examples in sorted(by_intent.items())]
    header = (f"# Exported by `hipguide-review nlu` from a conversation of {item.started:%Y-%m-%d}: each\n"
              "# message under the intent HipGuide predicted. Move a message to the intent it should have\n"
              "# had (an 'nlu_fallback' message belongs under a real intent or out_of_scope), delete what\n"
              "# is not useful or identifies someone, then `make validate`. To train on them, move them\n"
              "# into data/nlu/ (see docs/trainers.md).\n")
    return header + yaml.safe_dump({"version": "3.1", "nlu": nlu}, sort_keys=False, allow_unicode=True, width=100)


def write_export(kind: str, item: Review, events: Sequence[Dict[str, Any]], out: Path | None = None) -> Path:
    """Write ``kind`` ("story" or "nlu") into ``out`` (default review/stories or review/nlu).
    FileExistsError when the file is there already: a trainer may have edited it."""
    folder = out or REVIEW_DIR / ("stories" if kind == "story" else "nlu")
    path = folder / f"{file_stem(item)}.yml"
    if path.exists():
        raise FileExistsError(shown(path))
    text = story_yaml(item, events, PROJECT_ROOT / "domain.yml") if kind == "story" else nlu_yaml(item)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shown(path: Path) -> str:
    """``path`` relative to the project when it is inside it."""
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
