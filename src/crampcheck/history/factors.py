"""History factors (docs/risk-model.md, "History factors"): pure functions over summary rows.

Every function takes rows sorted by start time (``ActivitySummary``) and the thresholds in
force, and returns ``HistoryFinding``s. Rows without a start time cannot be placed and are
left out by the caller.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import numpy as np

from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import HIGH, LOW, MODERATE, VERY_HIGH, at_least, band, exceeds, more_than
from crampcheck.risk.thresholds import FACTORS
from crampcheck.units import format_distance, format_pace

MIN_RUNS_FOR_QUARTILE = 8  # fewer runs than this: "the runner's own top quartile" is not judged
M_PER_KM = 1000.0
HISTORY_FACTOR_IDS = ("distance_spike", "weekly_ramp", "return_after_break", "hard_streak", "no_rest", "race_overreach")  # found here
S_PER_MIN = 60.0


@dataclass(frozen=True)
class HistoryFinding:
    """One history flag: what, how bad, over which days, and why (own words)."""

    id: str
    level: str  # low (return_after_break only) | moderate | high | very high (distance_spike only)
    evidence: str  # strong | moderate | weak | expert-opinion
    start_date: date
    end_date: date
    value: float | None  # None: nothing to measure (the start of the data)
    threshold: float | None
    unit: str  # unit of value and threshold: "%", "ratio", "days"
    why: str
    advice: str
    file: str | None = None  # the run it is about, when it is about one run
    subscore: str = "overload"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["start_date"] = self.start_date.isoformat()
        out["end_date"] = self.end_date.isoformat()
        return out


def _dist(m: float, units: str) -> str:
    """A distance in the report's unit system, as a runner reads it ("12.4 mi")."""
    return format_distance(m, units, 1)


