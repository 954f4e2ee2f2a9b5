"""SQLAlchemy models of the condition database (1.4 in the 2.0 style)."""

from __future__ import annotations

from typing import TYPE_CHECKING, List

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import registry, relationship

if TYPE_CHECKING:  # SQLAlchemy 1.4 has no typed declarative base without its mypy plugin

    class Base:
        metadata: MetaData

        def __init__(self, **kwargs: object) -> None: ...
else:
    Base = registry().generate_base()

ID = String(64)


class Finding(Base):
    __tablename__ = "findings"

    id = Column(ID, primary_key=True)
    type = Column(String(32), nullable=False, index=True)
    label = Column(Text, nullable=False)
    question = Column(Text)
    why = Column(Text)
    yes_means = Column(String(8), nullable=False, default="present")
    absent_label = Column(Text)
    synonyms: List[FindingSynonym] = relationship(
        "FindingSynonym", back_populates="finding", cascade="all, delete-orphan",
        order_by="FindingSynonym.id",
    )


class FindingSynonym(Base):
    __tablename__ = "finding_synonyms"
    __table_args__ = (UniqueConstraint("finding_id", "text"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    finding_id = Column(ID, ForeignKey("findings.id", ondelete="CASCADE"), nullable=False)
    text = Column(String(200), nullable=False)
    finding: Finding = relationship("Finding", back_populates="synonyms")


class Condition(Base):
    __tablename__ = "conditions"

    id = Column(ID, primary_key=True)
    kind = Column(String(16), nullable=False, index=True)
    name = Column(Text, nullable=False)
    summary = Column(Text, nullable=False)
    character = Column(Text, nullable=False)
    onset = Column(Text, nullable=False)
    prior = Column(Float)
    default_triage = Column(String(16), nullable=False)
    when_to_seek_care = Column(Text, nullable=False)

    lay_names: List[ConditionLayName] = relationship(
        "ConditionLayName", cascade="all, delete-orphan", order_by="ConditionLayName.position"
    )
    advice: List[ConditionAdvice] = relationship(
        "ConditionAdvice", cascade="all, delete-orphan", order_by="ConditionAdvice.position"
    )
    sources: List[ConditionSource] = relationship(
        "ConditionSource", cascade="all, delete-orphan", order_by="ConditionSource.position"
    )
    finding_links: List[ConditionFinding] = relationship(
        "ConditionFinding", back_populates="condition", cascade="all, delete-orphan"
    )
    treatment_links: List[ConditionTreatment] = relationship(
        "ConditionTreatment", back_populates="condition", cascade="all, delete-orphan",
        order_by="ConditionTreatment.position",
    )


class ConditionLayName(Base):
    __tablename__ = "condition_lay_names"

    id = Column(Integer, primary_key=True, autoincrement=True)
    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)


class ConditionAdvice(Base):
    """One self-care or professional-care sentence of a condition, in order."""

    __tablename__ = "condition_advice"

    id = Column(Integer, primary_key=True, autoincrement=True)
    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(16), nullable=False)  # self_care | professional
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)


class ConditionSource(Base):
    __tablename__ = "condition_sources"

    id = Column(Integer, primary_key=True, autoincrement=True)
    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    citation = Column(Text, nullable=False)


class ConditionFinding(Base):
    """How a finding's presence and absence move one condition (effective weights)."""

    __tablename__ = "condition_findings"

    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)
    finding_id = Column(ID, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    category = Column(String(32), nullable=False)
    present_weight = Column(Float, nullable=False)
    absent_weight = Column(Float, nullable=False)
    condition: Condition = relationship("Condition", back_populates="finding_links")
    finding: Finding = relationship("Finding")


class Treatment(Base):
    __tablename__ = "treatments"

    id = Column(ID, primary_key=True)
    name = Column(Text, nullable=False)
    evidence = Column(String(16), nullable=False)
    statement = Column(Text, nullable=False)
    synonyms: List[TreatmentSynonym] = relationship(
        "TreatmentSynonym", cascade="all, delete-orphan", order_by="TreatmentSynonym.id"
    )


class TreatmentSynonym(Base):
    __tablename__ = "treatment_synonyms"
    __table_args__ = (UniqueConstraint("treatment_id", "text"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    treatment_id = Column(ID, ForeignKey("treatments.id", ondelete="CASCADE"), nullable=False)
    text = Column(String(200), nullable=False)


class ConditionTreatment(Base):
    """A treatment as used for one condition, with its condition-specific verdict."""

    __tablename__ = "condition_treatments"

    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)
    treatment_id = Column(ID, ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, nullable=False)
    evidence = Column(String(16), nullable=False)
    note = Column(Text)
    condition: Condition = relationship("Condition", back_populates="treatment_links")
    treatment: Treatment = relationship("Treatment")


class ConditionMapping(Base):
    """A belief that should be redirected to real conditions."""

    __tablename__ = "condition_mappings"

    from_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)
    to_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)


