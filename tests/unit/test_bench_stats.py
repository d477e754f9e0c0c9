"""The bench's statistics: nearest-rank percentiles and per-event figures."""

import math

import pytest

from bench.stats import cpu_ms_per_event, format_table, kb_per_tab, percentile, summarize


def test_percentiles_are_nearest_rank_samples() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100; the order must not matter
    shuffled = values[::-1]
    assert percentile(shuffled, 0.50) == 50.0
    assert percentile(shuffled, 0.95) == 95.0
    assert percentile(shuffled, 0.99) == 99.0
    assert percentile(shuffled, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([1.0, 2.0, 3.0], 0.0) == 1.0


def test_percentile_of_nothing_is_nan_and_fractions_are_checked() -> None:
    assert math.isnan(percentile([], 0.5))
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        percentile([1.0], 95)


def test_summary_converts_to_milliseconds_and_counts_the_backlog() -> None:
    summary = summarize("like", [0.010, 0.020, 0.030, 0.040], due=5, seconds=2.0)
    assert (summary.p50_ms, summary.p95_ms, summary.max_ms) == (20.0, 40.0, 40.0)
    assert summary.completed == 4
    assert summary.backlog == 1
    assert summary.per_second == 2.0


def test_cost_per_event_and_per_tab() -> None:
    assert cpu_ms_per_event(1.5, 500) == 3.0
    assert math.isnan(cpu_ms_per_event(1.0, 0))
    assert kb_per_tab(100 * 1024, 300 * 1024, 2) == 100.0


def test_table_columns_line_up() -> None:
    table = format_table([["a", "bb"], ["ccc", "d"]])
    assert table.splitlines() == ["a    bb", "ccc  d"]
