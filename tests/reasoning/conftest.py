from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hipguide.knowledge.build import build_database
from hipguide.knowledge.repository import KnowledgeRepository
from hipguide.knowledge.session import make_engine


@pytest.fixture(scope="session")
def repository_data(kb, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """(ranking model, red-flag rules, labels) from a freshly built SQLite database."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'hipguide.db'}"
    build_database(kb, url)
    engine = make_engine(url)
    with Session(engine, future=True) as session:
        repo = KnowledgeRepository(session)
        data = (repo.ranking_model(), repo.red_flag_rules(), repo.labels())
    engine.dispose()
    return data
