"""Red-flag rules straight from the knowledge files, without the condition database.

The Rasa server uses these when the action server or the database cannot be reached, so
that warning signs are still answered (``hipguide_rasa.offline_safety_answer``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

from hipguide.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from hipguide.reasoning.triage import RedFlagRule


@dataclass(frozen=True)
class OfflineRedFlags:
    rules: Tuple[RedFlagRule, ...]
    advice: Dict[str, str]


@lru_cache(maxsize=4)
def offline_red_flags(root: Path = DEFAULT_KNOWLEDGE_DIR) -> OfflineRedFlags:
    kb = load_knowledge(root)
    rules = tuple(
        RedFlagRule(id=spec.id, kind=spec.kind.value, triage=spec.triage.value,
                    conditions=tuple(sorted(spec.conditions)),
                    clauses=tuple(tuple(sorted(clause)) for clause in spec.when),
                    screen_when=tuple(sorted(spec.screen_when)))
        for spec in sorted(kb.red_flags.values(), key=lambda s: s.id)
    )
    return OfflineRedFlags(rules, {spec.id: spec.advice for spec in kb.red_flags.values()})
