"""``hipguide-review`` / ``python -m hipguide.tools.review``: the trainers' review tool.

A thin launcher for :mod:`hipguide_rasa.review`: it silences the deprecation chatter of
Rasa's dependencies before they load, so trainers see only the tool's own output.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    show = warnings.showwarning
    warnings.showwarning = lambda *args, **kwargs: None  # dependencies re-enable their own warnings on import
    try:
        from hipguide_rasa.review.__main__ import main as review
    finally:
        warnings.showwarning = show
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return review(argv)


if __name__ == "__main__":
    sys.exit(main())
