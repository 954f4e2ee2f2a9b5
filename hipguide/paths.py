"""Where the project's files are: the root of the checkout HipGuide's code runs from."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
