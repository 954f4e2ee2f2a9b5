"""Building the condition database and querying it, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from hipguide.knowledge import build as build_module
from hipguide.knowledge.build import build_database, current_fingerprint, fingerprint
from hipguide.knowledge.loader import load_knowledge
from hipguide.knowledge.repository import KnowledgeRepository
from hipguide.knowledge.session import make_engine


def _repository_counts(url: str) -> dict:
    engine = make_engine(url)
    try:
        with Session(engine, future=True) as session:
            return KnowledgeRepository(session).counts()
    finally:
        engine.dispose()


CONTRACT = yaml.safe_load((Path(__file__).resolve().parents[2] / "spec" / "contract.yml").read_text())


def test_build_and_query(kb, database_url: str) -> None:  # type: ignore[no-untyped-def]
    counts = build_database(kb, database_url)
    assert (counts["conditions"], counts["mimics"], counts["beliefs"]) == (
        len(CONTRACT["conditions"]), len(CONTRACT["mimics"]), len(CONTRACT["beliefs"]))
    assert counts["treatments"] == len(kb.treatments)
    engine = make_engine(database_url)
    try:
        with Session(engine, future=True) as session:
            repo = KnowledgeRepository(session)
            gtps = repo.get_condition("gtps")
            assert gtps is not None and gtps.default_triage == "self_care"
            assert "hip bursitis" in gtps.lay_names
            assert [t.treatment_id for t in gtps.treatments][:2] == ["load_management", "strengthening"]
            assert gtps.self_care and gtps.sources
            belief = repo.get_condition("pelvic_misalignment")
            assert belief is not None and belief.maps_to == ("gtps", "lumbar_radiculopathy",
                                                             "si_joint_pain")
            assert repo.get_condition("nonexistent") is None
            assert repo.get_treatment("glucosamine").evidence == "contradicted"  # type: ignore[union-attr]
            assert [c.id for c in repo.seed_claims("glucosamine")] == ["S4"]
            assert sorted(c.id for c in repo.list_conditions("mimic")) == sorted(CONTRACT["mimics"])
            labels = repo.labels()
            assert labels["outer_hip"] == "pain on the outside of the hip"
            rules = {r.id: r for r in repo.red_flag_rules()}
            assert ("saddle_numbness",) in rules["RF4"].clauses
            assert rules["RF1"].triage == "emergency"
            model = repo.ranking_model()
            assert len(model.conditions) == len(CONTRACT["conditions"]) + len(CONTRACT["mimics"])
            weights = {c.id: c for c in model.conditions}["gtps"].weights
            assert weights["lying_on_side"][0] == pytest.approx(1.8)
            assert weights["clicking"][0] < 0  # usually absent: presence argues against
            assert "outer_hip" in model.location_ids
    finally:
        engine.dispose()
    assert current_fingerprint(database_url) == fingerprint(kb)


def test_a_bad_knowledge_file_leaves_the_database_untouched(tmp_path: Path,
                                                             knowledge_copy: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hipguide.db'}"
    assert build_module.main(["--knowledge", str(knowledge_copy), "--database-url", url]) == 0
    before = (tmp_path / "hipguide.db").read_bytes()
    path = knowledge_copy / "treatments.yml"
    data = yaml.safe_load(path.read_text())
    data["treatments"][0]["evidence"] = "wonderful"
    data["treatments"].append({"id": "new_thing", "name": "New", "evidence": "strong",
                               "statement": "x"})
    path.write_text(yaml.safe_dump(data))
    assert build_module.main(["--knowledge", str(knowledge_copy), "--database-url", url]) == 1
    assert (tmp_path / "hipguide.db").read_bytes() == before
    assert _repository_counts(url)["treatments"] == 30


def test_a_failed_postgres_rebuild_rolls_back(kb, postgres_url: str,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_database(kb, postgres_url)

    def broken_populate(session, kb_, print_):  # type: ignore[no-untyped-def]
        session.add(build_module.m.Treatment(id="half", name="x", evidence="strong", statement="x"))
        session.flush()
        raise RuntimeError("disk full halfway")

    monkeypatch.setattr(build_module, "populate", broken_populate)
    with pytest.raises(RuntimeError):
        build_database(kb, postgres_url)
    assert _repository_counts(postgres_url)["treatments"] == 30
    assert current_fingerprint(postgres_url) == fingerprint(kb)


def test_rebuild_is_skipped_when_nothing_changed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'hipguide.db'}"
    assert build_module.main(["--database-url", url]) == 0
    assert "built condition database" in capsys.readouterr().out
    assert build_module.main(["--database-url", url]) == 0
    assert "up to date" in capsys.readouterr().out


def test_foreign_keys_are_enforced_on_sqlite(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    from hipguide.knowledge import models as m

    url = f"sqlite:///{tmp_path / 'fk.db'}"
    build_database(load_knowledge(), url)
    engine = make_engine(url)
    try:
        with Session(engine, future=True) as session, pytest.raises(IntegrityError):
            session.add(m.ConditionTreatment(condition_id="gtps", treatment_id="nope",
                                             position=99, evidence="strong"))
            session.flush()
    finally:
        engine.dispose()
