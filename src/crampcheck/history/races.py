"""Race detection and the races report (docs/risk-model.md, "race").

A run is a race by, in order: its file's or export's own marking ("file" / "export"), its
name ("name"), being one of the files the user named ("given"), or a heuristic
("heuristic": a standout effort at a standard distance, GPS-long courses allowed).
``races(history)`` ranks the races a scan found, with fast_start, positive_split and
race_overreach, worst first by how far the start exceeded its threshold, each with its
finish time, the runner's earlier races at that distance, the personal best and a predicted
time (Riegel) from the runner's recent best efforts; ``scan_races(path)`` scans once.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from crampcheck.history.factors import riegel_s
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.result import HistoryResult, RaceEntry, RacesResult
from crampcheck.history.summary import KEY_FINDINGS, ActivitySummary
from crampcheck.levels import LOW, rank, worst
from crampcheck.racenames import TRAINING_NAME_RE, says_race

STANDARD_DISTANCES_M = {"5K": 5000.0, "10K": 10000.0, "half marathon": 21097.5, "marathon": 42195.0}  # as runners name them
COMPARABLE_BAND = (0.75, 1.33)  # runs from 3/4 to 4/3 of a standard distance are "the same distance band"
COMPARABLE_DAYS = 365  # ...within a year of the run
DAY_S = 86400.0
FASTEST_NEAR_WEEKS = 8  # a heuristic race is the fastest run of its band within this many weeks
GIVEN = "given"  # a file the user named, with no other mark
TRAINING_SHAPES = frozenset({"intervals", "fartlek", "run_walk", "hilly", "trail_walk_run", "short_jog", "treadmill"})  # never a standout race
PREDICT_MIN_DISTANCE_M = 3000.0  # shorter efforts do not predict a race (Riegel holds from about 3.5 min to 4 h)


def standard_distance(distance_m: float, short_pct: float, long_pct: float | None = None) -> str | None:
    """The standard race distance this one was measured at: from ``short_pct`` shorter to
    ``long_pct`` longer (GPS-measured races run long), if any."""
    long_pct = short_pct if long_pct is None else long_pct
    for label, target in STANDARD_DISTANCES_M.items():
        if target * (1 - short_pct / 100.0) <= distance_m <= target * (1 + long_pct / 100.0):
            return label
    return None


def _race_distance(row: ActivitySummary, th: HistoryThresholds) -> str | None:
    return standard_distance(row.distance_m, th.race_distance_tolerance_pct, th.race_distance_long_pct)


@dataclass
class _Band:
    """The runs of one distance band (3/4 to 4/3 of a standard distance), in start order."""

    times: list[float] = field(default_factory=list)  # start, POSIX seconds
    rows: list[ActivitySummary] = field(default_factory=list)


def _bands(rows: Sequence[ActivitySummary]) -> dict[str, _Band]:
    bands: dict[str, _Band] = {label: _Band() for label in STANDARD_DISTANCES_M}
    for r in sorted((r for r in rows if r.start_time_utc is not None and r.avg_speed_m_s > 0), key=lambda r: r.start_time_utc):
        for label, target in STANDARD_DISTANCES_M.items():
            if target * COMPARABLE_BAND[0] <= r.distance_m <= target * COMPARABLE_BAND[1]:
                bands[label].times.append(r.start_time_utc.timestamp())
                bands[label].rows.append(r)
    return bands


def standout(row: ActivitySummary, rows: Sequence[ActivitySummary], th: HistoryThresholds,
             bands: dict[str, _Band] | None = None) -> bool:
    """A standout effort at a standard distance: at least ``race_standout_pct`` faster than the
    runner's median over the same distance band within a year (one other run is enough), and
    the fastest of that band within ``FASTEST_NEAR_WEEKS`` weeks. Named training, treadmill runs
    and sessions shaped like training (intervals, hills, run-walk...) never are."""
    label = _race_distance(row, th)
    if not label or row.avg_speed_m_s <= 0 or row.start_time_utc is None:
        return False
    if (row.name and TRAINING_NAME_RE.search(row.name)) or row.shape in TRAINING_SHAPES or row.sub_sport == "treadmill":
        return False
    band = (bands or _bands(rows))[label]
    t = row.start_time_utc.timestamp()

    def around(days: float) -> list[float]:
        lo, hi = bisect_left(band.times, t - days * DAY_S), bisect_right(band.times, t + days * DAY_S)
        return [o.avg_speed_m_s for o in band.rows[lo:hi] if o is not row]

    others = around(COMPARABLE_DAYS)
    if len(others) < th.race_standout_min_runs:
        return False
    typical = float(np.median(others))
    return (row.avg_speed_m_s >= typical * (1 + th.race_standout_pct / 100.0)
            and row.avg_speed_m_s > max(around(7 * FASTEST_NEAR_WEEKS), default=0.0))


def mark_races(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> None:
    """Set ``is_race``/``race_marked_by`` in place: file/export marks stay, then the activity's
    name or the name the runner gave its file ("Berlin_Marathon_2024.fit"), then the heuristic."""
    for r in rows:
        if not r.is_race and says_race(r.name, r.file):
            r.is_race, r.race_marked_by = True, "name"
    bands = _bands(rows)
    found = [r for r in rows if not r.is_race and standout(r, rows, th, bands)]
    for r in found:
        r.is_race, r.race_marked_by = True, "heuristic"


def prediction(race: ActivitySummary, rows: Sequence[ActivitySummary], th: HistoryThresholds) -> dict[str, Any] | None:
    """The race time predicted from the runner's best effort of the previous
    ``race_predict_window_weeks`` (Riegel; the fastest prediction wins), and how much faster
    than that pace the first half went. Efforts are the earlier races (finish time) when there
    are any, else the training runs (moving time: their stops are no effort), which predict
    cautiously. None without an effort of at least 3 km."""
    t = race.start_time_utc
    if t is None or race.distance_m <= 0:
        return None
    window = timedelta(weeks=th.race_predict_window_weeks)
    before = [r for r in rows if r is not race and r.start_time_utc is not None and t - window <= r.start_time_utc < t
              and r.distance_m >= PREDICT_MIN_DISTANCE_M]
    races_before = [(r, r.elapsed_time_s) for r in before if r.is_race and r.elapsed_time_s > 0]
    kind = "race" if races_before else "training"
    efforts = races_before or [(r, r.moving_time_s) for r in before if r.moving_time_s > 0]
    if not efforts:
        return None
    best, time_s = min(efforts, key=lambda e: riegel_s(e[1], e[0].distance_m, race.distance_m, th.riegel_exponent))
    predicted = riegel_s(time_s, best.distance_m, race.distance_m, th.riegel_exponent)
    speed = race.distance_m / predicted
    first = race.first_half_speed_m_s
    return {
        "predicted_time_s": round(predicted, 1), "predicted_speed_m_s": round(speed, 4),
        "from_kind": kind, "from_file": best.file, "from_date": best.day.isoformat() if best.day else None,
        "from_distance_m": best.distance_m, "from_elapsed_time_s": best.elapsed_time_s, "from_time_s": time_s,
        "first_half_vs_predicted_pct": round((first / speed - 1.0) * 100.0, 1) if first else None,
        "finish_vs_predicted_pct": round((race.elapsed_time_s / predicted - 1.0) * 100.0, 1) if race.elapsed_time_s else None,
    }


def earlier_races(race: ActivitySummary, rows: Sequence[ActivitySummary], th: HistoryThresholds) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The runner's earlier races at the same standard distance (latest first) and the personal
    best among them and this one (by finish time)."""
    label = _race_distance(race, th)
    if not label or race.start_time_utc is None:
        return [], None
    same = [r for r in rows if r.is_race and r.start_time_utc is not None and _race_distance(r, th) == label
            and r.elapsed_time_s > 0]
    before = sorted((r for r in same if r.start_time_utc < race.start_time_utc), key=lambda r: r.start_time_utc, reverse=True)

    def brief(r: ActivitySummary) -> dict[str, Any]:
        return {"file": r.file, "date": r.day.isoformat() if r.day else None, "name": r.name,
                "distance_m": r.distance_m, "elapsed_time_s": r.elapsed_time_s}

    pool = [*before, race]
    best = min(pool, key=lambda r: r.elapsed_time_s)
    return [brief(r) for r in before], {**brief(best), "this_race": best is race, "distance": label}


