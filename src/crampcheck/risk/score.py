"""Combine findings into two sub-scores (overload, electrolyte) and an overall level.

Levels only, never a probability. The rule, in order:

1. Each sub-score is the HIGHEST level among its findings (``low`` when it has none).
   Findings are not counted up: the factors inside one sub-score share causes (a fast start,
   a late fade and late surges are one story; so are heat, the hot hour and a long hot run),
   and counting them would count one cause several times. The one combination the model
   names, long + hot, is its own factor (``long_hot_run``). A "very high" history finding
   (distance_spike) counts as high here.
2. A heavy or salty sweater raises the electrolyte sub-score one notch, when the run has at
   least one electrolyte/heat finding (otherwise there is nothing for the sweat to add to).
3. Past cramps, the strongest known predictor (Schwellnus 2011), raise every level one notch:
   each finding (``raised_by`` set), each sub-score and the overall level. High stays high.
4. The overall level is the higher of the two sub-scores; its reasons are those of the
   sub-score(s) at that level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import LEVELS, SUBSCORES, Finding, Scores
from crampcheck.risk.thresholds import FACTORS

VERY_HIGH = "very high"
RANK = {level: i for i, level in enumerate(LEVELS)} | {VERY_HIGH: len(LEVELS)}
TOP = LEVELS[-1]
PAST_CRAMPS_REASON = "past cramps (the strongest known predictor): raised one level"
NOTHING_FLAGGED = "no factor flagged"


def raise_level(level: str) -> str:
    """One notch up: low -> moderate -> high; high and very high stay."""
    rank = RANK[level]
    return level if rank >= RANK[TOP] else LEVELS[rank + 1]


def highest(levels: Sequence[str]) -> str:
    """Highest of ``levels`` capped at high; low when empty."""
    if not levels:
        return LEVELS[0]
    return min(max(levels, key=RANK.__getitem__), TOP, key=RANK.__getitem__)


def _label(finding: Finding) -> str:
    info = FACTORS.get(finding.id)
    return f"{info.label if info else finding.id.replace('_', ' ')} ({finding.level})"


def score(findings: Sequence[Finding], profile: RunnerProfile) -> tuple[list[Finding], Scores]:
    """(findings, possibly raised by past cramps, in the same order; the scores) — see the module rule."""
    levels: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    for sub in SUBSCORES:
        own = [f for f in findings if f.subscore == sub]
        level = highest([f.level for f in own])
        levels[sub] = level
        drivers = [_label(f) for f in own if highest([f.level]) == level]
        reasons[sub] = drivers or [NOTHING_FLAGGED]

    sweater = [word for word, flag in (("heavy", profile.heavy_sweater), ("salty", profile.salty_sweater)) if flag]
    if sweater and any(f.subscore == "electrolyte" for f in findings):
        levels["electrolyte"] = raise_level(levels["electrolyte"])
        reasons["electrolyte"].append(f"{' and '.join(sweater)} sweater: electrolyte sub-score raised one level")

    if profile.past_cramps:
        findings = [replace(f, level=raise_level(f.level), raised_by=PAST_CRAMPS_REASON) for f in findings]
        for sub in SUBSCORES:
            levels[sub] = raise_level(levels[sub])
            reasons[sub].append(PAST_CRAMPS_REASON)

    overall = highest(list(levels.values()))
    overall_reasons: list[str] = []
    for sub in SUBSCORES:
        if levels[sub] == overall:
            overall_reasons += [r for r in reasons[sub] if r not in overall_reasons and r != NOTHING_FLAGGED]
    reasons["overall"] = overall_reasons or [NOTHING_FLAGGED]
    return list(findings), Scores(overall=overall, overload=levels["overload"], electrolyte=levels["electrolyte"], reasons=reasons)
