"""The bench table: ratios against the baseline and the growth of a turn's cost."""

from __future__ import annotations

from hipguide_tools.bench import BURST, LONG_TURNS, Measurement, combine, table
from hipguide_tools.load import LONG_SCRIPT, Burst, LoadResult


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


def _burst(seconds: float) -> Burst:
    return Burst("someone", [f"m{n}" for n in range(BURST)], seconds, BURST)


def test_a_burst_drained_within_twenty_turns_and_a_second_is_met() -> None:
    hipguide = _measurement()
    hipguide.burst, hipguide.burst_in_order = _burst(2.5), True  # 20 x 0.1 s + 1 s = 3.0 s allowed
    baseline = _measurement()
    baseline.burst = _burst(19.7)
    [row] = [r for r in table(hipguide, baseline) if r[0].startswith(f"{BURST} messages")]
    assert row[1:4] == ["2.5 s", "19.7 s", "0.13"]
    assert row[4] == "<= 20 x p95 + 1 s = 3.0 s, all kept in order: met"


def test_a_slow_or_disordered_burst_is_missed() -> None:
    baseline = _measurement()
    baseline.burst = _burst(19.7)
    slow = _measurement()
    slow.burst, slow.burst_in_order = _burst(3.5), True
    disordered = _measurement()
    disordered.burst, disordered.burst_in_order = _burst(1.0), False
    for hipguide in (slow, disordered):
        [row] = [r for r in table(hipguide, baseline) if r[0].startswith(f"{BURST} messages")]
        assert row[4].endswith("MISSED")


def test_rounds_combine_into_one_result() -> None:
    merged = combine([LoadResult(latencies=[0.1, 0.2], errors=1, elapsed=2.0),
                      LoadResult(latencies=[0.3], elapsed=1.0)])
    assert merged.latencies == [0.1, 0.2, 0.3] and merged.errors == 1 and merged.throughput == 1.0
