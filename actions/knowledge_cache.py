"""Lazy, cached access to the condition database for the action server.

The ranking model, red-flag rules and labels are read once per process (they change only
when `make db` rebuilds the database, after which the action server is restarted);
condition and treatment texts are read per request in a short session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List

from hipguide.knowledge.repository import (
    ConditionView,
    KnowledgeRepository,
    QuestionView,
    TreatmentView,
)
from hipguide.knowledge.session import session_scope
from hipguide.reasoning.questions import QuestionPolicy
from hipguide.reasoning.ranking import RankingModel
from hipguide.reasoning.triage import RedFlagRule


@dataclass(frozen=True)
class ReasoningData:
    model: RankingModel
    rules: List[RedFlagRule]
    labels: Dict[str, str]
    absent_labels: Dict[str, str]
    advice: Dict[str, str]  # red-flag id -> advice
    questions: Dict[str, QuestionView]  # finding id -> its yes/no question
    policy: QuestionPolicy

    @property
    def yes_means(self) -> Dict[str, str]:
        return {fid: q.yes_means for fid, q in self.questions.items()}

    @property
    def pain_questions(self) -> FrozenSet[str]:
        """Findings whose question asks whether something hurts ("Does it hurt to hop?")."""
        return frozenset(fid for fid, q in self.questions.items()
                         if re.search(r"\b(hurts?|pain\w*|worse|sore|ache\w*)\b", (q.question or "").lower()))


@lru_cache(maxsize=1)
def reasoning_data() -> ReasoningData:
    with session_scope() as session:
        repo = KnowledgeRepository(session)
        return ReasoningData(
            model=repo.ranking_model(),
            rules=repo.red_flag_rules(),
            labels=repo.labels(),
            absent_labels=repo.absent_labels(),
            advice={flag.id: flag.advice for flag in repo.red_flags()},
            questions=repo.questions(),
            policy=repo.question_policy(),
        )


def condition(condition_id: str) -> ConditionView | None:
    with session_scope() as session:
        return KnowledgeRepository(session).get_condition(condition_id)


def conditions(ids: List[str]) -> List[ConditionView]:
    with session_scope() as session:
        repo = KnowledgeRepository(session)
        found = [repo.get_condition(cid) for cid in ids]
    return [c for c in found if c is not None]


def treatment(treatment_id: str) -> TreatmentView | None:
    with session_scope() as session:
        return KnowledgeRepository(session).get_treatment(treatment_id)
