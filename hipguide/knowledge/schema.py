"""Typed shapes of the curated knowledge files (data/knowledge/*.yml).

Pydantic models check each entry's fields; cross-references between files (finding ids,
treatment ids, condition ids) are checked by :mod:`hipguide.knowledge.loader`.
"""

from __future__ import annotations

from enum import Enum
from typing import Dict, List, Optional

from pydantic import BaseModel, Extra, Field, confloat, constr, validator

Identifier = constr(regex=r"^[a-z][a-z0-9_]*$")
RedFlagId = constr(regex=r"^(RF|P)[0-9]+$")
NonEmptyText = constr(strip_whitespace=True, min_length=1)


class Evidence(str, Enum):
    """How well a treatment is supported (summary of guideline positions, not GRADE)."""

    strong = "strong"
    moderate = "moderate"
    limited = "limited"
    unsupported = "unsupported"
    contradicted = "contradicted"


class TriageLevel(str, Enum):
    """Contract triage levels, most urgent first."""

    emergency = "emergency"
    urgent = "urgent"
    routine = "routine"
    self_care = "self_care"

    @property
    def urgency(self) -> int:
        """Higher is more urgent."""
        return {"emergency": 3, "urgent": 2, "routine": 1, "self_care": 0}[self.value]


class FindingType(str, Enum):
    """Entity types that carry findings (``derived`` ones are computed, never said)."""

    body_location = "body_location"
    side = "side"
    onset = "onset"
    symptom = "symptom"
    activity = "activity"
    event = "event"
    risk_factor = "risk_factor"
    derived = "derived"


class ConditionKind(str, Enum):
    condition = "condition"
    mimic = "mimic"
    belief = "belief"


class StrictModel(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class FindingSpec(StrictModel):
    id: Identifier  # type: ignore[valid-type]
    type: FindingType
    label: NonEmptyText  # type: ignore[valid-type]
    synonyms: List[NonEmptyText] = Field(default_factory=list)  # type: ignore[valid-type]
    question: Optional[NonEmptyText] = None  # type: ignore[valid-type]
    why: Optional[NonEmptyText] = None  # type: ignore[valid-type]

    @validator("synonyms", each_item=True)
    def _lower_case(cls, value: str) -> str:  # noqa: N805
        if value != value.lower():
            raise ValueError(f"synonym {value!r} must be lower case")
        return value

    @validator("why", always=True)
    def _why_goes_with_question(cls, value: Optional[str], values: Dict) -> Optional[str]:  # noqa: N805
        if values.get("question") and not value:
            raise ValueError("a finding with a question needs `why` (the reason we ask)")
        return value


class Weight(StrictModel):
    present: Optional[confloat(ge=-10, le=10)] = None  # type: ignore[valid-type]
    absent: Optional[confloat(ge=-10, le=10)] = None  # type: ignore[valid-type]


class ConditionFindings(StrictModel):
    locations: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    other_locations: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    onset: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    triggers: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    associated: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    usually_absent: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    risk_factors: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]

    def by_category(self) -> Dict[str, List[str]]:
        return {name: list(getattr(self, name)) for name in self.__fields__}


class TreatmentUse(StrictModel):
    treatment: Identifier  # type: ignore[valid-type]
    evidence: Evidence
    note: Optional[NonEmptyText] = None  # type: ignore[valid-type]


class ConditionSpec(StrictModel):
    id: Identifier  # type: ignore[valid-type]
    kind: ConditionKind
    name: NonEmptyText  # type: ignore[valid-type]
    lay_names: List[NonEmptyText] = Field(min_items=1)  # type: ignore[valid-type]
    summary: NonEmptyText  # type: ignore[valid-type]
    character: NonEmptyText  # type: ignore[valid-type]
    onset: NonEmptyText  # type: ignore[valid-type]
    prior: Optional[confloat(gt=0, lt=1)] = None  # type: ignore[valid-type]
    findings: ConditionFindings
    weights: Dict[Identifier, Weight] = Field(default_factory=dict)  # type: ignore[valid-type]
    self_care: List[NonEmptyText] = Field(default_factory=list)  # type: ignore[valid-type]
    professional_care: List[NonEmptyText] = Field(default_factory=list)  # type: ignore[valid-type]
    treatments: List[TreatmentUse] = Field(default_factory=list)
    when_to_seek_care: NonEmptyText  # type: ignore[valid-type]
    default_triage: TriageLevel
    maps_to: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    sources: List[NonEmptyText] = Field(min_items=1)  # type: ignore[valid-type]

    @validator("prior", always=True)
    def _prior_for_ranked_kinds(cls, value: Optional[float], values: Dict) -> Optional[float]:  # noqa: N805
        kind = values.get("kind")
        if kind in (ConditionKind.condition, ConditionKind.mimic) and value is None:
            raise ValueError("conditions and mimics need a prior (they are ranked)")
        if kind == ConditionKind.belief and value is not None:
            raise ValueError("a belief is never ranked, so it takes no prior")
        return value


class TreatmentSpec(StrictModel):
    id: Identifier  # type: ignore[valid-type]
    name: NonEmptyText  # type: ignore[valid-type]
    synonyms: List[NonEmptyText] = Field(default_factory=list)  # type: ignore[valid-type]
    evidence: Evidence
    statement: NonEmptyText  # type: ignore[valid-type]


class RedFlagKind(str, Enum):
    red_flag = "red_flag"
    population = "population"


class RedFlagSpec(StrictModel):
    id: RedFlagId  # type: ignore[valid-type]
    kind: RedFlagKind = RedFlagKind.red_flag
    name: NonEmptyText  # type: ignore[valid-type]
    triage: TriageLevel
    conditions: List[Identifier] = Field(min_items=1)  # type: ignore[valid-type]
    when: List[List[Identifier]] = Field(min_items=1)  # type: ignore[valid-type]
    advice: NonEmptyText  # type: ignore[valid-type]

    @validator("when", each_item=True)
    def _clause_not_empty(cls, value: List[str]) -> List[str]:  # noqa: N805
        if not value:
            raise ValueError("an empty clause would raise the flag for everyone")
        return value


class SeedClaimSpec(StrictModel):
    id: constr(regex=r"^S[0-9]+$")  # type: ignore[valid-type]
    claim: NonEmptyText  # type: ignore[valid-type]
    verdict: NonEmptyText  # type: ignore[valid-type]
    evidence: Evidence
    conditions: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]
    treatments: List[Identifier] = Field(default_factory=list)  # type: ignore[valid-type]


class CategoryWeight(StrictModel):
    present: confloat(ge=-10, le=10)  # type: ignore[valid-type]
    absent: confloat(ge=-10, le=10)  # type: ignore[valid-type]


class ScoringSpec(StrictModel):
    category_weights: Dict[str, CategoryWeight]
    unlisted_location_present: confloat(ge=-10, le=0)  # type: ignore[valid-type]
    likely_threshold: confloat(gt=0, lt=1)  # type: ignore[valid-type]
    max_likely: int = Field(ge=1, le=5)

    @validator("category_weights")
    def _every_category(cls, value: Dict[str, CategoryWeight]) -> Dict[str, CategoryWeight]:  # noqa: N805
        missing = set(ConditionFindings.__fields__) - set(value)
        extra = set(value) - set(ConditionFindings.__fields__)
        if missing or extra:
            raise ValueError(
                f"categories must be exactly {sorted(ConditionFindings.__fields__)}"
                f" (missing {sorted(missing)}, unknown {sorted(extra)})"
            )
        return value
