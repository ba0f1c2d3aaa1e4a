"""Result types of the risk layer: findings with levels and reasons, never probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field

EVIDENCE = ("strong", "moderate", "weak", "expert-opinion")
SUBSCORES = ("overload", "electrolyte")


@dataclass(frozen=True)
class Finding:
    id: str  # factor id from docs/risk-model (fast_start, heat, ...)
    level: str  # low | moderate | high
    subscore: str  # overload | electrolyte
    evidence: str  # strong | moderate | weak | expert-opinion
    value: float | None  # the measured value, in the unit of the threshold
    threshold: float | None  # the threshold that was crossed
    unit: str  # unit of value/threshold: "%", "min", "degC", "m/km", "count"...
    why: str  # one sentence with the numbers
    advice: str
    at_s: float | list[float] | None = None  # where in the run (moving seconds), if it has a place
    at_m: float | list[float] | None = None  # where in the run (metres), if it has a place
    raised_by: str | None = None  # e.g. "past cramps: raised one level"


@dataclass(frozen=True)
class NotJudged:
    id: str
    reason: str


@dataclass(frozen=True)
class Scores:
    overall: str
    overload: str
    electrolyte: str
    reasons: dict[str, list[str]] = field(default_factory=dict)  # sub-score -> reasons


@dataclass(frozen=True)
class FluidPlan:
    """Fluid plan lines, each already in both unit systems."""

    before: list[str]
    during: list[str]
    after: list[str]
    sweat_rate_l_h: float | None = None


@dataclass
class Assessment:
    findings: list[Finding]  # most important first
    scores: Scores
    not_judged: list[NotJudged]
    fluid_plan: FluidPlan | None = None