def race_entry(row: ActivitySummary, overreach: list[dict[str, Any]], rows: Sequence[ActivitySummary] = (),
               th: HistoryThresholds | None = None, detected_by: str | None = None) -> RaceEntry:
    """One race with its findings (run findings from the row, race_overreach from history), its
    prediction, earlier races at that distance and the personal best (with ``rows``)."""
    th = th or HistoryThresholds()
    findings = [{"id": fid, **row.key_findings[fid]} for fid in KEY_FINDINGS if fid in row.key_findings]
    findings += overreach
    worst_level = worst((f["level"] for f in findings), default=LOW)
    earlier, best = earlier_races(row, rows, th) if rows else ([], None)
    return RaceEntry(row=row, detected_by=detected_by or row.race_marked_by or GIVEN, findings=findings,
                     worst=worst_level, prediction=prediction(row, rows, th) if rows else None,
                     earlier=earlier, personal_best=best, distance_label=_race_distance(row, th))


def start_excess(entry: RaceEntry) -> float | None:
    """How far the start went past its threshold: fast_start value - threshold (points of %)."""
    fast = next((f for f in entry.findings if f["id"] == "fast_start"), None)
    if not fast or fast.get("value") is None or fast.get("threshold") is None or rank(fast.get("level")) <= rank(LOW):
        return None
    return float(fast["value"]) - float(fast["threshold"])


