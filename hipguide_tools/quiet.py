"""Keep the trainers' commands readable: Rasa's dependencies print deprecation warnings on
import (and re-enable them themselves, so a filter set beforehand does not hold)."""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from typing import Iterator


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """No warnings shown and no library log below ERROR while the block runs."""
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    show = warnings.showwarning
    warnings.showwarning = lambda *args, **kwargs: None
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        warnings.showwarning = show
        logging.disable(previous)
