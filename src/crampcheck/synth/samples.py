"""The small sample files shipped in ``samples/`` and their README, regenerated deterministically.

``python -m crampcheck.synth samples/`` (or ``scripts/make_samples.py``) rewrites them; a
test checks that regenerating gives byte-identical files. Sampling is 2-10 s to keep the
folder small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from crampcheck.synth.build import Truth, build
from crampcheck.synth.files import write
from crampcheck.synth.scenarios import (
    cool_short_run,
    even_pace,
    fast_start,
    hot_long_run,
    no_gps,
    race_10k,
    surges,
    with_pauses,
)
from crampcheck.synth.spec import RunSpec


@dataclass(frozen=True)
class Sample:
    filename: str
    spec: RunSpec
    built: str  # what was built, one or two sentences
    expect: str  # what the report should show
    options: dict = field(default_factory=dict)  # writer options


def _on(day: int, hour_utc: float = 5.5) -> datetime:
    """A start time in June 2024 (UTC): each sample is its own run on its own day."""
    return datetime(2024, 6, day, int(hour_utc), int(hour_utc % 1 * 60), tzinfo=timezone.utc)


def samples() -> list[Sample]:
    """The sample set (fixed parameters: regenerating gives the same bytes)."""
    return [
        Sample(
            "easy_10k.fit",
            even_pace(10_000.0, 2.9, sample_interval_s=2, start_time_utc=_on(3), temperature_c=14.0, name="Easy 10K"),
            "A steady 10 km at 2.9 m/s (5:45 /km), 14 deg C, 2-s records, auto-laps every km.",
            "No fast start, no positive split, no heat, no long-run flag (under 60 min). It starts and ends at "
            "full pace, so the no-warm-up and no-cool-down notes (expert opinion) apply.",
        ),
        Sample(
            "fast_start_5k.fit",
            fast_start(5_000.0, 3.2, 8.0, sample_interval_s=2, start_time_utc=_on(5), name="Tempo 5K"),
            "5 km: the first mile 8 % faster than the even rest (3.2 m/s), 18 deg C, 2-s records.",
            "Fast start: HIGH (first km about 8 % faster than the last, threshold 5 %). The first 10 % is "
            "more than 5 % faster than the average (moderate) and the second half is slower than the first.",
        ),
        Sample(
            "hot_long_run.gpx",
            hot_long_run(sample_interval_s=10),
            "2 h steady at 2.8 m/s and 30 deg C from 10:30 local time (UTC+2), heart rate drifting "
            "+6 bpm/h. GPX 1.1 with Garmin TrackPointExtension v1 (atemp, hr, cad), 10-s points.",
            "Long run: MODERATE (>= 90 min); heat: MODERATE (30 deg C is high in the air, one level lower from "
            "a wrist sensor alone); long hot run: HIGH, weak evidence, so the overall level is MODERATE; not the "
            "hottest part of the day (10:30 summer time in Paris is 08:39 local solar time; the hot hours are 10:00-16:00 "
            "solar time); heart-rate drift shows in the decoupling below.",
        ),
        Sample(
            "surges_tempo.tcx",
            surges(sample_interval_s=5, has_temperature=False, start_time_utc=_on(11, 16.5)),
            "40 min at 3.0 m/s with three 40-s surges at +25 % starting at 10, 20 and 30 min. TCX with "
            "TPX Speed and RunCadence, 5-s trackpoints, no temperature (TCX has none).",
            "Surges: 3, each 25 % faster than the steady pace for 40 s (threshold 15 % for 20 s); the one at "
            "30 min falls in the last third and counts double, so the level is HIGH; surges are weak evidence, "
            "so the overall level is MODERATE. Temperature cannot be judged from a TCX file.",
        ),
        Sample(
            "cool_run_with_warmup.fit",
            cool_short_run(sample_interval_s=2, start_time_utc=_on(13)),
            "40 min at 10 deg C: 10-min warm-up jog (15 % slower), 22 min at 3.3 m/s, 8-min cool-down "
            "jog, 2-s records.",
            "No heat, no long run; warm-up and cool-down found at the times below, so neither the "
            "no-warm-up nor the no-cool-down note applies, and the easy jogs must not count as a fast start.",
        ),
        Sample(
            "city_run_pauses.fit",
            with_pauses(sample_interval_s=2, start_time_utc=_on(8, 9)),
            "30 min of running at 3.0 m/s with a 2-min timer stop after 10 min and a 1-min stand "
            "(timer running) after 20 min; compressed-timestamp record headers.",
            "Moving time 30:00, elapsed 33:00, one timer pause. Splits and paces must leave the stops out.",
            {"compressed_timestamps": True},
        ),
        Sample(
            "treadmill_no_gps.tcx",
            no_gps(sample_interval_s=10, has_temperature=False, start_time_utc=_on(18, 17)),
            "A 30-min treadmill run at 3.0 m/s: distance and speed from a footpod, no positions, no "
            "altitude; leading whitespace before the XML declaration.",
            "Distance and pace from DistanceMeters; local time and heat cannot be judged (no GPS, no temperature).",
            {"leading_whitespace": True},
        ),
        Sample(
            "race_10k_fast_start.fit.gz",
            race_10k(first_mile_faster_pct=8.0, sample_interval_s=2),
            "The Riverside 10K (a race by its name), 3.6 m/s with the first mile 8 % too fast, 16 deg C; "
            "gzip-compressed FIT, big-endian.",
            "Race found by name; fast start: HIGH.",
            {"big_endian": True},
        ),
    ]


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def facts(truth: Truth) -> list[str]:
    """The truth of a run, as lines for the README."""
    pace_s_km = 1000.0 / truth.avg_speed_m_s
    lines = [
        f"distance {truth.distance_m:.2f} m; moving time {_hms(truth.moving_s)}; elapsed {_hms(truth.elapsed_s)}; "
        f"average pace {_hms(pace_s_km)} /km",
        f"start {truth.start_time_local.isoformat()} local ({truth.start_time_utc.isoformat()} UTC)",
    ]
    if truth.temperature_mean_c is not None:
        lines.append(
            f"temperature mean {truth.temperature_mean_c:.1f} deg C "
            f"(min {truth.temperature_min_c:g}, max {truth.temperature_max_c:g})"
        )
    else:
        lines.append("no temperature channel")
    if truth.heart_rate_mean_bpm is not None:
        lines.append(
            f"heart rate mean {truth.heart_rate_mean_bpm:.1f} bpm, max {truth.heart_rate_max_bpm:g}; "
            f"decoupling {round(truth.hr_decoupling_pct, 2) + 0.0:.2f} %"
        )
    if truth.distance_m >= 2 * 1609.344:
        lines.append(f"first mile / last mile speed = {truth.first_last_ratio('mi'):.4f}")
    if truth.warmup_end or truth.cooldown_start:
        lines.append(
            f"warm-up ends at {_hms(truth.warmup_end.moving_s)} ({truth.warmup_end.distance_m:.1f} m); "
            f"cool-down starts at {_hms(truth.cooldown_start.moving_s)} ({truth.cooldown_start.distance_m:.1f} m); "
            f"first/last mile without them = {truth.first_last_ratio('mi', core=True):.4f}"
        )
    for s in truth.surges:
        lines.append(
            f"surge at {_hms(s.start_moving_s)} for {s.duration_s:g} s, x{s.speed_ratio:.3f} the pace before it"
        )
    for p in truth.pauses:
        lines.append(f"timer stopped {_hms(p.start_s)}-{_hms(p.end_s)} elapsed")
    for p in truth.stands:
        lines.append(f"standing still {_hms(p.start_s)}-{_hms(p.end_s)} elapsed (timer running)")
    splits = ", ".join(_hms(s.moving_s) for s in truth.mile_splits)
    lines.append(f"mile splits (moving): {splits}")
    return lines


README_HEAD = """# Sample activity files (synthetic, with known truth)

Made by `crampcheck.synth` (`python -m crampcheck.synth samples/`); regenerating gives
byte-identical files. Every value below is exact for the generated run: use them to check
what crampcheck reports. Conventions: speeds are horizontal, distances are along the path,
positions are on a sphere of radius 6371008.8 m, "x % faster" is on speed.
This file is generated too: edit `src/crampcheck/synth/samples.py`, not this file.
"""


def readme(items: list[tuple[Sample, Truth]]) -> str:
    parts = [README_HEAD]
    for sample, truth in items:
        parts.append(f"\n## `{sample.filename}`\n\n{sample.built}\n\n")
        parts.append(f"**Expected in the report:** {sample.expect}\n\n**Truth:**\n")
        parts.extend(f"- {line}\n" for line in facts(truth))
    return "".join(parts)


def make_samples(folder: str | Path) -> list[Path]:
    """Write every sample and README.md into ``folder``; returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written, items = [], []
    for sample in samples():
        truth = build(sample.spec)
        write(truth, out / sample.filename, **sample.options)
        items.append((sample, truth))
        written.append(out / sample.filename)
    (out / "README.md").write_text(readme(items), encoding="utf-8")
    return written + [out / "README.md"]
