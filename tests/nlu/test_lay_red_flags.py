"""Issue 17's safety figure as a regression check: every lay red-flag phrasing of
tests/nlu/lay/lay_red_flags.txt, parsed by the trained model on its own, raises its red flag,
and no red-flag finding of those messages is read as negated or uncertain.

Uses the model trained for the current data fingerprint (trained once per test run, like the
end-to-end tests); `make eval-nlu-lay` prints the same figures with the other sets."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Tuple

import pytest

from hipguide_tools.eval_nlu import Example, load_lay, predict, raised_red_flags, red_flag_finding_ids, score

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def parsed() -> List[Tuple[str | None, Example, Dict[str, Any]]]:
    from hipguide_tools.train import train

    rows = load_lay()["lay_red_flags"]
    predictions = asyncio.run(predict(train(), [example.text for _, example in rows]))
    return [(flag, example, prediction) for (flag, example), prediction in zip(rows, predictions, strict=True)]


def test_every_lay_red_flag_phrasing_raises_its_flag(parsed) -> None:  # type: ignore[no-untyped-def]
    missed = [f"{flag}: {example.text}" for flag, example, prediction in parsed
              if flag and flag not in raised_red_flags(prediction)]
    assert len(parsed) >= 100
    assert missed == []


def test_no_red_flag_finding_is_lost_to_a_negation(parsed) -> None:  # type: ignore[no-untyped-def]
    result = score([example for _, example, _ in parsed], [p for _, _, p in parsed], red_flag_finding_ids())
    assert result["red_flag_findings_lost_to_negation"] == []
