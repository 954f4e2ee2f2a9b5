"""Typed shapes of the curated knowledge files (data/knowledge/*.yml).

Pydantic models check each entry's fields; cross-references between files (finding ids,
treatment ids, condition ids) are checked by :mod:`hipguide.knowledge.loader`.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Dict, List

from pydantic import BaseModel, Extra, Field, confloat, constr, validator

if TYPE_CHECKING:  # mypy sees plain types; pydantic gets the constrained ones
    Identifier = str
    RedFlagId = str
    SeedClaimId = str
    NonEmptyText = str
    Score = float
    Probability = float
else:
    Identifier = constr(regex=r"^[a-z][a-z0-9_]*$")
    RedFlagId = constr(regex=r"^(RF|P)[0-9]+$")
    SeedClaimId = constr(regex=r"^S[0-9]+$")
    NonEmptyText = constr(strip_whitespace=True, min_length=1)
    Score = confloat(ge=-10, le=10)
    Probability = confloat(gt=0, lt=1)


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
    id: Identifier
    type: FindingType
    label: NonEmptyText
    synonyms: List[NonEmptyText] = Field(default_factory=list)
    # Ways people describe the finding without naming it: each description is a list of
    # word groups that must all occur in that order, a few words apart within one clause
    # ("numb" ... "when I wipe").
    described: List[List[List[NonEmptyText]]] = Field(default_factory=list)
    question: NonEmptyText | None = None
    why: NonEmptyText | None = None
    yes_means: str = "present"  # "absent" when the question asks about the opposite
    absent_label: NonEmptyText | None = None  # how to say it is absent, if "no <label>" reads badly

    @validator("yes_means")
    def _yes_means(cls, value: str) -> str:
        if value not in ("present", "absent"):
            raise ValueError("yes_means must be present or absent")
        return value

    @validator("synonyms", each_item=True)
    def _lower_case(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError(f"synonym {value!r} must be lower case")
        return value

    @validator("described", each_item=True)
    def _description(cls, groups: List[List[str]]) -> List[List[str]]:
        if len(groups) < 2 or any(not group for group in groups):
            raise ValueError("a description needs at least two non-empty word groups")
        for phrase in (p for group in groups for p in group):
            if phrase != phrase.lower():
                raise ValueError(f"description word {phrase!r} must be lower case")
        return groups

    @validator("why", always=True)
    def _why_goes_with_question(cls, value: str | None, values: Dict) -> str | None:
        if values.get("question") and not value:
            raise ValueError("a finding with a question needs `why` (the reason we ask)")
        return value


class Weight(StrictModel):
    present: Score | None = None
    absent: Score | None = None


class ConditionFindings(StrictModel):
    locations: List[Identifier] = Field(default_factory=list)
    other_locations: List[Identifier] = Field(default_factory=list)
    onset: List[Identifier] = Field(default_factory=list)
    triggers: List[Identifier] = Field(default_factory=list)
    associated: List[Identifier] = Field(default_factory=list)
    usually_absent: List[Identifier] = Field(default_factory=list)
    risk_factors: List[Identifier] = Field(default_factory=list)

    def by_category(self) -> Dict[str, List[str]]:
        return {name: list(getattr(self, name)) for name in self.__fields__}


class TreatmentUse(StrictModel):
    treatment: Identifier
    evidence: Evidence
    note: NonEmptyText | None = None


class ConditionSpec(StrictModel):
    id: Identifier
    kind: ConditionKind
    name: NonEmptyText
    lay_names: List[NonEmptyText] = Field(min_items=1)
    summary: NonEmptyText
    character: NonEmptyText
    onset: NonEmptyText
    prior: Probability | None = None
    findings: ConditionFindings
    weights: Dict[Identifier, Weight] = Field(default_factory=dict)
    self_care: List[NonEmptyText] = Field(default_factory=list)
    professional_care: List[NonEmptyText] = Field(default_factory=list)
    treatments: List[TreatmentUse] = Field(default_factory=list)
    when_to_seek_care: NonEmptyText
    default_triage: TriageLevel
    maps_to: List[Identifier] = Field(default_factory=list)
    sources: List[NonEmptyText] = Field(min_items=1)

    @validator("prior", always=True)
    def _prior_for_ranked_kinds(cls, value: float | None, values: Dict) -> float | None:
        kind = values.get("kind")
        if kind in (ConditionKind.condition, ConditionKind.mimic) and value is None:
            raise ValueError("conditions and mimics need a prior (they are ranked)")
        if kind == ConditionKind.belief and value is not None:
            raise ValueError("a belief is never ranked, so it takes no prior")
        return value


class TreatmentSpec(StrictModel):
    id: Identifier
    name: NonEmptyText
    synonyms: List[NonEmptyText] = Field(default_factory=list)
    evidence: Evidence
    statement: NonEmptyText


class RedFlagKind(str, Enum):
    red_flag = "red_flag"
    population = "population"


class RedFlagSpec(StrictModel):
    id: RedFlagId
    kind: RedFlagKind = RedFlagKind.red_flag
    name: NonEmptyText
    triage: TriageLevel
    conditions: List[Identifier] = Field(min_items=1)
    when: List[List[Identifier]] = Field(min_items=1)
    # Findings that make this flag worth asking about even before any finding of a clause
    # is known: back pain or sciatica -> ask about saddle numbness and the bladder.
    screen_when: List[Identifier] = Field(default_factory=list)
    advice: NonEmptyText

    @validator("when", each_item=True)
    def _clause_not_empty(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("an empty clause would raise the flag for everyone")
        return value


class SeedClaimSpec(StrictModel):
    id: SeedClaimId
    claim: NonEmptyText
    verdict: NonEmptyText
    evidence: Evidence
    conditions: List[Identifier] = Field(default_factory=list)
    treatments: List[Identifier] = Field(default_factory=list)


class CategoryWeight(StrictModel):
    present: Score
    absent: Score


class QuestionPolicySpec(StrictModel):
    stop_confidence: Probability
    min_gain_bits: float = Field(ge=0, le=5)
    max_questions: int = Field(ge=0, le=20)
    max_screening: int = Field(ge=0, le=20)
    base_log_odds: Score


class ScoringSpec(StrictModel):
    category_weights: Dict[str, CategoryWeight]
    questions: QuestionPolicySpec
    unlisted_location_present: Score
    likely_threshold: Probability
    max_likely: int = Field(ge=1, le=5)

    @validator("unlisted_location_present")
    def _not_positive(cls, value: float) -> float:
        if value > 0:
            raise ValueError("a location the condition does not list cannot argue for it")
        return value

    @validator("category_weights")
    def _every_category(cls, value: Dict[str, CategoryWeight]) -> Dict[str, CategoryWeight]:
        missing = set(ConditionFindings.__fields__) - set(value)
        extra = set(value) - set(ConditionFindings.__fields__)
        if missing or extra:
            raise ValueError(
                f"categories must be exactly {sorted(ConditionFindings.__fields__)}"
                f" (missing {sorted(missing)}, unknown {sorted(extra)})"
            )
        return value
