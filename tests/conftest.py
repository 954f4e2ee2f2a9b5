"""Shared fixtures: knowledge data, databases (SQLite always, PostgreSQL when reachable),
the project's spaCy pipeline and the real servers (trained once per data fingerprint)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from hipguide.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge

PROJECT_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "HIPGUIDE_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
REQUIRE_SERVICES = os.environ.get("HIPGUIDE_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture()
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of data/knowledge laid out like the real one (data/knowledge)."""
    target = tmp_path / "data" / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, target)
    return target


def _unavailable(reason: str, hint: str = "set HIPGUIDE_TEST_POSTGRES_URL or start PostgreSQL") -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (HIPGUIDE_REQUIRE_SERVICES=1 makes this service mandatory)")
    pytest.skip(f"{reason}; {hint} to run this test")


REDIS_URL = os.environ.get("HIPGUIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture()
def redis_url() -> Iterator[str]:
    """The Redis server for lock-store tests (its HipGuide lock keys are removed afterwards)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {error}",
                     "set HIPGUIDE_TEST_REDIS_URL or start Redis")
    try:
        yield REDIS_URL
    finally:
        for key in client.scan_iter("hipguide*"):
            client.delete(key)
        client.close()


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"hipguide_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        _unavailable(f"PostgreSQL is not reachable at {make_url(POSTGRES_URL).render_as_string()}: "
                     f"{error.orig}")
    try:
        yield str(make_url(POSTGRES_URL).set(database=name))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database test runs against SQLite and against PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hipguide.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def spacy_model():  # type: ignore[no-untyped-def]
    """The project's spaCy pipeline, built from the knowledge data if needed."""
    import spacy
    from rasa.nlu.utils.spacy_utils import SpacyModel

    from hipguide.language.build_spacy import DEFAULT_OUTPUT, build

    build(DEFAULT_OUTPUT)
    return SpacyModel(model=spacy.load(DEFAULT_OUTPUT), model_name=str(DEFAULT_OUTPUT))
