"""Race detection and the races report (docs/risk-model.md, "race").

A run is a race by, in order: its file's or export's own marking ("file" / "export"), its
name ("name"), or a heuristic ("heuristic": a standard distance run among the runner's
fastest at that distance). ``races(history)`` ranks the races a scan found, with
fast_start, positive_split and race_overreach, worst first; ``scan_races(path)`` scans once
and ranks.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crampcheck.history.params import HistoryThresholds
from crampcheck.history.result import HistoryResult, RaceEntry, RacesResult
from crampcheck.history.summary import KEY_FINDINGS, ActivitySummary
from crampcheck.levels import LOW, rank, worst
from crampcheck.racenames import name_says_race

STANDARD_DISTANCES_M = {"5 km": 5000.0, "10 km": 10000.0, "half marathon": 21097.5, "marathon": 42195.0}
HEURISTIC_MIN_RUNS = 3  # runs near a standard distance needed before "among the fastest" means anything
HEURISTIC_TOP_QUANTILE = 0.9  # at or above this quantile of speed among them
HEURISTIC_MIN_MARGIN_PCT = 5.0  # and at least this much faster than their median speed
GIVEN = "given"  # the single file the user asked about, with no other mark


def standard_distance(distance_m: float, tolerance_pct: float) -> str | None:
    """The standard race distance within ``tolerance_pct`` of this one, if any."""
    for label, target in STANDARD_DISTANCES_M.items():
        if abs(distance_m - target) <= target * tolerance_pct / 100.0:
            return label
    return None


def mark_races(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> None:
    """Set ``is_race``/``race_marked_by`` in place: file/export marks stay, then name, then heuristic."""
    for r in rows:
        if not r.is_race and name_says_race(r.name):
            r.is_race, r.race_marked_by = True, "name"
    bands: dict[str, list[ActivitySummary]] = {}
    for r in rows:
        label = standard_distance(r.distance_m, th.race_distance_tolerance_pct)
        if label and r.avg_speed_m_s > 0:
            bands.setdefault(label, []).append(r)
    for band in bands.values():
        if len(band) < HEURISTIC_MIN_RUNS:
            continue
        speeds = np.array([r.avg_speed_m_s for r in band])
        cut = float(np.quantile(speeds, HEURISTIC_TOP_QUANTILE))
        floor = float(np.median(speeds)) * (1.0 + HEURISTIC_MIN_MARGIN_PCT / 100.0)
        for r in band:
            if not r.is_race and r.avg_speed_m_s >= cut and r.avg_speed_m_s >= floor:
                r.is_race, r.race_marked_by = True, "heuristic"


def race_entry(row: ActivitySummary, overreach: list[dict[str, Any]]) -> RaceEntry:
    """One race with its findings (run findings from the row, race_overreach from history)."""
    findings = [{"id": fid, **row.key_findings[fid]} for fid in KEY_FINDINGS if fid in row.key_findings]
    findings += overreach
    worst_level = worst((f["level"] for f in findings), default=LOW)
    return RaceEntry(row=row, detected_by=row.race_marked_by or GIVEN, findings=findings, worst=worst_level)


def rank_races(entries: list[RaceEntry]) -> list[RaceEntry]:
    """Worst first: worst level, then number of findings, then the most recent."""
    def key(e: RaceEntry) -> tuple:
        start = e.row.start_time_utc.timestamp() if e.row.start_time_utc else 0.0
        return (-rank(e.worst), -len(e.findings), -start)

    return sorted(entries, key=key)


def is_single_file(path_or_files: Any) -> bool:
    """True when the input is one activity file (not a folder, not an export zip)."""
    paths = [path_or_files] if isinstance(path_or_files, (str, os.PathLike)) else list(path_or_files)
    return len(paths) == 1 and Path(paths[0]).is_file() and not str(paths[0]).lower().endswith(".zip")


def races(history: HistoryResult, given: bool = False) -> RacesResult:
    """The races of a scanned history, worst first (the history is not changed).

    ``given``: the history is of the one file the user asked about; with no race mark it is
    reported anyway, as ``detected_by="given"``.
    """
    rows = history.activities
    given_row = rows[0] if given and len(rows) == 1 else None
    overreach: dict[str, list[dict[str, Any]]] = {}
    for f in history.history_findings:
        if f.id == "race_overreach" and f.file:
            item = f.to_json()
            overreach.setdefault(f.file, []).append(
                {k: item[k] for k in ("id", "level", "value", "threshold", "unit", "why", "advice")})
    entries = [race_entry(r, overreach.get(r.file, [])) for r in rows if r.is_race or r is given_row]
    cramped = {c["file"]: c for c in history.cramps}
    for e in entries:
        e.cramp = cramped.get(e.row.file)
    return RacesResult(races=rank_races(entries), history=history)


def scan_races(path_or_files: Any, **scan_options: Any) -> RacesResult:
    """The races of a path (file, folder, export) or list of paths: one scan, then ``races``.

    ``scan_options`` are those of ``scan`` (sport, since, until, units, config, cache...).
    """
    from crampcheck.history.scan import scan

    return races(scan(path_or_files, **scan_options), given=is_single_file(path_or_files))
