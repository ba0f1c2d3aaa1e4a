"""What came before *your* cramps: the runner's cramped runs against comparable cramp-free ones.

A run cramped when the log says so (``cramp add``) or when what the runner wrote says so
(``crampcheck.crampnotes``: the name, descriptions, notes); ``cramp reject`` drops a found
cramp and ``cramp none`` (or a text saying "no cramps") makes a run explicitly cramp-free.
A run with neither is counted as cramp-free: runners log cramps, not their absence.

For each cramped run the factors present are listed: its own findings at moderate or more
(fast start, positive split, heat, long run in the heat, surges...) and the history's
(distance spike, weekly ramp, hard days in a row, no rest day, race beyond training, a
return after a break). Comparable cramp-free runs are those of the same kind (race, workout,
run-walk, other run) within ``cramp_compare_distance_pct`` of a cramped run's distance. A
factor repeats when at least ``cramp_pattern_min_runs`` cramped runs and
``cramp_pattern_min_share_pct`` of them had it, and the comparable cramp-free runs had it
``cramp_pattern_margin_pct`` points less often; each repeating factor becomes one plain
sentence with its counts. Fewer cramped runs than ``cramp_pattern_min_runs``: they are
listed, no pattern is drawn. Counts only, never a probability or an odds ratio.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crampcheck.cramplog import LogEntry
from crampcheck.crampnotes import read_cramp
from crampcheck.history.digest import score
from crampcheck.history.factors import HistoryFinding
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.races import prediction
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import rank
from crampcheck.risk.thresholds import FACTORS

JUDGED_LEVEL = "moderate"  # a run finding counts as present from this level (low findings are notes)
PER_RUN = ("fast_start", "positive_split", "surges", "heat", "long_hot_run", "hot_time_of_day", "hr_drift",
           "downhill", "fading_reps", "long_run")
ON_THE_RUN = ("distance_spike", "race_overreach", "heat_unacclimatized")  # history findings about one run (by file)
ON_THE_DAYS = ("weekly_ramp", "hard_streak", "no_rest", "return_after_break")  # history findings over days
FAST_VS_PREDICTED = "fast_start_vs_predicted"  # a race's first half against its predicted pace (races.prediction)
LABELS = {FAST_VS_PREDICTED: "fast start against your predicted pace"}
# How a factor reads in a sentence: "3 of your 3 cramped races <had it>".
HAD = {
    "fast_start": "started fast (first km faster than the last)",
    "positive_split": "slowed in the second half",
    "heat": "were run in the heat",
    "long_hot_run": "were long runs in the heat",
    "long_run": "were long runs",
    "surges": "had surges",
    "hr_drift": "had heart-rate drift",
    "distance_spike": "were longer than anything in the month before",
    "race_overreach": "were raced beyond your training",
    "heat_unacclimatized": "were hot runs before you were used to the heat",
    "weekly_ramp": "came in a week that ramped up",
    "hard_streak": "came in a streak of hard days",
    "no_rest": "came without a rest day in the days before",
    "return_after_break": "came on a return after a break",
    FAST_VS_PREDICTED: "started faster than your predicted pace",
}
QUARTERS = ("first half", "first half", "third quarter", "final quarter")  # share of the distance -> where


def kind_of(row: ActivitySummary) -> str:
    """What a run is compared as: race, workout, run-walk or run."""
    if row.is_race or row.shape == "race":
        return "race"
    if row.shape in ("intervals", "fartlek"):
        return "workout"
    if row.shape in ("run_walk", "trail_walk_run"):
        return "run-walk"
    return "run"


@dataclass
class RunCramp:
    """One cramped run: where the cramp is known from, where it struck, what was present."""

    row: ActivitySummary
    source: str  # "log" (the runner logged it) | "text" (found in what the runner wrote)
    entry_id: int | None = None
    found_in: str | None = None  # "activity name", "Strava description", "GPX desc"...
    text: str | None = None  # the runner's words (untrusted: escape when shown)
    at_m: float | None = None
    at_s: float | None = None
    muscle: str | None = None
    severity: str | None = None
    note: str | None = None
    factors: list[str] = field(default_factory=list)
    predicted_speed_m_s: float | None = None  # the race's predicted pace (races.prediction, Riegel), when known
    first_half_vs_predicted_pct: float | None = None  # its first half faster (+) than that, %

    @property
    def share_pct(self) -> float | None:
        """Where it struck as a share of the run: distance, else moving time."""
        if self.at_m is not None and self.row.distance_m > 0:
            return min(self.at_m / self.row.distance_m * 100.0, 100.0)
        if self.at_s is not None and self.row.moving_time_s > 0:
            return min(self.at_s / self.row.moving_time_s * 100.0, 100.0)
        return None

    def to_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "file": r.file, "short_id": r.short_id, "day": r.day.isoformat() if r.day else None,
            "name": r.name, "distance_m": r.distance_m, "kind": kind_of(r), "source": self.source,
            "entry_id": self.entry_id, "found_in": self.found_in, "text": self.text, "at_m": self.at_m,
            "at_s": self.at_s, "share_pct": self.share_pct, "muscle": self.muscle, "severity": self.severity,
            "note": self.note, "factors": list(self.factors), "predicted_speed_m_s": self.predicted_speed_m_s,
            "first_half_vs_predicted_pct": self.first_half_vs_predicted_pct,
        }


def texts_of(row: ActivitySummary) -> list[tuple[str, str]]:
    """What the runner wrote about a run: its name, then descriptions and notes."""
    out = [("activity name", row.name)] if row.name else []
    return out + [(where, text) for where, text in row.texts]


def _found(row: ActivitySummary) -> tuple[RunCramp | None, bool]:
    """A cramp found in the run's texts, and whether a text says there was none."""
    said_none = False
    for where, text in texts_of(row):
        read = read_cramp(text)
        if read is None:
            continue
        if not read.cramped:
            said_none = True
            continue
        at_m = read.at_distance_m(row.distance_m)
        return RunCramp(row, "text", found_in=where, text=text, at_m=at_m, at_s=read.at_s, muscle=read.muscle), said_none
    return None, said_none