class RedFlag(Base):
    __tablename__ = "red_flags"

    id = Column(String(16), primary_key=True)
    kind = Column(String(16), nullable=False)
    name = Column(Text, nullable=False)
    triage = Column(String(16), nullable=False)
    advice = Column(Text, nullable=False)
    clauses: List[RedFlagClause] = relationship(
        "RedFlagClause", back_populates="red_flag", cascade="all, delete-orphan",
        order_by="RedFlagClause.position",
    )
    condition_links: List[RedFlagCondition] = relationship(
        "RedFlagCondition", cascade="all, delete-orphan"
    )
    screen_triggers: List[RedFlagScreenTrigger] = relationship(
        "RedFlagScreenTrigger", cascade="all, delete-orphan"
    )


class RedFlagScreenTrigger(Base):
    """A finding that makes the red flag's questions worth asking (``screen_when``)."""

    __tablename__ = "red_flag_screen_triggers"

    red_flag_id = Column(String(16), ForeignKey("red_flags.id", ondelete="CASCADE"),
                         primary_key=True)
    finding_id = Column(ID, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)


class RedFlagCondition(Base):
    __tablename__ = "red_flag_conditions"

    red_flag_id = Column(String(16), ForeignKey("red_flags.id", ondelete="CASCADE"),
                         primary_key=True)
    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)


class RedFlagClause(Base):
    """All findings of one clause must be present for the red flag to be raised."""

    __tablename__ = "red_flag_clauses"

    id = Column(Integer, primary_key=True, autoincrement=True)
    red_flag_id = Column(String(16), ForeignKey("red_flags.id", ondelete="CASCADE"),
                         nullable=False)
    position = Column(Integer, nullable=False)
    red_flag: RedFlag = relationship("RedFlag", back_populates="clauses")
    findings: List[RedFlagClauseFinding] = relationship(
        "RedFlagClauseFinding", cascade="all, delete-orphan"
    )


class RedFlagClauseFinding(Base):
    __tablename__ = "red_flag_clause_findings"

    clause_id = Column(Integer, ForeignKey("red_flag_clauses.id", ondelete="CASCADE"),
                       primary_key=True)
    finding_id = Column(ID, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)


class SeedClaim(Base):
    __tablename__ = "seed_claims"

    id = Column(String(8), primary_key=True)
    claim = Column(Text, nullable=False)
    verdict = Column(Text, nullable=False)
    evidence = Column(String(16), nullable=False)
    condition_links: List[SeedClaimCondition] = relationship(
        "SeedClaimCondition", cascade="all, delete-orphan"
    )
    treatment_links: List[SeedClaimTreatment] = relationship(
        "SeedClaimTreatment", cascade="all, delete-orphan"
    )


class SeedClaimCondition(Base):
    __tablename__ = "seed_claim_conditions"

    claim_id = Column(String(8), ForeignKey("seed_claims.id", ondelete="CASCADE"),
                      primary_key=True)
    condition_id = Column(ID, ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)


class SeedClaimTreatment(Base):
    __tablename__ = "seed_claim_treatments"

    claim_id = Column(String(8), ForeignKey("seed_claims.id", ondelete="CASCADE"),
                      primary_key=True)
    treatment_id = Column(ID, ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True)


class Setting(Base):
    """Scoring settings and build metadata (fingerprint, counts)."""

    __tablename__ = "settings"

    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)