def rank_races(entries: list[RaceEntry]) -> list[RaceEntry]:
    """Worst first: the races whose start exceeded the fast-start threshold, by how far; then the
    others by worst level, number of findings, most recent."""
    def key(e: RaceEntry) -> tuple:
        start = e.row.start_time_utc.timestamp() if e.row.start_time_utc else 0.0
        excess = start_excess(e)
        return (excess is None, -(excess or 0.0), -rank(e.worst), -len(e.findings), -start)

    return sorted(entries, key=key)


def all_files(path_or_files: Any) -> bool:
    """True when every input is an activity file (not a folder, not an export zip): each is a race."""
    paths = [path_or_files] if isinstance(path_or_files, (str, os.PathLike)) else list(path_or_files)
    return bool(paths) and all(Path(p).is_file() and not str(p).lower().endswith(".zip") for p in paths)


def is_single_file(path_or_files: Any) -> bool:
    """True when the input is one activity file (not a folder, not an export zip)."""
    paths = [path_or_files] if isinstance(path_or_files, (str, os.PathLike)) else list(path_or_files)
    return len(paths) == 1 and all_files(paths)


def races(history: HistoryResult, given: bool = False) -> RacesResult:
    """The races of a scanned history, worst first (the history is not changed).

    ``given``: the history is of files the user named one by one: every one is reported, those
    without a race mark as ``detected_by="given"``.
    """
    rows = history.activities
    overreach: dict[str, list[dict[str, Any]]] = {}
    for f in history.history_findings:
        if f.id == "race_overreach" and f.file:
            item = f.to_json()
            overreach.setdefault(f.file, []).append(
                {k: item[k] for k in ("id", "level", "value", "threshold", "unit", "why", "advice")})
    th = history.thresholds
    entries = [race_entry(r, overreach.get(r.file, []), rows, th) for r in rows if r.is_race or given]
    cramped = {c["file"]: c for c in history.cramps}
    for e in entries:
        e.cramp = cramped.get(e.row.file)
    return RacesResult(races=rank_races(entries), history=history)


def scan_races(path_or_files: Any, **scan_options: Any) -> RacesResult:
    """The races of a path (file, folder, export) or list of paths: one scan, then ``races``.
    Every file named one by one is a race (``races a.fit b.gpx``).

    ``scan_options`` are those of ``scan`` (sport, since, until, units, config, cache...).
    """
    from crampcheck.history.scan import scan

    return races(scan(path_or_files, **scan_options), given=all_files(path_or_files))