def _entry_rows(entry: LogEntry, rows: Sequence[ActivitySummary], by_day: dict[date, list[ActivitySummary]]):
    """The run an entry is about: by hash, else the longest run of its day."""
    if entry.content_hash:
        return [r for r in rows if r.content_hash.startswith(entry.content_hash)][:1]
    if entry.run_date:
        day_rows = by_day.get(date.fromisoformat(entry.run_date), [])
        return [max(day_rows, key=lambda r: r.distance_m)] if day_rows else []
    return []


@dataclass
class CrampMatch:
    """Cramps of a history: cramped runs, runs counted cramp-free, and entries that matched no run."""

    cramps: list[RunCramp]
    free: list[ActivitySummary]
    said_free: set[str]  # files the runner said were cramp-free (log or text)
    unmatched: list[LogEntry]


def match_cramps(rows: Sequence[ActivitySummary], entries: Sequence[LogEntry]) -> CrampMatch:
    """Join the log and the runner's texts to the scanned runs (log first, then text). For one run
    the latest entry wins: a cramp logged, then ``none`` or ``reject``, leaves it cramp-free."""
    by_day: dict[date, list[ActivitySummary]] = {}
    for r in rows:
        if r.day:
            by_day.setdefault(r.day, []).append(r)
    logged: dict[str, RunCramp] = {}
    verdict: dict[str, str] = {}  # file -> "none" | "reject"
    unmatched = []
    for e in entries:
        hit = _entry_rows(e, rows, by_day)
        if not hit:
            unmatched.append(e)
            continue
        row = hit[0]
        if e.kind == "cramp":
            verdict.pop(row.file, None)
            if row.file not in logged:  # a second cramp logged for one run adds nothing to the counts
                logged[row.file] = RunCramp(row, "log", entry_id=e.id, at_m=e.at_m, at_s=e.at_s, muscle=e.muscle,
                                            severity=e.severity, note=e.note)
        else:
            logged.pop(row.file, None)
            verdict[row.file] = e.kind
    cramps, free, said_free = [], [], set()
    for r in rows:
        found, said_none = _found(r)
        if r.file in logged:
            c = logged[r.file]
            if found is not None:  # the log confirms a found cramp: keep the words, the log's place first
                c.found_in, c.text, c.muscle = found.found_in, found.text, c.muscle or found.muscle
                if c.at_m is None and c.at_s is None:
                    c.at_m, c.at_s = found.at_m, found.at_s
            cramps.append(c)
        elif found is not None and verdict.get(r.file) is None:
            cramps.append(found)
        else:
            free.append(r)
            if verdict.get(r.file) == "none" or said_none:
                said_free.add(r.file)
    return CrampMatch(cramps, free, said_free, unmatched)


