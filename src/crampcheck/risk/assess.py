"""One run's assessment: every factor, the scores, what could not be judged, the fluid plan."""

from __future__ import annotations

from collections.abc import Sequence

from crampcheck.levels import rank
from crampcheck.metrics.model import RunMetrics
from crampcheck.risk.advice import fluid_plan
from crampcheck.risk.config import Config
from crampcheck.risk.datachecks import unjudged
from crampcheck.risk.factors import FACTOR_FUNCTIONS
from crampcheck.risk.model import EVIDENCE, Assessment, Finding, NotJudged
from crampcheck.risk.score import score


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Most important first: higher level, then stronger evidence; ties keep their order."""
    return sorted(findings, key=lambda f: (-rank(f.level), EVIDENCE.index(f.evidence)))


def assess(metrics: RunMetrics, config: Config, extra: Sequence[Finding] = ()) -> Assessment:
    """Run every per-run factor on ``metrics`` and combine them (with any ``extra`` findings,
    e.g. history factors) into levels with reasons.

    A factor that a data warning of ``metrics`` would decide is not judged (risk/datachecks.py).
    The fluid plan is attached whenever an electrolyte/heat finding is raised, or when the
    weights and fluid given allow a sweat rate.
    """
    findings: list[Finding] = []
    not_judged: list[NotJudged] = []
    faulty = unjudged(metrics.data_warnings)
    for factor in FACTOR_FUNCTIONS:
        result = factor(metrics, config.thresholds, config.profile)
        if factor.__name__ in faulty:  # bad data would decide this factor
            result = NotJudged(factor.__name__, faulty[factor.__name__])
        if isinstance(result, NotJudged):
            not_judged.append(result)
        else:
            findings.extend(result)
    findings, scores = score([*findings, *extra], config.profile)
    plan = fluid_plan(metrics.elapsed_time_s, config.profile, config.thresholds, metrics.units)
    wanted = any(f.subscore == "electrolyte" for f in findings) or plan.sweat_rate_l_h is not None
    return Assessment(findings=sort_findings(findings), scores=scores, not_judged=not_judged, fluid_plan=plan if wanted else None)
