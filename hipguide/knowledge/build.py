"""``python -m hipguide.knowledge.build``: validate data/knowledge and rebuild the database.

Validation happens before the database is touched, so a bad file changes nothing. The
new database replaces the old one atomically: a SQLite file is built beside the old one
and renamed over it; on a server database the whole rebuild is one transaction.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Dict

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hipguide.knowledge import models as m
from hipguide.knowledge.loader import (
    DEFAULT_KNOWLEDGE_DIR,
    KnowledgeBase,
    KnowledgeError,
    load_knowledge,
)
from hipguide.knowledge.session import database_url, make_engine, redact
from hipguide.knowledge.weights import effective_weights

logger = logging.getLogger(__name__)

FINGERPRINT_KEY = "knowledge_fingerprint"


def fingerprint(kb: KnowledgeBase) -> str:
    """A hash of every knowledge file's bytes (and name), for "rebuild only when changed"."""
    digest = hashlib.sha256()
    for path in sorted(kb.source_files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def populate(session: Session, kb: KnowledgeBase, print_: str) -> Dict[str, int]:
    """Insert every entry of ``kb`` into an empty schema; returns the counts."""
    for f in kb.findings.values():
        finding = m.Finding(id=f.id, type=f.type.value, label=f.label, question=f.question, why=f.why,
                            yes_means=f.yes_means, absent_label=f.absent_label)
        finding.synonyms = [m.FindingSynonym(text=s) for s in dict.fromkeys(f.synonyms)]
        session.add(finding)
    for t in kb.treatments.values():
        treatment = m.Treatment(id=t.id, name=t.name, evidence=t.evidence.value, statement=t.statement)
        treatment.synonyms = [m.TreatmentSynonym(text=s) for s in dict.fromkeys(t.synonyms)]
        session.add(treatment)
    session.flush()
    for c in kb.conditions.values():
        condition = m.Condition(
            id=c.id, kind=c.kind.value, name=c.name, summary=c.summary, character=c.character,
            onset=c.onset, prior=c.prior, default_triage=c.default_triage.value,
            when_to_seek_care=c.when_to_seek_care,
        )
        condition.lay_names = [m.ConditionLayName(position=i, name=n) for i, n in enumerate(c.lay_names)]
        condition.advice = [
            m.ConditionAdvice(kind="self_care", position=i, text=t) for i, t in enumerate(c.self_care)
        ] + [
            m.ConditionAdvice(kind="professional", position=i, text=t)
            for i, t in enumerate(c.professional_care)
        ]
        condition.sources = [m.ConditionSource(position=i, citation=s) for i, s in enumerate(c.sources)]
        condition.finding_links = [
            m.ConditionFinding(finding_id=fid, category=w.category, present_weight=w.present,
                               absent_weight=w.absent)
            for fid, w in effective_weights(c, kb.scoring).items()
        ]
        condition.treatment_links = [
            m.ConditionTreatment(treatment_id=u.treatment, position=i, evidence=u.evidence.value,
                                 note=u.note)
            for i, u in enumerate(c.treatments)
        ]
        session.add(condition)
    session.flush()
    for c in kb.conditions.values():
        session.add_all(m.ConditionMapping(from_id=c.id, to_id=t) for t in c.maps_to)
    for r in kb.red_flags.values():
        flag = m.RedFlag(id=r.id, kind=r.kind.value, name=r.name, triage=r.triage.value, advice=r.advice)
        flag.condition_links = [m.RedFlagCondition(condition_id=cid) for cid in r.conditions]
        flag.screen_triggers = [m.RedFlagScreenTrigger(finding_id=f) for f in dict.fromkeys(r.screen_when)]
        flag.clauses = [
            m.RedFlagClause(position=i, findings=[m.RedFlagClauseFinding(finding_id=f) for f in dict.fromkeys(clause)])
            for i, clause in enumerate(r.when)
        ]
        session.add(flag)
    for s in kb.seed_claims.values():
        claim = m.SeedClaim(id=s.id, claim=s.claim, verdict=s.verdict, evidence=s.evidence.value)
        claim.condition_links = [m.SeedClaimCondition(condition_id=c) for c in s.conditions]
        claim.treatment_links = [m.SeedClaimTreatment(treatment_id=t) for t in s.treatments]
        session.add(claim)
    settings = {
        FINGERPRINT_KEY: print_,
        "likely_threshold": str(kb.scoring.likely_threshold),
        "max_likely": str(kb.scoring.max_likely),
        "unlisted_location_present": str(kb.scoring.unlisted_location_present),
        **{f"questions.{k}": str(v) for k, v in kb.scoring.questions.dict().items()},
    }
    session.add_all(m.Setting(key=k, value=v) for k, v in settings.items())
    session.flush()
    return {
        "conditions": sum(1 for c in kb.conditions.values() if c.kind.value == "condition"),
        "mimics": sum(1 for c in kb.conditions.values() if c.kind.value == "mimic"),
        "beliefs": sum(1 for c in kb.conditions.values() if c.kind.value == "belief"),
        "treatments": len(kb.treatments),
        "red_flags": len(kb.red_flags),
        "findings": len(kb.findings),
        "seed_claims": len(kb.seed_claims),
    }


def current_fingerprint(url: str) -> str | None:
    """The fingerprint stored in the database at ``url``, or None if absent or unreadable."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).exists()):
        return None
    engine = make_engine(url)
    try:
        with Session(engine, future=True) as session:
            return session.execute(
                select(m.Setting.value).where(m.Setting.key == FINGERPRINT_KEY)
            ).scalar_one_or_none()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def build_database(kb: KnowledgeBase, url: str) -> Dict[str, int]:
    """Replace the database at ``url`` with ``kb``, atomically."""
    parsed = make_url(url)
    print_ = fingerprint(kb)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        target = Path(parsed.database)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".{target.name}.building-{os.getpid()}")
        scratch.unlink(missing_ok=True)
        engine = make_engine(str(parsed.set(database=str(scratch))))
        try:
            m.Base.metadata.create_all(engine)
            with Session(engine, future=True) as session, session.begin():
                counts = populate(session, kb, print_)
        except BaseException:
            engine.dispose()
            scratch.unlink(missing_ok=True)
            raise
        engine.dispose()
        os.replace(scratch, target)
        return counts
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            m.Base.metadata.drop_all(connection)
            m.Base.metadata.create_all(connection)
            with Session(bind=connection, future=True) as session:
                counts = populate(session, kb, print_)
                session.flush()
        return counts
    finally:
        engine.dispose()


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or var/hipguide.db")
    parser.add_argument("--check", action="store_true", help="validate only; do not build")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    args = parser.parse_args(argv)
    try:
        kb = load_knowledge(args.knowledge)
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        print("The database was not changed.", file=sys.stderr)
        return 1
    if args.check:
        print("knowledge files are valid")
        return 0
    url = database_url(args.database_url)
    if not args.force and current_fingerprint(url) == fingerprint(kb):
        print(f"condition database is up to date ({redact(url)})")
        return 0
    try:
        counts = build_database(kb, url)
    except SQLAlchemyError as error:
        print(f"error: could not build the database at {redact(url)}: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    print(f"built condition database at {redact(url)}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
