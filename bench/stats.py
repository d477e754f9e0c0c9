"""Latency percentiles and per-scenario summaries (pure functions, unit-tested)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (`fraction` in 0..1); NaN when empty.

    Nearest rank never invents a value between two samples, so p99 of 100 samples is
    the 99th smallest, not an interpolation.
    """
    if not values:
        return math.nan
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within 0..1, got {fraction}")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """What one scenario of a run achieved."""

    name: str
    due: int
    completed: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        """Completed events per second of measured time."""
        return self.completed / self.seconds if self.seconds > 0 else 0.0

    @property
    def backlog(self) -> int:
        """Events due but never answered within the run (a growing queue)."""
        return self.due - self.completed


def summarize(name: str, latencies_s: Sequence[float], due: int, seconds: float) -> Summary:
    """Percentiles in milliseconds of the completed events' latencies (in seconds)."""
    millis = [value * 1000.0 for value in latencies_s]
    return Summary(
        name=name,
        due=due,
        completed=len(millis),
        seconds=seconds,
        p50_ms=percentile(millis, 0.50),
        p95_ms=percentile(millis, 0.95),
        p99_ms=percentile(millis, 0.99),
        max_ms=max(millis) if millis else math.nan,
    )


def cpu_ms_per_event(cpu_seconds: float, events: int) -> float:
    """Server process CPU time divided by the events it completed, in milliseconds."""
    return cpu_seconds * 1000.0 / events if events else math.nan


def kb_per_tab(rss_before: int, rss_after: int, tabs: int) -> float:
    """Growth of server memory (bytes) per hydrated tab, in KB."""
    return (rss_after - rss_before) / 1024.0 / tabs if tabs else math.nan


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(line.rstrip() for line in lines)
