"""Weekly summary over ISO weeks (Monday to Sunday, by the local start day of each run)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary

M_PER_KM = 1000.0


@dataclass
class WeekSummary:
    week: str  # ISO week label, "2024-W05"
    start_date: date  # the Monday
    volume_km: float
    runs: int
    long_run_km: float
    ramp_ratio: float | None  # volume / mean of the previous weeks; None unless every baseline week has a run
    baseline_km: float | None  # that mean
    flags: list[str] = field(default_factory=list)  # ids of history findings touching this week

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week, "start_date": self.start_date.isoformat(),
            "volume_km": round(self.volume_km, 3), "runs": self.runs,
            "long_run_km": round(self.long_run_km, 3),
            "ramp_ratio": None if self.ramp_ratio is None else round(self.ramp_ratio, 3),
            "baseline_km": None if self.baseline_km is None else round(self.baseline_km, 3),
            "flags": list(self.flags),
        }


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_summary(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> list[WeekSummary]:
    """One entry per ISO week from the first run's week to the last one's (empty weeks included,
    since a week off is part of the load history)."""
    days = [r.day for r in rows if r.day is not None]
    if not days:
        return []
    first, last = monday(min(days)), monday(max(days))
    n_weeks = (last - first).days // 7 + 1
    volume = [0.0] * n_weeks
    runs = [0] * n_weeks
    longest = [0.0] * n_weeks
    for r in rows:
        if r.day is None:
            continue
        i = (monday(r.day) - first).days // 7
        volume[i] += r.distance_m
        runs[i] += 1
        longest[i] = max(longest[i], r.distance_m)
    weeks = []
    n_base = th.weekly_ramp_chronic_weeks
    for i in range(n_weeks):
        ratio = baseline = None
        if i >= n_base:
            baseline = sum(volume[i - n_base:i]) / n_base / M_PER_KM
            if all(runs[i - n_base:i]):  # no ramp against weeks without data (a break, a gap)
                ratio = volume[i] / M_PER_KM / baseline
        start = first + timedelta(weeks=i)
        weeks.append(WeekSummary(
            week=iso_label(start), start_date=start, volume_km=volume[i] / M_PER_KM, runs=runs[i],
            long_run_km=longest[i] / M_PER_KM, ramp_ratio=ratio, baseline_km=baseline,
        ))
    return weeks


def flag_weeks(weeks: Sequence[WeekSummary], findings: Sequence[Any]) -> None:
    """Add each finding's id to the weeks with runs its dates touch (in place, each id once per
    week): a return's first 7 days may reach into a week without a run, which is no week to flag."""
    for week in weeks:
        if not week.runs:
            continue
        end = week.start_date + timedelta(days=6)
        for f in findings:
            if f.start_date <= end and f.end_date >= week.start_date and f.id not in week.flags:
                week.flags.append(f.id)
