"""The digest of a history: the few things most worth changing, and how often each showed.

Pure functions over the findings and rows already computed (docs/risk-model.md, "Digest").
An item is a plain dict so that other modules can contribute their own:
``{id, level, evidence, title, why, advice, counts: {occurrences, of, unit}, last_date, score, files}``.
Items are ranked by ``score``: evidence weight x level rank x recency x frequency, with
every weight in the thresholds table (``digest_*``). Low items (notes) score 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from crampcheck.history.factors import HistoryFinding
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import LOW, rank, worst
from crampcheck.risk.thresholds import FACTORS

TOP_ITEMS = 3
DAYS_PER_WEEK = 7
RACE_FACTORS = ("fast_start", "positive_split")  # per-run findings the digest reads off the races
RACE_WORDS = {"fast_start": "you went out too fast", "positive_split": "you slowed in the second half"}


def score(level: str, evidence: str, last: date, occurrences: int, end: date, th: HistoryThresholds) -> float:
    """Evidence weight x level rank (low 0 ... very high 3) x recency (half-life in weeks before
    ``end``) x frequency (1 + log2 of the occurrences)."""
    weeks_ago = max((end - last).days, 0) / DAYS_PER_WEEK
    recency = 0.5 ** (weeks_ago / th.digest_recency_half_life_weeks)
    frequency = 1.0 + math.log2(max(occurrences, 1))
    return round(th.evidence_weight(evidence) * max(rank(level), 0) * recency * frequency, 4)


def _label(factor_id: str) -> str:
    info = FACTORS.get(factor_id)
    return info.label if info else factor_id.replace("_", " ")


def factor_groups(findings: Sequence[HistoryFinding], th: HistoryThresholds, end: date | None) -> list[dict[str, Any]]:
    """History findings grouped by factor (``factors`` of crampcheck.history/1), most important first.

    Each group: the worst level, the evidence, the why of its worst (then latest) occurrence, the
    advice once, and every occurrence (dates, value, file, level, why); ``score`` ranks them.
    """
    by_id: dict[str, list[HistoryFinding]] = {}
    for f in findings:
        by_id.setdefault(f.id, []).append(f)
    groups = []
    for fid, found in by_id.items():
        level = worst(f.level for f in found)
        lead = max(found, key=lambda f: (rank(f.level), f.end_date))
        judged = [f for f in found if rank(f.level) > rank(LOW)]
        last = max(f.end_date for f in judged or found)  # the last time it counted
        groups.append({
            "id": fid, "title": _label(fid), "level": level, "evidence": lead.evidence, "why": lead.why,
            "advice": lead.advice,
            "occurrences": [
                {"start_date": f.start_date.isoformat(), "end_date": f.end_date.isoformat(), "value": f.value,
                 "file": f.file, "level": f.level, "why": f.why, "unit": f.unit}
                for f in found
            ],
            "last_date": last.isoformat(),
            "score": score(level, lead.evidence, last, len(judged), end or last, th) if judged else 0.0,
        })
    return sorted(groups, key=lambda g: (-g["score"], -rank(g["level"]), g["id"]))


def race_items(races: Sequence[ActivitySummary], th: HistoryThresholds, end: date) -> list[dict[str, Any]]:
    """Digest items from the races' own findings: "you went out too fast in 4 of your last 6 races"."""
    items = []
    races = sorted(races, key=lambda r: r.start_time_utc)
    for fid in RACE_FACTORS:
        hit = [r for r in races if rank(r.key_findings.get(fid, {}).get("level")) > rank(LOW)]
        if not hit:
            continue
        level = worst(r.key_findings[fid]["level"] for r in hit)
        latest = hit[-1]
        n, of = len(hit), len(races)
        evidence = FACTORS[fid].evidence
        items.append({
            "id": fid, "title": _label(fid), "level": level, "evidence": evidence,
            "why": (f"{RACE_WORDS[fid].capitalize()} in {n} of your last {of} race{'s' if of != 1 else ''}; "
                    f"the latest on {latest.day}: {latest.key_findings[fid].get('why') or ''}").strip(),
            "advice": latest.key_findings[fid].get("advice") or "",
            "counts": {"occurrences": n, "of": of, "unit": "races"},
            "last_date": latest.day.isoformat(),
            "files": [r.file for r in hit],
            "score": score(level, evidence, latest.day, n, end, th),
        })
    return items


