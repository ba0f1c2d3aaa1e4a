"""Combine findings into two sub-scores (overload, electrolyte) and an overall level.

Levels only, never a probability. The rule, in order:

1. Each sub-score is the HIGHEST level that its findings carry into the score. Findings are
   not counted up: the factors inside one sub-score share causes (a fast start, a late fade
   and late surges are one story; so are heat, the hot hour and a long hot run), and counting
   them would count one cause several times. The one combination the model names, long +
   hot, is its own factor (``long_hot_run``). A "very high" history finding (distance_spike)
   counts as high here.
2. A finding whose evidence is weak or expert opinion carries at most ``moderate`` into the
   score: on its own it can never make a sub-score or the overall level high (surges alone do
   not make a recovery jog a high-risk run). Low findings are notes: they never raise a score
   above low, and reports show them apart from the findings that set the level.
3. A heavy or salty sweater raises the electrolyte sub-score one notch, when the run has at
   least one electrolyte/heat finding of at least moderate level.
4. The overall level is the higher of the two sub-scores; its reasons are those of the
   sub-score(s) at that level.
5. Past cramps, the strongest known predictor (Schwellnus 2011), raise the overall level one
   notch, once, and only when an overload finding of moderate or strong evidence is at least
   moderate: a history of cramping makes a run that overloaded the muscles a bigger concern,
   it does not make every run risky. Findings keep their own levels; the reasons say it.
"""

from __future__ import annotations

from collections.abc import Sequence

from crampcheck.levels import HIGH, LEVELS, MODERATE, RANK
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import SUBSCORES, Finding, Scores
from crampcheck.risk.thresholds import FACTORS

SOFT_EVIDENCE = ("weak", "expert-opinion")  # such findings carry at most MODERATE into a score
FIRM_EVIDENCE = ("strong", "moderate")
PAST_CRAMPS_REASON = "past cramps (the strongest known predictor) with an overload factor of firm evidence: overall raised one level"
NOTHING_FLAGGED = "no factor flagged"


def raise_level(level: str) -> str:
    """One notch up: low -> moderate -> high; high and very high stay."""
    rank = RANK[level]
    return level if rank >= RANK[HIGH] else LEVELS[rank + 1]


def highest(levels: Sequence[str]) -> str:
    """Highest of ``levels`` capped at high; low when empty."""
    if not levels:
        return LEVELS[0]
    return min(max(levels, key=RANK.__getitem__), HIGH, key=RANK.__getitem__)


def carried_level(finding: Finding) -> str:
    """The level a finding carries into the scores: capped at moderate for weak or
    expert-opinion evidence (rule 2)."""
    level = highest([finding.level])
    if finding.evidence in SOFT_EVIDENCE and RANK[level] > RANK[MODERATE]:
        return MODERATE
    return level


def _label(finding: Finding) -> str:
    info = FACTORS.get(finding.id)
    label = f"{info.label if info else finding.id.replace('_', ' ')} ({finding.level}"
    if carried_level(finding) != highest([finding.level]):
        label += f", {finding.evidence} evidence: counts as {carried_level(finding)}"
    return label + ")"


def score(findings: Sequence[Finding], profile: RunnerProfile) -> tuple[list[Finding], Scores]:
    """(the findings, unchanged; the scores) — see the module rule."""
    levels: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    for sub in SUBSCORES:
        own = [f for f in findings if f.subscore == sub]
        level = highest([carried_level(f) for f in own])
        levels[sub] = level
        drivers = [_label(f) for f in own if level != LEVELS[0] and carried_level(f) == level]
        reasons[sub] = drivers or [NOTHING_FLAGGED]

    sweater = [word for word, flag in (("heavy", profile.heavy_sweater), ("salty", profile.salty_sweater)) if flag]
    if sweater and levels["electrolyte"] != LEVELS[0]:
        levels["electrolyte"] = raise_level(levels["electrolyte"])
        reasons["electrolyte"].append(f"{' and '.join(sweater)} sweater: electrolyte sub-score raised one level")

    overall = highest(list(levels.values()))
    overall_reasons: list[str] = []
    for sub in SUBSCORES:
        if levels[sub] == overall:
            overall_reasons += [r for r in reasons[sub] if r not in overall_reasons and r != NOTHING_FLAGGED]
    firm_overload = any(
        f.subscore == "overload" and f.evidence in FIRM_EVIDENCE and RANK[highest([f.level])] >= RANK[MODERATE]
        for f in findings
    )
    if profile.past_cramps and firm_overload and overall != HIGH:
        overall = raise_level(overall)
        reason = PAST_CRAMPS_REASON
        if profile.past_cramps_reason:
            reason = f"{reason} ({profile.past_cramps_reason})"
        overall_reasons.append(reason)
    reasons["overall"] = overall_reasons or [NOTHING_FLAGGED]
    return list(findings), Scores(overall=overall, overload=levels["overload"], electrolyte=levels["electrolyte"], reasons=reasons)
