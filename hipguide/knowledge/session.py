"""The engine and session factory, created lazily from ``DATABASE_URL``.

Nothing connects at import time. Callers open one session per unit of work::

    with session_scope() as session:
        ...
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from hipguide.paths import PROJECT_ROOT

DEFAULT_DATABASE_PATH = PROJECT_ROOT / "var" / "hipguide.db"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``DATABASE_URL``, else the SQLite file in var/."""
    return url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}"


def redact(url: str) -> str:
    """A database URL without its password, for messages and logs (the condition database's,
    and the review tool's tracker store)."""
    return make_url(url).render_as_string(hide_password=True)


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine; SQLite gets foreign keys switched on and its folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (resolved with :func:`database_url`), made on first use."""
    return make_engine(database_url(url))


@lru_cache(maxsize=8)
def get_sessionmaker(url: str | None = None) -> sessionmaker:
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on error, always close."""
    session: Session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
