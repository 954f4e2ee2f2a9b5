"""The actions read a knowledge database freshly built from data/knowledge (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from actions import followup, knowledge_cache
from hipguide.knowledge.build import build_database
from hipguide.knowledge.loader import KnowledgeBase
from hipguide.knowledge.session import get_engine, get_sessionmaker


def _forget_cached_database() -> None:
    """The actions cache the engine and the reasoning data per process: start afresh."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()
    knowledge_cache.reasoning_data.cache_clear()
    followup._next_question.cache_clear()


@pytest.fixture(scope="session")
def knowledge_db_url(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database built once per run from the knowledge data."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('actions-db')) / 'hipguide.db'}"
    build_database(kb, url)
    return url


@pytest.fixture(scope="module")
def knowledge_db(knowledge_db_url: str) -> Iterator[str]:
    """DATABASE_URL names that database while the module's tests run (and only then)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", knowledge_db_url)
        _forget_cached_database()
        yield knowledge_db_url
        _forget_cached_database()
