"""crampcheck benchmark: the history's own work on summary rows (no file read).

``build_history`` (duplicates, races, weeks, every history factor, the digest and the factor
groups) and ``races`` (predictions, earlier races, personal bests) on a generated history of
four runs a week (a 10 km race every 8 weeks) for 5, 20 and 50 years, best of 5. This is what a cached rescan adds to
reading its cache: it must stay well under a second for any real runner's history.

    python benchmarks/bench_history.py
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta, timezone

from crampcheck.history.params import HistoryThresholds
from crampcheck.history.races import races
from crampcheck.history.scan import build_history
from crampcheck.history.summary import ActivitySummary

SEED = 20240615
START = datetime(2000, 1, 3, 6, 0, tzinfo=timezone.utc)  # a Monday
WEEK = ((1, 8.0), (3, 10.0), (5, 5.0), (6, 16.0))  # (weekday, km): four runs a week
BEST_OF = 5
RACE_EVERY_WEEKS = 8
YEARS = (5, 20, 50)


def rows_for(years: int, rng: random.Random) -> list[ActivitySummary]:
    rows = []
    for w in range(52 * years):
        for day, km in WEEK:
            start = START + timedelta(weeks=w, days=day)
            distance = km * 1000 * rng.uniform(0.9, 1.1)
            speed = 3.0 * rng.uniform(0.9, 1.15)
            race = day == 3 and w % RACE_EVERY_WEEKS == 0  # a 10 km race every few weeks
            rows.append(ActivitySummary(
                file=f"run_{w}_{day}.fit", content_hash=f"{w}-{day}", format="fit", start_time_utc=start,
                start_time_local=start, sport="running", sub_sport=None, name=None, is_race=race,
                race_marked_by="export" if race else None,
                distance_m=distance, moving_time_s=distance / speed, elapsed_time_s=distance / speed, avg_speed_m_s=speed,
                temperature_c_mean=None, heart_rate_mean_bpm=None, overall="low", best_sustained_speed_m_s=speed,
                intensity_speed_m_s=speed, first_half_speed_m_s=speed,
            ))
    return rows


def best(fn) -> float:
    times = []
    for _ in range(BEST_OF):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    rng = random.Random(SEED)
    th = HistoryThresholds()
    print("| history | runs | build_history | races |")
    print("|---|---:|---:|---:|")
    for years in YEARS:
        rows = rows_for(years, rng)
        history = build_history(rows, th, weeks=12)
        t_build = best(lambda rows=rows: build_history(rows, th, weeks=12))
        t_races = best(lambda history=history: races(history))
        print(f"| {years} years | {len(rows)} | {t_build * 1000:.0f} ms | {t_races * 1000:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
