"""Effective per-condition finding weights: category defaults plus explicit overrides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

from hipguide.knowledge.schema import ConditionSpec, ScoringSpec

WEIGHT_ONLY = "weight_only"


@dataclass(frozen=True)
class FindingWeight:
    category: str
    present: float
    absent: float


def effective_weights(condition: ConditionSpec, scoring: ScoringSpec) -> Dict[str, FindingWeight]:
    """How each finding's presence and absence move ``condition``.

    A finding listed in several categories takes the first (categories are read in the
    order of the schema: locations first). ``weights`` overrides either number.
    """
    result: Dict[str, FindingWeight] = {}
    for category, ids in condition.findings.by_category().items():
        default = scoring.category_weights[category]
        for finding_id in ids:
            result.setdefault(finding_id, FindingWeight(category, default.present, default.absent))
    for finding_id, override in condition.weights.items():
        base = result.get(finding_id, FindingWeight(WEIGHT_ONLY, 0.0, 0.0))
        result[finding_id] = FindingWeight(
            base.category,
            override.present if override.present is not None else base.present,
            override.absent if override.absent is not None else base.absent,
        )
    return result
