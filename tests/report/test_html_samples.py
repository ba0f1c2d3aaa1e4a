"""Hand-built report dicts and chart series with known content (shared by the HTML and browser tests).

No test functions here: the builders are imported by ``test_html.py`` and ``tests/browser``.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

HOSTILE = '<script>alert("x")</script>'
RUN_DISTANCE_M = 10_000.0
RUN_POINTS = 600
RUN_SPEED_M_S = 3.2
WARMUP_END_M = 800.0
SURGE_START_M = 6_000.0
SURGE_END_M = 6_150.0


def sample_series(points: int = RUN_POINTS, gps: bool = True) -> dict[str, list[float | None]]:
    """A 10 km run: slower warm-up, a surge at 6 km, a rolling hill, HR and temperature rising."""
    distance, moving, speed, hr, temp, alt, lat, lon = [], [], [], [], [], [], [], []
    t = 0.0
    for i in range(points):
        d = RUN_DISTANCE_M * i / (points - 1)
        v = RUN_SPEED_M_S * (0.85 if d < WARMUP_END_M else 1.25 if SURGE_START_M <= d < SURGE_END_M else 1.0)
        if i:
            t += (d - distance[-1]) / v
        distance.append(d)
        moving.append(t)
        speed.append(v if i != 300 else None)  # one gap: a stop
        hr.append(140 + 25 * d / RUN_DISTANCE_M)
        temp.append(24 + 4 * d / RUN_DISTANCE_M)
        alt.append(100 + 20 * math.sin(2 * math.pi * d / 2500))
        angle = 2 * math.pi * d / RUN_DISTANCE_M
        lat.append(45.0 + 0.012 * math.sin(angle) if gps else None)
        lon.append(5.0 + 0.02 * (1 - math.cos(angle)) if gps else None)
    return {
        "distance_m": distance, "moving_s": moving, "speed_m_s": speed, "gap_speed_m_s": [None] * points,
        "heart_rate_bpm": hr, "temperature_c": temp, "altitude_m": alt, "lat": lat, "lon": lon,
    }


def _finding(fid: str, level: str, **extra: Any) -> dict[str, Any]:
    base = {
        "id": fid, "level": level, "subscore": "overload", "evidence": "moderate", "value": 6.0, "threshold": 5.0,
        "unit": "%", "why": f"{fid} because of the numbers.", "advice": f"Advice for {fid}.",
        "at_s": None, "at_m": None, "raised_by": None,
    }
    base.update(extra)
    return base


def sample_run(units: str = "mi") -> dict[str, Any]:
    """A crampcheck.run/1 dict with four findings, one of them with hostile text."""
    unit_m = 1609.344 if units == "mi" else 1000.0
    splits, done = [], 0.0
    index = 1
    while done < RUN_DISTANCE_M - 1:
        length = min(unit_m, RUN_DISTANCE_M - done)
        speed = RUN_SPEED_M_S * (0.85 if index == 1 else 1.0)
        splits.append({
            "index": index, "unit": units, "distance_m": length, "time_s": length / speed, "speed_m_s": speed,
            "heart_rate_bpm": 150.0, "temperature_c": 26.0, "partial": length < unit_m, "gap_speed_m_s": speed * 1.01,
        })
        done += length
        index += 1
    return {
        "schema": "crampcheck.run/1",
        "file": f"runs/{HOSTILE}.fit",
        "format": "fit",
        "sport": "running",
        "name": f"Morning {HOSTILE} run",
        "start_time_utc": "2024-06-01T07:00:00Z",
        "start_time_local": "2024-06-01T09:00:00+02:00",
        "units": units,
        "summary": {
            "distance_m": RUN_DISTANCE_M, "elapsed_time_s": 3300.0, "moving_time_s": 3200.0, "avg_speed_m_s": 3.125,
            "temperature_c": {"min": 24.0, "mean": 26.0, "max": 28.0, "source": "watch sensor"},
            "heart_rate_bpm": {"mean": 152.0, "max": 168.0}, "has_gps": True, "has_elevation": True,
        },
        "splits": splits,
        "halves": {"first_speed_m_s": 3.1, "second_speed_m_s": 3.15},
        "first_vs_last": {"unit": units, "first_speed_m_s": 3.3, "last_speed_m_s": 3.1, "ratio": 1.065, "grade_adjusted": True},
        "warmup": {"start_s": 0.0, "end_s": 294.0, "start_m": 0.0, "end_m": WARMUP_END_M, "speed_m_s": 2.72},
        "cooldown": None,
        "surges": [{"start_s": 1900.0, "duration_s": 37.5, "start_m": SURGE_START_M, "speed_ratio": 1.25, "in_last_third": False}],
        "findings": [
            _finding("fast_start", "high", at_m=0.0),
            _finding("heat", "moderate", subscore="electrolyte", evidence="weak", unit="degC", value=26.0, threshold=22.0),
            _finding("surges", "moderate", at_s=[1900.0], at_m=[SURGE_START_M], unit="count", value=1.0, threshold=1.0),
            _finding("no_cooldown", "low", why=f"Ended at full effort {HOSTILE}.", advice=HOSTILE, at_m=RUN_DISTANCE_M),
        ],
        "scores": {"overall": "high", "overload": "high", "electrolyte": "moderate", "reasons": {"overload": ["fast_start high"]}},
        "not_judged": [{"id": "fluid_loss", "reason": "no body mass given"}],
        "fluid_plan": {"before": ["0.5–0.7 L (16–24 oz) an hour before"], "during": ["180–240 mL every 15–20 min"],
                       "after": ["1.25–1.5 L per kg lost"], "sweat_rate_l_h": None},
        "notes": [f"note {HOSTILE}"],
    }


HISTORY_START = date(2024, 1, 1)  # a Monday
HISTORY_WEEKS = 10


def _history_thresholds() -> dict[str, Any]:
    """The history thresholds in force by default, as ``crampcheck.history/1`` carries them."""
    from dataclasses import asdict

    from crampcheck.history.params import HistoryThresholds

    return asdict(HistoryThresholds())


def sample_history() -> dict[str, Any]:
    """A crampcheck.history/1 dict: 10 weeks, 3 runs a week, a ramp in week 8, a long-run spike."""
    activities, weeks = [], []
    for w in range(HISTORY_WEEKS):
        monday = HISTORY_START + timedelta(weeks=w)
        volume = 30.0 if w != 7 else 45.0
        long_km = 12.0 if w != 7 else 20.0
        for k, km in enumerate((volume - long_km - 8.0, 8.0, long_km)):
            day = monday + timedelta(days=2 * k + 1)
            activities.append({
                "file": f"a{w}_{k}.fit", "start_time_utc": f"{day.isoformat()}T06:00:00Z",
                "start_time_local": f"{day.isoformat()}T07:00:00+01:00", "sport": "running",
                "name": HOSTILE if (w, k) == (0, 0) else f"Run {w}.{k}", "distance_m": km * 1000.0,
                "moving_time_s": km * 330.0, "temperature_c_mean": 10.0 + w, "overall": "high" if w == 7 else "low",
                "findings": ["fast_start"] if k == 2 else [],
            })
        ratio = None if w < 4 else (volume / 30.0)
        weeks.append({
            "week": f"2024-W{w + 1:02d}", "start_date": monday.isoformat(), "volume_km": volume, "runs": 3,
            "long_run_km": long_km, "ramp_ratio": ratio, "baseline_km": 30.0 if ratio else None,
            "flags": ["weekly_ramp", "distance_spike"] if w == 7 else [],
        })
    spike_day = (HISTORY_START + timedelta(weeks=7, days=5)).isoformat()
    week8 = HISTORY_START + timedelta(weeks=7)
    findings = [
        {"id": "weekly_ramp", "level": "high", "evidence": "weak", "start_date": week8.isoformat(),
         "end_date": (week8 + timedelta(days=6)).isoformat(), "value": 1.5, "threshold": 1.5, "unit": "ratio",
         "why": "Week 2024-W08: 45 km, 1.50 times the mean.", "advice": "Build up slowly.", "file": None},
        {"id": "distance_spike", "level": "very high", "evidence": "moderate", "start_date": spike_day, "end_date": spike_day,
         "value": 66.7, "threshold": 10.0, "unit": "%", "why": f"20 km {HOSTILE}", "advice": "Add distance gradually.",
         "file": "a7_2.fit"},
    ]
    return {
        "schema": "crampcheck.history/1", "activities": activities, "history_findings": findings, "weeks": weeks,
        "skipped": [{"file": f"bad{HOSTILE}.fit", "reason": "not a FIT file"}], "duplicates": [],
        "thresholds": _history_thresholds(),
    }


def sample_races() -> dict[str, Any]:
    """A crampcheck.races/1 dict: one race that started fast, one that did not."""
    return {
        "schema": "crampcheck.races/1",
        "races": [
            {"file": "race10k.fit", "name": "City 10K", "start_time_utc": "2024-02-18T09:00:00Z", "distance_m": 10_020.0,
             "detected_by": "name", "findings": [{"id": "fast_start", "level": "high", "why": "first km 7 % faster than the last"},
                                                  {"id": "positive_split", "level": "moderate", "why": "second half 4 % slower"}]},
            {"file": "parkrun.fit", "name": f"parkrun {HOSTILE}", "start_time_utc": "2024-03-02T09:00:00Z", "distance_m": 5_000.0,
             "detected_by": "heuristic", "findings": []},
        ],
    }


def generated_run(units: str = "mi", name: str = f"Synthetic {HOSTILE}") -> tuple[dict[str, Any], dict[str, list[float | None]]]:
    """A synthetic run (crampcheck.synth) analyzed by the real pipeline: (run dict, series)."""
    from crampcheck import pipeline
    from crampcheck.report.html_run import run_series
    from crampcheck.report.jsonout import run_to_dict
    from crampcheck.schema import Activity
    from crampcheck.synth.build import build
    from crampcheck.synth.spec import RunSpec, Segment

    spec = RunSpec(
        segments=(
            Segment(duration_s=300, speed_m_s=2.6, label="warmup"),
            Segment(distance_m=1609.344, speed_m_s=3.7),
            Segment(distance_m=6000.0, speed_m_s=3.2, grade_pct=2.0),
            Segment(duration_s=40, speed_m_s=4.3, label="surge"),
            Segment(distance_m=4000.0, speed_m_s=3.0, grade_pct=-2.0),
        ),
        path="loop",
        loop_length_m=4000.0,
        temperature_c=29.0,
        name=name,
    )
    truth = build(spec)
    activity = Activity(
        records=truth.records.copy(), source="synthetic.fit", format="fit", sport="running",
        start_time_utc=truth.start_time_utc, utc_offset_s=truth.utc_offset_s, name=spec.name,
    )
    report = pipeline.analyze(activity, units)
    return run_to_dict(report), run_series(report)


# A 12-week build towards a half marathon (km per week, longest run km): for screenshots.
SHOWCASE_WEEKS = ((28, 10), (31, 11), (30, 12), (34, 13), (26, 10), (36, 14), (38, 15), (52, 21), (35, 15), (40, 17), (30, 12), (33, 21.1))


def showcase_history() -> tuple[dict[str, Any], dict[str, Any]]:
    """A believable history and its races (for README screenshots): a ramp and a spike in week 8."""
    start = date(2024, 3, 4)
    activities, weeks = [], []
    for w, (volume, long_km) in enumerate(SHOWCASE_WEEKS):
        monday = start + timedelta(weeks=w)
        easy = (volume - long_km) / 3
        for k, (offset, km) in enumerate(((1, easy), (3, easy), (4, easy), (6, long_km))):
            day = monday + timedelta(days=offset)
            race = w == len(SHOWCASE_WEEKS) - 1 and k == 3
            activities.append({
                "file": f"{day.isoformat()}.fit", "start_time_utc": f"{day.isoformat()}T06:30:00Z",
                "start_time_local": f"{day.isoformat()}T08:30:00+02:00", "sport": "running",
                "name": "Half marathon" if race else ("Long run" if k == 3 else "Easy run"),
                "distance_m": km * 1000.0, "moving_time_s": km * (300.0 if race else 345.0),
                "temperature_c_mean": 9.0 + w * 0.8 + k, "overall": "high" if race else ("moderate" if k == 3 else "low"),
                "findings": ["fast_start", "heat"] if race else (["long_run"] if k == 3 else []),
            })
        previous = [v for v, _ in SHOWCASE_WEEKS[max(0, w - 4):w]]
        ratio = volume / (sum(previous) / 4) if len(previous) == 4 else None
        weeks.append({
            "week": f"2024-W{monday.isocalendar()[1]:02d}", "start_date": monday.isoformat(), "volume_km": float(volume),
            "runs": 4, "long_run_km": float(long_km), "ramp_ratio": ratio, "flags": ["weekly_ramp", "distance_spike"] if w == 7 else [],
        })
    week8 = start + timedelta(weeks=7)
    findings = [
        {"id": "weekly_ramp", "level": "high", "evidence": "weak", "start_date": week8.isoformat(),
         "end_date": (week8 + timedelta(days=6)).isoformat(), "value": 1.55, "threshold": 1.5, "unit": "ratio",
         "why": "Week 2024-W17: 32.3 mi, 1.55 times the mean of the four weeks before (20.8 mi).",
         "advice": "Raise weekly volume by small steps; follow a big week with an easier one.", "file": None},
        {"id": "distance_spike", "level": "high", "evidence": "moderate", "start_date": (week8 + timedelta(days=6)).isoformat(),
         "end_date": (week8 + timedelta(days=6)).isoformat(), "value": 40.0, "threshold": 30.0, "unit": "%",
         "why": "13.0 mi: 40 % longer than the longest run of the 30 days before (9.3 mi).",
         "advice": "Lengthen the long run by about 10 % at a time.", "file": "long.fit"},
        {"id": "race_overreach", "level": "moderate", "evidence": "moderate", "start_date": activities[-1]["start_time_local"][:10],
         "end_date": activities[-1]["start_time_local"][:10], "value": 5.0, "threshold": 0.0, "unit": "%",
         "why": "Race pace 5 % faster than any effort of 20 min or more in the 8 weeks before.",
         "advice": "Start at a pace you have held in training.", "file": activities[-1]["file"]},
    ]
    history = {"schema": "crampcheck.history/1", "activities": activities, "history_findings": findings, "weeks": weeks,
               "skipped": [{"file": "watch_settings.fit", "reason": "not an activity (settings file)"}], "duplicates": ["copy.gpx"],
               "thresholds": _history_thresholds()}
    race_day = activities[-1]["start_time_local"][:10]
    history["digest"] = {  # what history/digest.py writes for this history (two items rank above the ramp)
        "since": start.isoformat(), "until": race_day, "weeks": len(SHOWCASE_WEEKS),
        "top": [
            {"id": "fast_start", "title": "fast start", "level": "high", "evidence": "moderate",
             "why": f"You went out too fast in 1 of your last 1 race; the latest on {race_day}: first mile 7 % faster than the last.",
             "advice": "Make the first mile the slowest of the run; check your watch at the first marker.",
             "counts": {"occurrences": 1, "of": 1, "unit": "races"}, "last_date": race_day, "files": [activities[-1]["file"]],
             "score": 6.0},
            {**{k: findings[1][k] for k in ("id", "level", "evidence", "why", "advice")}, "title": "distance spike",
             "counts": {"occurrences": 1, "of": None, "unit": "times"}, "last_date": findings[1]["end_date"],
             "files": [findings[1]["file"]], "score": 2.1},
            {**{k: findings[0][k] for k in ("id", "level", "evidence", "why", "advice")}, "title": "weekly ramp",
             "counts": {"occurrences": 1, "of": None, "unit": "times"}, "last_date": findings[0]["end_date"], "files": [],
             "score": 1.1},
        ],
        "monthly": [{"month": "2024-04", "counts": {"distance_spike": 1, "weekly_ramp": 1}},
                    {"month": race_day[:7], "counts": {"fast_start": 1, "race_overreach": 1}}],
        "notes": ["Ranked by evidence x level x how recent x how often [frandsen2025]."],
    }
    races = {"schema": "crampcheck.races/1", "races": [
        {"file": activities[-1]["file"], "name": "Half marathon", "start_time_utc": activities[-1]["start_time_utc"],
         "distance_m": 21_100.0, "detected_by": "name",
         "findings": [{"id": "fast_start", "level": "high", "why": "first mile 7 % faster than the last"}]},
    ]}
    return history, races
