"""``hipguide-review`` / ``python -m hipguide_tools.review``: the trainers' review tool.

A thin launcher for :mod:`hipguide_rasa.review` that keeps library warnings off the screen.
"""

from __future__ import annotations

import sys
from typing import Sequence

from hipguide_tools.quiet import quiet


def main(argv: Sequence[str] | None = None) -> int:
    with quiet():
        from hipguide_rasa.review.__main__ import main as review

        try:
            return review(argv)
        except BrokenPipeError:  # `hipguide-review show x | head`
            sys.stderr.close()
            return 0


if __name__ == "__main__":
    sys.exit(main())