def _group_item(group: dict[str, Any]) -> dict[str, Any]:
    judged = [o for o in group["occurrences"] if rank(o["level"]) > rank(LOW)]
    return {
        "id": group["id"], "title": group["title"], "level": group["level"], "evidence": group["evidence"],
        "why": group["why"], "advice": group["advice"],
        "counts": {"occurrences": len(judged), "of": None, "unit": "times"},
        "last_date": group["last_date"], "files": [o["file"] for o in judged if o["file"]],
        "score": group["score"],
    }


def monthly_counts(findings: Iterable[HistoryFinding], races: Sequence[ActivitySummary]) -> list[dict[str, Any]]:
    """How often each factor showed (moderate or worse), per calendar month of its first day."""
    months: dict[str, Counter[str]] = {}
    for f in findings:
        if rank(f.level) > rank(LOW):
            months.setdefault(f.start_date.strftime("%Y-%m"), Counter())[f.id] += 1
    for r in races:
        for fid in RACE_FACTORS:
            if rank(r.key_findings.get(fid, {}).get("level")) > rank(LOW):
                months.setdefault(r.day.strftime("%Y-%m"), Counter())[fid] += 1
    return [{"month": m, "counts": dict(sorted(c.items()))} for m, c in sorted(months.items())]


def completeness(rows: Sequence[ActivitySummary], since: date | None, until: date | None) -> str | None:
    """One line when the weeks in view have holes (weeks without a run), None when they have none."""
    days = [r.day for r in rows]
    if not days:
        return None
    first, last = since or min(days), until or max(days)
    monday = first - timedelta(days=first.weekday())
    n_weeks = (last - monday).days // DAYS_PER_WEEK + 1
    with_runs = {(d - monday).days // DAYS_PER_WEEK for d in days if first <= d <= last}
    empty = n_weeks - len(with_runs)
    if empty <= 0:
        return None
    return (f"{empty} of the {n_weeks} weeks in view have no run: breaks, or files not in this scan. No weekly ramp "
            "or distance spike is judged against weeks without data; the week after a break is judged as a return.")


def build_digest(findings: Sequence[HistoryFinding], rows: Sequence[ActivitySummary], th: HistoryThresholds,
                 since: date | None, until: date | None, extra: Sequence[dict[str, Any]] = ()) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(``digest``, ``factors``) of a history view: findings and rows already limited to the view.

    ``extra``: items other modules contribute (same dict shape), ranked with the rest.
    """
    days = [r.day for r in rows]
    end = until or (max(days) if days else None) or max((f.end_date for f in findings), default=date.today())
    groups = factor_groups(findings, th, end)
    races = [r for r in rows if r.is_race]
    from_races = race_items(races, th, end)
    items = [_group_item(g) for g in groups] + from_races + list(extra)
    items = [i for i in items if i["score"] > 0]
    items.sort(key=lambda i: (-i["score"], -rank(i["level"]), i["id"]))
    notes = [("Ranked by evidence x level x how recent x how often. Single-run distance spikes weigh more than "
              "weekly ramps: in a cohort of 5,200 runners, a run longer than the longest of the last 30 days was "
              "associated with injury, week-to-week and acute:chronic changes were not [frandsen2025].")]
    hole = completeness(rows, since, until)
    if hole:
        notes.append(hole)
    first = since or (min(days) if days else None)
    digest = {
        "since": first.isoformat() if first else None,
        "until": end.isoformat() if end else None,
        "weeks": ((end - first).days // DAYS_PER_WEEK + 1) if first and end else 0,
        "top": items[:TOP_ITEMS],
        "monthly": monthly_counts(findings, races),
        "notes": notes,
    }
    return digest, groups