# --- distance_spike -------------------------------------------------------------------------
def distance_spike(rows: Sequence[ActivitySummary], th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """Each run vs the longest run of the previous ``distance_spike_window_days``.

    A run is judged only when the history covers the whole window before it and that window
    holds at least one run (after a break there is nothing to compare with).
    """
    window = timedelta(days=th.distance_spike_window_days)
    bands = (
        more_than(VERY_HIGH, th.distance_spike_very_high_pct),
        more_than(HIGH, th.distance_spike_high_pct),
        more_than(MODERATE, th.distance_spike_moderate_pct),
    )
    out: list[HistoryFinding] = []
    if not rows:
        return out
    first = rows[0].start_time_utc
    longest_first: deque[int] = deque()  # indices of the window's runs, distances decreasing: a sliding max
    added = 0
    for row in rows:
        t = row.start_time_utc
        while added < len(rows) and rows[added].start_time_utc < t:  # every earlier run enters once
            while longest_first and rows[longest_first[-1]].distance_m <= rows[added].distance_m:
                longest_first.pop()
            longest_first.append(added)
            added += 1
        while longest_first and rows[longest_first[0]].start_time_utc < t - window:  # and leaves once
            longest_first.popleft()
        if t - first < window:
            continue
        longest = rows[longest_first[0]].distance_m if longest_first else 0.0
        if longest <= 0:
            continue
        pct = (row.distance_m / longest - 1.0) * 100.0
        level, threshold = band(pct, *bands)
        if level is None:
            continue
        out.append(HistoryFinding(
            id="distance_spike", level=level, evidence=FACTORS["distance_spike"].evidence,
            start_date=row.day, end_date=row.day, value=round(pct, 1), threshold=threshold, unit="%",
            why=(f"{_dist(row.distance_m, units)} on {row.day}: {pct:.0f} % longer than the longest run of the "
                 f"previous {th.distance_spike_window_days} days ({_dist(longest, units)}). Single runs longer than "
                 "the longest of the last 30 days are the load change most clearly tied to injury [frandsen2025]."),
            advice=("Lengthen the long run a little at a time (about a tenth per step), keep the pace "
                    "easy when the distance is new, and carry fluids on it."),
            file=row.file,
        ))
    return out


# --- weekly_ramp ----------------------------------------------------------------------------
def weekly_ramp(weeks: Sequence[Any], th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """Weeks whose ramp ratio (volume / mean of the previous weeks) crosses the thresholds.

    ``weeks`` are ``weekly.WeekSummary`` items (their ``ramp_ratio`` already computed, None when
    a week of the baseline has no data: a break is judged by ``return_after_break``).
    """
    bands = (at_least(HIGH, th.weekly_ramp_high_ratio), more_than(MODERATE, th.weekly_ramp_moderate_ratio))
    out: list[HistoryFinding] = []
    for week in weeks:
        if week.ramp_ratio is None:
            continue
        level, threshold = band(week.ramp_ratio, *bands)
        if level is None:
            continue
        out.append(HistoryFinding(
            id="weekly_ramp", level=level, evidence=FACTORS["weekly_ramp"].evidence,
            start_date=week.start_date, end_date=week.start_date + timedelta(days=6),
            value=round(week.ramp_ratio, 2), threshold=threshold, unit="ratio",
            why=(f"Week {week.week}: {_dist(week.volume_km * M_PER_KM, units)}, {week.ramp_ratio:.2f} times the mean "
                 f"of the previous {th.weekly_ramp_chronic_weeks} weeks ({_dist(week.baseline_km * M_PER_KM, units)}). "
                 "Weak evidence, disputed: week-to-week ratios were not associated with injury where single-run spikes "
                 "were [frandsen2025]; read it as a quick rise in load."),
            advice=("Raise weekly volume gradually, follow a big week with an easier one, and plan a "
                    "lighter week every few weeks."),
        ))
    return out


# --- hard_streak ----------------------------------------------------------------------------
def hard_days(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> set[date]:
    """Days with at least one hard run: intensity in the runner's own top quartile
    (and above their median, so a runner whose runs are all alike has no hard days), or long."""
    speeds = np.array([r.intensity_speed_m_s for r in rows if r.intensity_speed_m_s], dtype=float)
    cut = median = None
    if len(speeds) >= MIN_RUNS_FOR_QUARTILE:
        cut = float(np.quantile(speeds, th.hard_quantile))
        median = float(np.median(speeds))
    days = set()
    for r in rows:
        fast = cut is not None and r.intensity_speed_m_s is not None and r.intensity_speed_m_s >= cut and r.intensity_speed_m_s > median
        long = r.moving_time_s >= th.long_run_moderate_min * S_PER_MIN
        if fast or long:
            days.add(r.day)
    return days


def _streaks(days: set[date]) -> list[tuple[date, date, int]]:
    """Runs of consecutive calendar days: (first, last, length)."""
    out = []
    for d in sorted(days):
        if out and d - out[-1][1] == timedelta(days=1):
            out[-1] = (out[-1][0], d, out[-1][2] + 1)
        else:
            out.append((d, d, 1))
    return out


def hard_streak(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> list[HistoryFinding]:
    """Consecutive hard days."""
    bands = (at_least(HIGH, th.hard_streak_high_days), at_least(MODERATE, th.hard_streak_moderate_days))
    out = []
    for first, last, n in _streaks(hard_days(rows, th)):
        level, threshold = band(n, *bands)
        if level is None:
            continue
        out.append(HistoryFinding(
            id="hard_streak", level=level, evidence=FACTORS["hard_streak"].evidence,
            start_date=first, end_date=last, value=float(n), threshold=float(threshold), unit="days",
            why=(f"{n} hard days in a row from {first} to {last} (hard: among your own fastest quarter "
                 f"of runs, or {th.long_run_moderate_min:.0f} min or longer)."),
            advice="Put an easy day or a rest day between hard sessions and long runs.",
        ))
    return out


# --- no_rest --------------------------------------------------------------------------------
def no_rest(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> list[HistoryFinding]:
    """Stretches of consecutive days with a run (a rest day is a day without one)."""
    bands = (at_least(HIGH, th.no_rest_high_days), at_least(MODERATE, th.no_rest_moderate_days))
    out = []
    for first, last, n in _streaks({r.day for r in rows}):
        level, threshold = band(n, *bands)
        if level is None:
            continue
        out.append(HistoryFinding(
            id="no_rest", level=level, evidence=FACTORS["no_rest"].evidence,
            start_date=first, end_date=last, value=float(n), threshold=float(threshold), unit="days",
            why=f"{n} days in a row with a run, from {first} to {last}, without a rest day.",
            advice="Plan at least one full rest day a week; muscles recover and adapt on rest days.",
        ))
    return out


# --- race_overreach -------------------------------------------------------------------------
def riegel_s(time_s: float, distance_m: float, target_m: float, exponent: float) -> float:
    """Riegel's endurance formula: the time over ``target_m`` predicted from ``time_s`` over
    ``distance_m`` [riegel1981]."""
    return time_s * (target_m / distance_m) ** exponent


def supported_speed_m_s(effort_m_s: float, effort_s: float, distance_m: float, exponent: float) -> float:
    """The race speed a training effort (``effort_m_s`` held for ``effort_s``) predicts over
    ``distance_m`` by Riegel's formula: slower than the effort over a longer
    distance, faster over a shorter one."""
    effort_m = effort_m_s * effort_s
    if effort_m <= 0 or distance_m <= 0:
        return effort_m_s
    return distance_m / riegel_s(effort_s, effort_m, distance_m, exponent)


def race_overreach_one(race: ActivitySummary, rows: Sequence[ActivitySummary],
                       th: HistoryThresholds, units: str = "km") -> HistoryFinding | None:
    """One race vs the training runs (non-races) of the previous weeks.

    Flags a race run more than ``race_overreach_pace_pct`` faster than the best sustained
    (>= 20 moving min) training effort predicts at the race's distance (read as the pace of a
    ``race_overreach_effort_min`` race, then Riegel), or longer than
    the longest training run by more than ``race_overreach_distance_pct``: one reason is
    moderate, both are high. None when there is no training in the window.
    """
    t = race.start_time_utc
    if t is None:
        return None
    window = timedelta(weeks=th.race_overreach_window_weeks)
    training = [r for r in rows if not r.is_race and r.start_time_utc is not None
                and t - window <= r.start_time_utc < t]
    if not training:
        return None
    reasons, value, threshold, unit = [], None, None, "%"
    weeks = th.race_overreach_window_weeks
    best = max((r.best_sustained_speed_m_s for r in training if r.best_sustained_speed_m_s), default=None)
    if best:
        supported = supported_speed_m_s(best, th.race_overreach_effort_min * 60.0, race.distance_m, th.riegel_exponent)
        pct = (race.avg_speed_m_s / supported - 1.0) * 100.0
        if exceeds(pct, th.race_overreach_pace_pct):
            reasons.append(f"its average pace ({format_pace(race.avg_speed_m_s, units)}) is {pct:.1f} % faster than your "
                           f"training supports over {_dist(race.distance_m, units)} ({format_pace(supported, units)}: your "
                           f"best effort of {th.race_overreach_sustained_min:.0f} minutes or more in the previous {weeks} "
                           f"weeks, {format_pace(best, units)}, read as {th.race_overreach_effort_min:.0f}-minute race "
                           "pace and carried to the distance)")
            value, threshold = round(pct, 1), th.race_overreach_pace_pct
    longest = max(r.distance_m for r in training)
    if longest > 0:
        pct_d = (race.distance_m / longest - 1.0) * 100.0
        if exceeds(pct_d, th.race_overreach_distance_pct):
            reasons.append(f"its distance ({_dist(race.distance_m, units)}) is {pct_d:.0f} % longer than the longest "
                           f"training run of the previous {weeks} weeks ({_dist(longest, units)})")
            if value is None:
                value, threshold = round(pct_d, 1), th.race_overreach_distance_pct
    if not reasons:
        return None
    return HistoryFinding(
        id="race_overreach", level=HIGH if len(reasons) > 1 else MODERATE, evidence=FACTORS["race_overreach"].evidence,
        start_date=race.day, end_date=race.day, value=value, threshold=threshold, unit=unit,
        why=f"Race on {race.day}: " + "; ".join(reasons) + ".",
        advice=("Choose a race pace you have held in training, start at or below it, and keep any "
                "faster running for the last part; build the long run before a longer race."),
        file=race.file,
    )


def race_overreach(rows: Sequence[ActivitySummary], th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """race_overreach for every race in the rows."""
    found = (race_overreach_one(r, rows, th, units) for r in rows if r.is_race)
    return [f for f in found if f is not None]


# --- return_after_break ---------------------------------------------------------------------
RETURN_ADVICE = ("Come back at about half to three quarters of your usual week and build over two or three "
                 "weeks; keep the first runs easy and shorter than your old long run.")
START_ADVICE = ("Nothing to change: the history starts here. Scan older files too if you have them, so that "
                "the first weeks are judged against what came before.")
DAYS_PER_WEEK = 7


def _volume(rows: Sequence[ActivitySummary], first: date, last: date) -> float:
    """Metres run from ``first`` to ``last`` (days, inclusive)."""
    return sum(r.distance_m for r in rows if first <= r.day <= last)


def return_after_break(rows: Sequence[ActivitySummary], th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """The first run after ``break_min_weeks`` or more without a run, and the start of the data.

    A break: its first week back is compared with the mean week of the four weeks before the
    break (low when eased in, moderate / high from ``return_moderate_pct`` / ``return_high_pct``
    of it), when runs fell in at least ``return_min_base_weeks`` of those weeks (else a low
    note). The start of the data: a low note that the weeks before are unknown.
    """
    if not rows:
        return []
    days = sorted({r.day for r in rows})
    week = timedelta(days=DAYS_PER_WEEK - 1)
    out = [HistoryFinding(
        id="return_after_break", level=LOW, evidence=FACTORS["return_after_break"].evidence,
        start_date=days[0], end_date=days[0] + week, value=None, threshold=None, unit="%",
        why=(f"Your data starts on {days[0]}: the weeks before are unknown, so the first "
             f"{th.weekly_ramp_chronic_weeks} weeks are not judged for a weekly ramp."),
        advice=START_ADVICE,
    )]
    bands = (at_least(HIGH, th.return_high_pct), at_least(MODERATE, th.return_moderate_pct))
    n_base = th.weekly_ramp_chronic_weeks
    for before, after in pairwise(days):
        off = (after - before).days - 1
        if off < th.break_min_weeks * DAYS_PER_WEEK:
            continue
        weeks_off = off // DAYS_PER_WEEK
        first_base = before - timedelta(days=n_base * DAYS_PER_WEEK - 1)
        base = _volume(rows, first_base, before) / n_base
        base_weeks = len({(d - first_base).days // DAYS_PER_WEEK for d in days if first_base <= d <= before})
        back = _volume(rows, after, after + week)
        share = back / base * 100.0 if base > 0 and base_weeks >= th.return_min_base_weeks else None
        level, threshold = band(share, *bands) if share is not None else (None, None)
        level = level or LOW
        if share is None:
            judged = (f"before the break you ran in only {base_weeks} of {n_base} weeks, too little to compare with; "
                      "build up as after any layoff")
            measured = ""
        else:
            judged = {HIGH: "as much as before the break or more", MODERATE: "close to your week before the break",
                      LOW: "eased in"}[level]
            measured = f", {share:.0f} % of your mean week before the break ({_dist(base, units)})"
        out.append(HistoryFinding(
            id="return_after_break", level=level, evidence=FACTORS["return_after_break"].evidence,
            start_date=after, end_date=after + week, value=None if share is None else round(share, 1),
            threshold=threshold if threshold is not None else th.return_moderate_pct, unit="%",
            why=(f"Back on {after} after {weeks_off} weeks off: {_dist(back, units)} in the first week{measured}: "
                 f"{judged}. No weekly ramp is judged against the weeks without data."),
            advice=RETURN_ADVICE,
            file=next((r.file for r in rows if r.day == after), None),
        ))
    return out


def history_findings(rows: Sequence[ActivitySummary], weeks: Sequence[Any],
                     th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """All history factors, in date order (rows sorted by start time, all with a start)."""
    from crampcheck.history.heat import heat_unacclimatized  # its own module (it imports HistoryFinding from here)

    found = [*distance_spike(rows, th, units), *weekly_ramp(weeks, th, units), *hard_streak(rows, th),
             *no_rest(rows, th), *race_overreach(rows, th, units), *return_after_break(rows, th, units),
             *heat_unacclimatized(rows, th, units)]
    return sorted(found, key=lambda f: (f.start_date, f.end_date, f.id))