def run_factors(row: ActivitySummary) -> list[str]:
    """The run's own factors present (at moderate or more), in a fixed order."""
    return [fid for fid in PER_RUN if rank(row.finding_levels.get(fid, "low")) >= rank(JUDGED_LEVEL)]


def first_half_vs_predicted(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> dict[str, dict[str, Any]]:
    """Each race's prediction (``races.prediction``: Riegel from the best effort of the weeks
    before it), by file; races without one are left out."""
    out = {}
    for r in rows:
        if kind_of(r) == "race":
            p = prediction(r, rows, th)
            if p and p.get("first_half_vs_predicted_pct") is not None:
                out[r.file] = p
    return out


def factors_present(row: ActivitySummary, findings: Sequence[HistoryFinding], th: HistoryThresholds,
                    predicted: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """The per-run and history factors present on one run (ids, in a fixed order); history
    findings count from ``JUDGED_LEVEL`` up, like the run's own."""
    present = run_factors(row)
    vs = (predicted or {}).get(row.file, {}).get("first_half_vs_predicted_pct")
    if vs is not None and vs > th.predicted_fast_pct:
        present.insert(0, FAST_VS_PREDICTED)
    day = row.day
    for f in findings:
        if rank(f.level) < rank(JUDGED_LEVEL):
            continue
        if f.id in ON_THE_RUN and f.file == row.file and f.id not in present:
            present.append(f.id)
        elif f.id in ON_THE_DAYS and day and f.start_date <= day <= f.end_date and f.id not in present:
            present.append(f.id)
    return present


def label(fid: str) -> str:
    return LABELS.get(fid) or (FACTORS[fid].label if fid in FACTORS else fid.replace("_", " "))


def _start_pct(row: ActivitySummary) -> float | None:  # first km vs last, as fast_start judges it
    return (row.first_vs_last_ratio - 1.0) * 100.0 if row.first_vs_last_ratio else None


def _fast_start_detail(cramped: list[ActivitySummary], free: list[ActivitySummary]) -> tuple[str, str]:
    """'(first km 6-9 % faster than the last)' and 'started within 1 %' from the rows' start ratios."""
    with_pct = [p for p in (_start_pct(r) for r in cramped) if p is not None and p > 0]
    free_pct = [abs(p) for p in (_start_pct(r) for r in free) if p is not None]
    lo, hi = (min(with_pct), max(with_pct)) if with_pct else (None, None)
    span = "" if lo is None else (f"{lo:.0f} %" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f} %")
    had = f"started fast (first km {span} faster than the last)" if span else HAD["fast_start"]
    within = f"started within {_pct(max(free_pct))} of their last km" if free_pct else ""
    return had, within


def comparable_free(cramped: Sequence[ActivitySummary], free: Sequence[ActivitySummary], pct: float) -> list[ActivitySummary]:
    """The cramp-free runs of the same kind as a cramped one and within ``pct`` % of its distance
    (|free - cramped| <= cramped * pct / 100, i.e. free / (1 + p) <= cramped <= free / (1 - p))."""
    p = pct / 100.0
    by_kind: dict[str, list[float]] = {}
    for c in cramped:
        by_kind.setdefault(kind_of(c), []).append(c.distance_m)
    for distances in by_kind.values():
        distances.sort()
    out = []
    for f in free:
        distances = by_kind.get(kind_of(f))
        if not distances:
            continue
        lo = f.distance_m / (1.0 + p)
        i = bisect.bisect_left(distances, lo * (1 - 1e-12))
        if i < len(distances) and (p >= 1.0 or distances[i] <= f.distance_m / (1.0 - p) * (1 + 1e-12)):
            out.append(f)
    return out


def _where(cramps: Sequence[RunCramp]) -> dict[str, Any]:
    shares = [c.share_pct for c in cramps if c.share_pct is not None]
    counts = {"first half": 0, "third quarter": 0, "final quarter": 0}
    for s in shares:
        counts[QUARTERS[min(int(s // 25), 3)]] += 1
    return {"known": len(shares), **{k.replace(" ", "_"): n for k, n in counts.items()}}


def cramp_patterns(rows: Sequence[ActivitySummary], match: CrampMatch, findings: Sequence[HistoryFinding],
                   th: HistoryThresholds) -> dict[str, Any]:
    """The ``cramp_patterns`` of ``crampcheck.history/1`` (and fills each cramp's ``factors``)."""
    predicted = first_half_vs_predicted(rows, th)
    present = {r.file: factors_present(r, findings, th, predicted) for r in rows}
    for c in match.cramps:
        c.factors = present[c.row.file]
        p = predicted.get(c.row.file) or {}
        c.predicted_speed_m_s, c.first_half_vs_predicted_pct = p.get("predicted_speed_m_s"), p.get("first_half_vs_predicted_pct")
    cramped = [c.row for c in match.cramps]
    comparable = comparable_free(cramped, match.free, th.cramp_compare_distance_pct)
    kinds = {kind_of(r) for r in cramped}
    noun = "races" if kinds == {"race"} else "runs"
    factor_rows, sentences = [], []
    ids = [fid for fid in (FAST_VS_PREDICTED, *PER_RUN, *ON_THE_RUN, *ON_THE_DAYS)
           if any(fid in present[r.file] for r in cramped)]
    for fid in ids:
        n_c = sum(fid in present[r.file] for r in cramped)
        n_f = sum(fid in present[r.file] for r in comparable)
        share_c = n_c / len(cramped) * 100.0
        share_f = n_f / len(comparable) * 100.0 if comparable else 0.0
        repeats = (len(cramped) >= th.cramp_pattern_min_runs and n_c >= th.cramp_pattern_min_runs
                   and share_c >= th.cramp_pattern_min_share_pct and share_c - share_f >= th.cramp_pattern_margin_pct)
        factor_rows.append({"id": fid, "label": label(fid), "cramped_with": n_c, "cramped": len(cramped),
                            "free_with": n_f, "free": len(comparable), "repeats": repeats})
        if repeats:
            sentences.append(_sentence(fid, n_c, len(cramped), n_f, len(comparable), noun,
                                       [r for r in cramped if fid in present[r.file]], comparable, predicted, th))
    where = _where(match.cramps)
    if len(cramped) >= th.cramp_pattern_min_runs and where["known"] >= th.cramp_pattern_min_runs:
        late = where["final_quarter"]
        if late * 100.0 >= where["known"] * th.cramp_pattern_min_share_pct:
            sentences.append(f"{late} of your {where['known']} cramps with a known place struck in the final quarter of the run.")
    return {
        "cramped_runs": len(cramped),
        "comparable_free_runs": len(comparable),
        "said_free_runs": len(match.said_free),
        "min_runs": th.cramp_pattern_min_runs,
        "enough": len(cramped) >= th.cramp_pattern_min_runs,
        "factors": factor_rows,
        "where": where,
        "sentences": sentences,
        "unmatched_entries": [e.to_json() for e in match.unmatched if e.kind == "cramp"],
    }


def _predicted_detail(cramped: list[ActivitySummary], free: list[ActivitySummary], predicted: dict[str, dict[str, Any]],
                      th: HistoryThresholds) -> tuple[str, str]:
    """'started more than 4 % faster than your predicted pace (first half 6-9 % faster)' and
    'started within 1 % of theirs'."""
    def pct(r: ActivitySummary) -> float | None:
        return (predicted.get(r.file) or {}).get("first_half_vs_predicted_pct")

    with_pct = [p for p in map(pct, cramped) if p is not None]
    free_pct = [p for p in map(pct, free) if p is not None]
    lo, hi = min(with_pct), max(with_pct)
    span = f"{lo:.0f} %" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f} %"
    had = f"started more than {th.predicted_fast_pct:g} % faster than your predicted pace (first half {span} faster)"
    widest = max((abs(p) for p in free_pct), default=None)
    within = f"started within {_pct(widest)} of theirs" if widest is not None else ""
    return had, within


def _pct(value: float) -> str:
    """"0.3 %" under one per cent, "2 %" above: a runner's precision."""
    return f"{value:.1f} %" if value < 1 else f"{value:.0f} %"


def _sentence(fid: str, n_c: int, total_c: int, n_f: int, total_f: int, noun: str, cramped_with: list[ActivitySummary],
              comparable: list[ActivitySummary], predicted: dict[str, dict[str, Any]], th: HistoryThresholds) -> str:
    had, free_detail = HAD.get(fid, f"had {label(fid)}"), ""
    if fid == "fast_start":
        had, free_detail = _fast_start_detail(cramped_with, comparable)
    elif fid == FAST_VS_PREDICTED:
        had, free_detail = _predicted_detail(cramped_with, comparable, predicted, th)
    if not total_f:
        return f"{n_c} of your {total_c} cramped {noun} {had}; no comparable cramp-free {noun} to set them against."
    if free_detail:  # "your 2 comparable cramp-free races started within 1 % ... (0 of 2 started fast)."
        did = "started fast" if fid == "fast_start" else "did"
        return f"{n_c} of your {total_c} cramped {noun} {had}; your {total_f} comparable cramp-free {noun} {free_detail} ({n_f} of {total_f} {did})."
    return f"{n_c} of your {total_c} cramped {noun} {had}; {n_f} of your {total_f} comparable cramp-free {noun} did."


def pattern_item(patterns: dict[str, Any], cramps: Sequence[RunCramp], th: HistoryThresholds,
                 end: date | None) -> dict[str, Any] | None:
    """The runner's own pattern as a digest item (``history.digest``'s item shape), or None when no
    pattern repeats. Ranked like every item (evidence x level x recency x frequency): high, as a
    history of cramping is the strongest predictor known [schwellnus2011], recent and frequent as
    the runner's own cramps were."""
    days = [c.row.day for c in cramps if c.row.day]
    if not patterns["sentences"] or not days:
        return None
    last = max(days)
    evidence = FACTORS["own_cramps"].evidence
    return {
        "id": "own_cramps", "level": "high", "evidence": evidence,
        "title": "What came before your cramps", "why": " ".join(patterns["sentences"]),
        "advice": "Keep away from what came before your cramps, starting with the first of these; log each new cramp "
                  "(crampcheck cramp add) so the counts stay yours.",
        "counts": {"occurrences": patterns["cramped_runs"], "of": None, "unit": "cramped runs"},
        "last_date": last.isoformat(), "score": score("high", evidence, last, len(days), end or last, th),
        "files": [c.row.file for c in cramps],
    }


def own_cramps(rows: Sequence[ActivitySummary], findings: Sequence[HistoryFinding], th: HistoryThresholds,
               entries: Sequence[LogEntry], end: date | None = None) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any] | None]:
    """(``cramps``, ``cramp_patterns``, the digest item or None) of a whole history: every running
    row and every history finding, whatever the view shows."""
    match = match_cramps(rows, entries)
    patterns = cramp_patterns(rows, match, findings, th)
    cramps = sorted(match.cramps, key=lambda c: c.row.start_time_utc)
    return [c.to_json() for c in cramps], patterns, pattern_item(patterns, cramps, th, end)


def run_cramps(report: Any, data: bytes, entries: Sequence[LogEntry], span_m: float) -> list[dict[str, Any]]:
    """The cramps of one analyzed run (``crampcheck analyze``): logged for its content or day, or
    found in what the runner wrote in the file; each with what the ``span_m`` before it looked like."""
    import hashlib
    from dataclasses import asdict

    from crampcheck.history.summary import summarize
    from crampcheck.metrics.window import before, distance_at_moving_s

    row = summarize(report, hashlib.sha256(data).hexdigest())
    chart = report.metrics.chart
    out = []
    for c in match_cramps([row], entries).cramps:
        at_m = c.at_m
        if at_m is None and c.at_s is not None and chart is not None:
            at_m = distance_at_moving_s(chart, c.at_s)
        stretch = before(chart, at_m, span_m) if chart is not None and at_m is not None else None
        c.factors = run_factors(row)
        item = c.to_json()
        item["at_m"] = at_m
        item["share_pct"] = stretch.share_pct if stretch else item["share_pct"]
        item["before"] = {**asdict(stretch), "span_m": span_m} if stretch else None
        out.append(item)
    return out
