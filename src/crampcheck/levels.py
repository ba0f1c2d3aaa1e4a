"""Risk levels: their names, their order, and the one banding rule every factor uses.

Levels, never probabilities. A run's findings and scores are low, moderate or high; "very
high" exists only for a history's distance spike.

Banding follows the thresholds table's words: a "more than" threshold is strict, an "at
least" threshold inclusive, and both compare after float rounding (1.02 / 1 - 1 is
2.0000000000000018 %, which is "at" 2 %: it reaches 2 % and does not exceed it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

LOW, MODERATE, HIGH, VERY_HIGH = "low", "moderate", "high", "very high"
LEVELS = (LOW, MODERATE, HIGH)  # a run's levels, in order
RANK = {LOW: 0, MODERATE: 1, HIGH: 2, VERY_HIGH: 3}
REL_TOL, ABS_TOL = 1e-9, 1e-9


def rank(level: str | None) -> int:
    """Position of ``level`` in the order (low 0 ... very high 3); -1 for anything else."""
    return RANK.get(level, -1)  # type: ignore[arg-type]


def worst(levels: Iterable[str], default: str | None = None) -> str | None:
    """The highest-ranked of ``levels`` (the first of equals); ``default`` when there are none."""
    return max(levels, key=rank, default=default)


def exceeds(value: float, threshold: float) -> bool:
    """``value > threshold``, a value equal to the threshold up to float rounding NOT exceeding it."""
    return value > threshold and not math.isclose(value, threshold, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def reaches(value: float, threshold: float) -> bool:
    """``value >= threshold``, a value equal to the threshold up to float rounding reaching it."""
    return value >= threshold or math.isclose(value, threshold, rel_tol=REL_TOL, abs_tol=ABS_TOL)


class Step(NamedTuple):
    """One band edge: ``level`` when the value crosses ``threshold``."""

    level: str
    threshold: float
    inclusive: bool

    def crossed_by(self, value: float) -> bool:
        return reaches(value, self.threshold) if self.inclusive else exceeds(value, self.threshold)


def more_than(level: str, threshold: float) -> Step:
    return Step(level, threshold, inclusive=False)


def at_least(level: str, threshold: float) -> Step:
    return Step(level, threshold, inclusive=True)


def band(value: float, *steps: Step) -> tuple[str | None, float | None]:
    """(level, threshold) of the first of ``steps`` (worst first) that ``value`` crosses;
    (None, None) when it crosses none."""
    for step in steps:
        if step.crossed_by(value):
            return step.level, step.threshold
    return None, None
