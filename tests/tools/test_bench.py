"""The bench table: ratios against the baseline and the growth of a turn's cost."""

from __future__ import annotations

from hipguide.tools.bench import LONG_TURNS, Measurement, table
from hipguide.tools.load import LONG_SCRIPT, LoadResult


def _measurement(turns: dict | None = None) -> Measurement:
    c1 = LoadResult(latencies=[0.1] * 20, elapsed=2.0)
    c16 = LoadResult(latencies=[0.5] * 100, elapsed=10.0)
    return Measurement(100.0, 30.0, c1, c16, 1000.0, 100.0, turns)


def _long(early_s: float, late_s: float) -> dict:
    return {LONG_TURNS[0]: LoadResult(latencies=[early_s] * 8), LONG_TURNS[1]: LoadResult(latencies=[late_s] * 8)}


def test_the_long_script_has_forty_turns() -> None:
    assert len(LONG_SCRIPT) == LONG_TURNS[1] == 40


def test_turn_growth_within_the_target_is_met() -> None:
    rows = table(_measurement(_long(0.100, 0.110)), _measurement())
    [p50, p95] = [r for r in rows if r[0].startswith("p50, turn") or r[0].startswith("p95, turn")]
    assert p50[1] == "100 / 110 ms" and p50[3] == "1.10"
    assert p95[4] == "<= 1.2: met"


def test_turn_growth_beyond_the_target_is_missed() -> None:
    rows = table(_measurement(_long(0.100, 0.300)), _measurement())
    assert rows[-1][3] == "3.00" and rows[-1][4] == "<= 1.2: MISSED"


def test_without_long_conversations_there_is_no_growth_row() -> None:
    assert not [r for r in table(_measurement(), _measurement()) if "turn" in r[0]]
