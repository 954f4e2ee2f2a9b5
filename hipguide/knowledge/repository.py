"""Typed read access to the condition database.

The repository takes a session (one per unit of work, owned by the caller) and returns
frozen views, so nothing lazy-loads after the session is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hipguide.knowledge import models as m
from hipguide.reasoning.questions import QuestionPolicy
from hipguide.reasoning.ranking import ConditionModel, RankingModel
from hipguide.reasoning.triage import RedFlagRule


@dataclass(frozen=True)
class TreatmentUseView:
    treatment_id: str
    name: str
    evidence: str
    statement: str
    note: str | None


@dataclass(frozen=True)
class ConditionView:
    id: str
    kind: str
    name: str
    lay_names: Tuple[str, ...]
    summary: str
    character: str
    onset: str
    default_triage: str
    when_to_seek_care: str
    self_care: Tuple[str, ...]
    professional_care: Tuple[str, ...]
    treatments: Tuple[TreatmentUseView, ...]
    sources: Tuple[str, ...]
    maps_to: Tuple[str, ...]


@dataclass(frozen=True)
class QuestionView:
    finding_id: str
    question: str
    why: str
    yes_means: str  # "present", or "absent" for questions asked the other way round


@dataclass(frozen=True)
class TreatmentView:
    id: str
    name: str
    evidence: str
    statement: str
    synonyms: Tuple[str, ...]


@dataclass(frozen=True)
class RedFlagView:
    id: str
    kind: str
    name: str
    triage: str
    advice: str
    conditions: Tuple[str, ...]


@dataclass(frozen=True)
class SeedClaimView:
    id: str
    claim: str
    verdict: str
    evidence: str
    conditions: Tuple[str, ...]
    treatments: Tuple[str, ...]


class KnowledgeRepository:
    """Query methods over one session."""

    def __init__(self, session: Session):
        self._session = session

    # --- conditions -------------------------------------------------------------------
    def get_condition(self, condition_id: str) -> ConditionView | None:
        views = self._conditions(m.Condition.id == condition_id)
        return views[0] if views else None

    def list_conditions(self, kind: str | None = None) -> List[ConditionView]:
        return self._conditions(m.Condition.kind == kind if kind else None)

    def _conditions(self, where: object) -> List[ConditionView]:
        query = select(m.Condition).options(
            selectinload(m.Condition.lay_names),
            selectinload(m.Condition.advice),
            selectinload(m.Condition.sources),
            selectinload(m.Condition.treatment_links).selectinload(m.ConditionTreatment.treatment),
        ).order_by(m.Condition.id)
        if where is not None:
            query = query.where(where)
        conditions = self._session.execute(query).scalars().all()
        mappings: Dict[str, List[str]] = {}
        for row in self._session.execute(select(m.ConditionMapping)).scalars():
            mappings.setdefault(row.from_id, []).append(row.to_id)
        return [
            ConditionView(
                id=c.id, kind=c.kind, name=c.name,
                lay_names=tuple(n.name for n in c.lay_names),
                summary=c.summary, character=c.character, onset=c.onset,
                default_triage=c.default_triage, when_to_seek_care=c.when_to_seek_care,
                self_care=tuple(a.text for a in c.advice if a.kind == "self_care"),
                professional_care=tuple(a.text for a in c.advice if a.kind == "professional"),
                treatments=tuple(
                    TreatmentUseView(
                        treatment_id=link.treatment_id, name=link.treatment.name,
                        evidence=link.evidence, statement=link.treatment.statement,
                        note=link.note,
                    )
                    for link in c.treatment_links
                ),
                sources=tuple(s.citation for s in c.sources),
                maps_to=tuple(sorted(mappings.get(c.id, []))),
            )
            for c in conditions
        ]

    # --- findings and treatments ------------------------------------------------------
    def questions(self) -> Dict[str, QuestionView]:
        """Every finding that has a yes/no question, by finding id."""
        rows = self._session.execute(
            select(m.Finding).where(m.Finding.question.isnot(None)).order_by(m.Finding.id)
        ).scalars()
        return {f.id: QuestionView(f.id, f.question, f.why or "", f.yes_means) for f in rows}

    def question_policy(self) -> QuestionPolicy:
        settings = dict(self._session.execute(select(m.Setting.key, m.Setting.value)).all())
        return QuestionPolicy(
            stop_confidence=float(settings["questions.stop_confidence"]),
            min_gain_bits=float(settings["questions.min_gain_bits"]),
            max_questions=int(settings["questions.max_questions"]),
            max_screening=int(settings["questions.max_screening"]),
            base_log_odds=float(settings["questions.base_log_odds"]),
        )

    def labels(self) -> Dict[str, str]:
        """Finding id -> label, for explanations."""
        return dict(self._session.execute(select(m.Finding.id, m.Finding.label)).all())

    def absent_labels(self) -> Dict[str, str]:
        """Finding id -> how to say it is absent, where "no <label>" would read badly."""
        rows = self._session.execute(
            select(m.Finding.id, m.Finding.absent_label).where(m.Finding.absent_label.isnot(None))
        ).all()
        return dict(rows)

    def get_treatment(self, treatment_id: str) -> TreatmentView | None:
        t = self._session.execute(
            select(m.Treatment).options(selectinload(m.Treatment.synonyms))
            .where(m.Treatment.id == treatment_id)
        ).scalar_one_or_none()
        if t is None:
            return None
        return TreatmentView(t.id, t.name, t.evidence, t.statement, tuple(s.text for s in t.synonyms))

    def seed_claims(self, treatment_id: str | None = None) -> List[SeedClaimView]:
        query = select(m.SeedClaim).options(
            selectinload(m.SeedClaim.condition_links), selectinload(m.SeedClaim.treatment_links)
        ).order_by(m.SeedClaim.id)
        if treatment_id:
            query = query.join(m.SeedClaimTreatment).where(
                m.SeedClaimTreatment.treatment_id == treatment_id
            )
        return [
            SeedClaimView(
                s.id, s.claim, s.verdict, s.evidence,
                tuple(sorted(link.condition_id for link in s.condition_links)),
                tuple(sorted(link.treatment_id for link in s.treatment_links)),
            )
            for s in self._session.execute(query).scalars().unique()
        ]

    # --- red flags and ranking --------------------------------------------------------
    def red_flags(self) -> List[RedFlagView]:
        flags = self._session.execute(
            select(m.RedFlag).options(selectinload(m.RedFlag.condition_links)).order_by(m.RedFlag.id)
        ).scalars()
        return [
            RedFlagView(f.id, f.kind, f.name, f.triage, f.advice,
                        tuple(sorted(link.condition_id for link in f.condition_links)))
            for f in flags
        ]

    def red_flag_rules(self) -> List[RedFlagRule]:
        flags = self._session.execute(
            select(m.RedFlag).options(
                selectinload(m.RedFlag.condition_links),
                selectinload(m.RedFlag.clauses).selectinload(m.RedFlagClause.findings),
                selectinload(m.RedFlag.screen_triggers),
            ).order_by(m.RedFlag.id)
        ).scalars()
        return [
            RedFlagRule(
                id=f.id, kind=f.kind, triage=f.triage,
                conditions=tuple(sorted(link.condition_id for link in f.condition_links)),
                clauses=tuple(tuple(sorted(cf.finding_id for cf in clause.findings))
                              for clause in f.clauses),
                screen_when=tuple(sorted(t.finding_id for t in f.screen_triggers)),
            )
            for f in flags
        ]

    def ranking_model(self) -> RankingModel:
        settings = dict(self._session.execute(select(m.Setting.key, m.Setting.value)).all())
        location_ids = frozenset(
            self._session.execute(
                select(m.Finding.id).where(m.Finding.type == "body_location")
            ).scalars()
        )
        rows = self._session.execute(
            select(m.Condition).options(selectinload(m.Condition.finding_links))
            .where(m.Condition.kind != "belief").order_by(m.Condition.id)
        ).scalars()
        conditions = tuple(
            ConditionModel(
                id=c.id, prior=float(c.prior), default_triage=c.default_triage,
                weights={link.finding_id: (link.present_weight, link.absent_weight)
                         for link in c.finding_links},
                locations=frozenset(
                    link.finding_id for link in c.finding_links
                    if link.finding_id in location_ids
                    and link.category in ("locations", "other_locations")
                ),
            )
            for c in rows
        )
        return RankingModel(
            conditions=conditions,
            location_ids=location_ids,
            unlisted_location_present=float(settings["unlisted_location_present"]),
            likely_threshold=float(settings["likely_threshold"]),
            max_likely=int(settings["max_likely"]),
        )

    def counts(self) -> Dict[str, int]:
        def count(model: type, *where: object) -> int:
            query = select(func.count()).select_from(model)
            for clause in where:
                query = query.where(clause)
            return int(self._session.execute(query).scalar_one())

        return {
            "conditions": count(m.Condition, m.Condition.kind == "condition"),
            "mimics": count(m.Condition, m.Condition.kind == "mimic"),
            "beliefs": count(m.Condition, m.Condition.kind == "belief"),
            "treatments": count(m.Treatment),
            "red_flags": count(m.RedFlag),
            "findings": count(m.Finding),
        }
