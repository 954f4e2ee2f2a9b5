"""Rank likely conditions from findings, with the reasons for and against each.

All numbers come from the knowledge data (priors, per-finding weights, thresholds); this
module only adds them up. Score = log(prior) + sum of weights for what is present or
absent; unknown findings count for nothing. Probabilities are a softmax of the scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import FrozenSet, List, Mapping, Tuple

from hipguide.reasoning.findings import Findings, FindingState


@dataclass(frozen=True)
class ConditionModel:
    """The ranking data of one condition or mimic."""

    id: str
    prior: float
    default_triage: str
    # finding id -> (weight if present, weight if absent)
    weights: Mapping[str, Tuple[float, float]]
    locations: FrozenSet[str]  # every body location the condition lists


@dataclass(frozen=True)
class RankingModel:
    conditions: Tuple[ConditionModel, ...]
    location_ids: FrozenSet[str]
    unlisted_location_present: float
    likely_threshold: float
    max_likely: int


@dataclass(frozen=True)
class Reason:
    """One finding's contribution to a condition's score."""

    finding_id: str
    state: FindingState
    weight: float


@dataclass(frozen=True)
class RankedCondition:
    id: str
    probability: float
    score: float
    default_triage: str
    reasons_for: Tuple[Reason, ...] = field(default_factory=tuple)
    reasons_against: Tuple[Reason, ...] = field(default_factory=tuple)


def _contributions(condition: ConditionModel, findings: Findings,
                   model: RankingModel) -> List[Reason]:
    reasons: List[Reason] = []
    for finding_id, state in findings.items():
        if state == FindingState.unknown:
            continue
        if finding_id in condition.weights:
            present, absent = condition.weights[finding_id]
            weight = present if state == FindingState.present else absent
        elif (finding_id in model.location_ids and state == FindingState.present
              and finding_id not in condition.locations):
            weight = model.unlisted_location_present
        else:
            continue
        if weight:
            reasons.append(Reason(finding_id, state, weight))
    return reasons


def rank_conditions(model: RankingModel, findings: Findings) -> List[RankedCondition]:
    """Every ranked condition, most likely first."""
    scored = []
    for condition in model.conditions:
        reasons = _contributions(condition, findings, model)
        score = math.log(condition.prior) + sum(r.weight for r in reasons)
        scored.append((condition, score, reasons))
    top = max(score for _, score, _ in scored)
    total = sum(math.exp(score - top) for _, score, _ in scored)
    ranked = [
        RankedCondition(
            id=condition.id,
            probability=math.exp(score - top) / total,
            score=score,
            default_triage=condition.default_triage,
            reasons_for=tuple(sorted((r for r in reasons if r.weight > 0),
                                     key=lambda r: -r.weight)),
            reasons_against=tuple(sorted((r for r in reasons if r.weight < 0),
                                         key=lambda r: r.weight)),
        )
        for condition, score, reasons in scored
    ]
    ranked.sort(key=lambda r: (-r.probability, r.id))
    return ranked


def likely_conditions(model: RankingModel, ranked: List[RankedCondition]) -> List[RankedCondition]:
    """The causes worth naming: above the threshold, at most ``max_likely``, at least one."""
    chosen = [r for r in ranked if r.probability >= model.likely_threshold][: model.max_likely]
    return chosen or ranked[:1]

