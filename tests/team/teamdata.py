"""A generated team of five athletes whose histories differ in known ways (crampcheck.synth FIT runs).

Every run is a steady 30-min run at 3 m/s (5.4 km, 5-s records) unless said otherwise; weeks
start on Monday 2024-03-04. What each athlete's history must show:

- ``calm``: Tue, Thu, Sun for 6 weeks: nothing to flag.
- ``spike``: as calm, but the last Sunday is a 75-min run: a distance spike (very high).
- ``streak``: as calm for 4 weeks, then a run every day for 12 days: no rest (high) and a weekly ramp (high).
- ``ramp``: as calm for 5 weeks, then 5 runs in the 6th: a weekly ramp (high: 1.67 times the 4 weeks before).
- ``racer``: as calm, and a half marathon marked 14 days after the last run: race beyond training.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tests.helpers.history import fit_run

MONDAY = date(2024, 3, 4)
WEEKS = 6
CALM_DAYS = (1, 3, 6)  # Tue, Thu, Sun
RUN_MIN, SPEED = 30.0, 3.0
ORDER = ["spike", "ramp", "streak", "racer", "calm"]  # most need first


def _day(n: int) -> datetime:
    d = MONDAY + timedelta(days=n)
    return datetime(d.year, d.month, d.day, 7, 0, tzinfo=timezone.utc)


def _calm(weeks: int = WEEKS) -> dict[int, float]:
    return {w * 7 + d: RUN_MIN for w in range(weeks) for d in CALM_DAYS}


def plans() -> dict[str, dict[int, float]]:
    """athlete -> {day number: minutes}."""
    spike = _calm()
    spike[(WEEKS - 1) * 7 + 6] = 75.0
    streak = _calm(4)
    streak.update({28 + i: RUN_MIN for i in range(12)})
    ramp = _calm(5)
    ramp.update({35 + d: RUN_MIN for d in (0, 1, 2, 3, 4)})
    return {"calm": _calm(), "spike": spike, "streak": streak, "ramp": ramp, "racer": _calm()}


LAST_DAY = MONDAY + timedelta(days=max(max(p) for p in plans().values()))
RACE_DAY = MONDAY + timedelta(days=WEEKS * 7 - 1 + 14)


def write_team(root: Path) -> Path:
    """The team folder: one subfolder per athlete and a races.csv; returns ``root``."""
    for athlete, plan in plans().items():
        folder = root / athlete
        folder.mkdir(parents=True, exist_ok=True)
        for day, minutes in sorted(plan.items()):
            (folder / f"{athlete}_{day:03d}.fit").write_bytes(fit_run(_day(day), minutes=minutes, speed_m_s=SPEED))
    (root / "races.csv").write_text(
        f"athlete,race_date,race_name,race_distance_km\nracer,{RACE_DAY.isoformat()},Spring Half,21.0975\n", encoding="utf-8")
    return root
