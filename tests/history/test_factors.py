"""History factors over hand-built summary rows with known truth."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from crampcheck.history.factors import distance_spike, hard_streak, history_findings, no_rest, race_overreach
from crampcheck.history.params import HistoryThresholds, thresholds_from_config
from crampcheck.history.weekly import flag_weeks, weekly_summary
from tests.helpers.history import T0, row

TH = HistoryThresholds()
SPIKE_WEEK = 30


def steady_history(weeks: int = 52, spike_week: int | None = SPIKE_WEEK, spike_pct: float = 60.0):
    """Mon/Wed/Fri 8 km + Sun 16 km every week; the spike week is ``spike_pct`` % bigger in every run."""
    rows = []
    for w in range(weeks):
        factor = 1 + spike_pct / 100 if w == spike_week else 1.0
        for dow, km in ((0, 8), (2, 8), (4, 8), (6, 16)):
            rows.append(row(7 * w + dow, km * factor))
    return rows


def week_monday(w: int) -> date:
    return (T0 + timedelta(weeks=w)).date()


def test_defaults_come_from_the_risk_table():
    from crampcheck.risk.config import Config
    from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS

    assert thresholds_from_config(None) == TH
    custom = Config(thresholds=DEFAULT_THRESHOLDS.with_overrides({"weekly_ramp_moderate_ratio": 1.2}, "test.toml"))
    assert thresholds_from_config(custom).weekly_ramp_moderate_ratio == 1.2
    assert TH.distance_spike_moderate_pct == 10.0 and TH.weekly_ramp_high_ratio == 1.5


def test_weekly_summary_volumes_and_ramp():
    weeks = weekly_summary(steady_history(), TH)
    assert len(weeks) == 52
    assert weeks[0].week == "2023-W01" and weeks[0].start_date == date(2023, 1, 2)
    assert weeks[0].volume_km == pytest.approx(40.0) and weeks[0].runs == 4 and weeks[0].long_run_km == 16.0
    assert all(w.ramp_ratio is None for w in weeks[:4])
    assert weeks[5].ramp_ratio == pytest.approx(1.0)
    assert weeks[SPIKE_WEEK].ramp_ratio == pytest.approx(1.6)
    # the week after: 40 / mean(40, 40, 40, 64) = 0.87
    assert weeks[SPIKE_WEEK + 1].ramp_ratio == pytest.approx(40 / 46)


def test_52_weeks_with_one_big_week_flags_that_week_only():
    rows = steady_history()
    weeks = weekly_summary(rows, TH)
    found = history_findings(rows, weeks, TH)
    ramps = [f for f in found if f.id == "weekly_ramp"]
    assert [(f.start_date, f.level, f.value) for f in ramps] == [(week_monday(SPIKE_WEEK), "high", 1.6)]
    spikes = [f for f in found if f.id == "distance_spike"]
    assert spikes, "the +60 % week must give distance spikes"
    first, last = week_monday(SPIKE_WEEK), week_monday(SPIKE_WEEK) + timedelta(days=6)
    assert all(first <= f.start_date <= last for f in spikes)
    # its Sunday long run: 25.6 km vs 16 km -> +60 %, high; its first run 12.8 vs 16 -> none
    sunday = [f for f in spikes if f.start_date == last]
    assert len(sunday) == 1 and sunday[0].level == "high" and sunday[0].value == pytest.approx(60.0)
    flag_weeks(weeks, found)
    assert {"weekly_ramp", "distance_spike"} <= set(weeks[SPIKE_WEEK].flags)
    assert all("weekly_ramp" not in w.flags and "distance_spike" not in w.flags
               for i, w in enumerate(weeks) if i != SPIKE_WEEK)


def test_a_return_on_a_sunday_flags_its_week_not_the_empty_week_after():
    """Back on a Sunday after 6 weeks off, then a week off: the return's first 7 days reach into
    that empty week, which the weeks table leaves unflagged."""
    rows = steady_history(weeks=8, spike_week=None)
    back = 7 * 14 + 6  # a Sunday, six weeks after the last run (day 55)
    rows += [row(back, 10.0), row(back + 8, 8.0)]
    weeks = weekly_summary(rows, TH)
    found = history_findings(rows, weeks, TH)
    flag_weeks(weeks, found)
    flagged = {w.week: w.flags for w in weeks if "return_after_break" in w.flags}
    back_week = weekly_summary([row(back, 1.0)], TH)[0].week
    assert list(flagged) == ["2023-W01", back_week]  # the start of the data and the return
    assert [w.runs for w in weeks if w.start_date > weeks[0].start_date + timedelta(weeks=14)][:2] == [0, 1]


def test_no_flags_without_a_spike():
    rows = steady_history(spike_week=None)
    found = history_findings(rows, weekly_summary(rows, TH), TH)
    assert [f for f in found if f.id in ("weekly_ramp", "distance_spike", "no_rest", "hard_streak")] == []


@pytest.mark.parametrize("km, level, threshold", [
    (10.9, None, None), (11.5, "moderate", 10.0), (13.5, "high", 30.0), (19.5, "high", 30.0),
    (21.0, "very high", 100.0),
    # exactly at a "more than" threshold, up to float rounding (11 / 10 - 1 is 10.000000000000009 %): not beyond it
    (11.0, None, None), (13.0, "moderate", 10.0), (20.0, "high", 30.0),
])
def test_distance_spike_bands(km, level, threshold):
    rows = [row(d, 10.0) for d in range(0, 35, 5)] + [row(35, 10.0), row(36, km)]
    # the longest run of the 30 days before day 36 is 10 km
    found = distance_spike(rows, TH)
    if level is None:
        assert found == []
    else:
        assert [(f.level, f.threshold, f.start_date) for f in found] == [(level, threshold, (T0 + timedelta(days=36)).date())]
        assert found[0].value == pytest.approx((km / 10 - 1) * 100, abs=0.05)


def test_distance_spike_needs_a_covered_window():
    # day 5 is twice day 0, but the history does not cover 30 days before it
    assert distance_spike([row(0, 5.0), row(5, 10.0)], TH) == []
    # after a 40-day break there is no run in the window to compare with
    assert distance_spike([row(0, 5.0), row(31, 5.0), row(80, 10.0)], TH) == []


def test_weekly_ramp_bands():
    from crampcheck.history.factors import weekly_ramp

    def history(last_km):
        return [row(7 * w, 10.0) for w in range(4)] + [row(28, last_km)]

    assert weekly_ramp(weekly_summary(history(13.0), TH), TH) == []  # 1.3: not more than 1.3
    moderate = weekly_ramp(weekly_summary(history(14.0), TH), TH)
    assert [(f.level, f.value) for f in moderate] == [("moderate", 1.4)]
    high = weekly_ramp(weekly_summary(history(15.0), TH), TH)  # 1.5: at least 1.5
    assert [(f.level, f.value, f.threshold) for f in high] == [("high", 1.5, 1.5)]
    assert "disputed" in high[0].why


def test_hard_streak_uses_the_runners_own_top_quartile():
    easy = [row(d, 8.0, speed=3.0) for d in range(0, 40, 2)]  # every other day, easy
    hard = [row(41, 8.0, speed=3.6), row(42, 8.0, speed=3.6), row(43, 8.0, speed=3.6),  # 3 hard days
            row(50, 8.0, speed=3.6), row(51, 8.0, speed=3.6)]  # 2 hard days
    rows = sorted(easy + hard + [row(d, 8.0, speed=3.0) for d in range(44, 50)], key=lambda r: r.start_time_utc)
    found = hard_streak(rows, TH)
    assert [(f.level, f.value, f.start_date) for f in found] == [
        ("high", 3.0, (T0 + timedelta(days=41)).date()), ("moderate", 2.0, (T0 + timedelta(days=50)).date())]


def test_hard_streak_counts_long_runs_and_ignores_uniform_runners():
    uniform = [row(d, 8.0) for d in range(20)]
    assert hard_streak(uniform, TH) == []  # all alike: nobody's top quartile
    long_days = uniform[:10] + [row(10, 20.0, speed=3.0), row(11, 20.0, speed=3.0)]  # 111 min each
    found = hard_streak(long_days, TH)
    assert [(f.level, f.value) for f in found] == [("moderate", 2.0)]


def test_no_rest_bands():
    rows = [row(d, 5.0) for d in range(6)] + [row(d, 5.0) for d in range(10, 17)] + [row(d, 5.0) for d in range(20, 30)]
    found = no_rest(rows, TH)
    assert [(f.level, f.value, f.start_date, f.end_date) for f in found] == [
        ("moderate", 7.0, (T0 + timedelta(days=10)).date(), (T0 + timedelta(days=16)).date()),
        ("high", 10.0, (T0 + timedelta(days=20)).date(), (T0 + timedelta(days=29)).date()),
    ]


def test_race_overreach_pace_and_distance():
    """Best training effort of 20 min or more: 3.2 m/s, read as one-hour race pace (11,520 m); by
    Riegel it supports 3.227 m/s over 10 km and 2.960 m/s over the marathon."""
    training = [row(d, 12.0, speed=3.0, best=3.2) for d in range(0, 56, 3)]  # longest 12 km
    day = 56
    normal = row(day, 10.0, speed=3.36, race=True, marked="name")  # 5 % faster than the tempo, 4.1 % above
    assert race_overreach(training + [normal], TH) == []           # the 10 km it supports: a normal race
    fast = row(day, 10.0, speed=3.45, race=True, marked="name")
    (f,) = race_overreach(training + [fast], TH)
    assert (f.level, f.value, f.threshold, f.file) == ("moderate", 6.9, 5.0, fast.file)
    assert "6.9 % faster than your training supports over 10.0 km" in f.why
    tempo_marathon = row(day, 42.195, speed=3.2, race=True, marked="name")  # the tempo's pace over 42 km: 8.1 %
    (m,) = race_overreach(training + [tempo_marathon], TH)                   # too fast, and 252 % longer
    assert (m.level, m.value) == ("high", 8.1)
    paced_marathon = row(day, 42.195, speed=3.0, race=True, marked="name")  # 1.3 %: only its distance
    (n,) = race_overreach(training + [paced_marathon], TH)
    assert n.level == "moderate" and n.threshold == TH.race_overreach_distance_pct
    long_fast = row(day, 21.1, speed=3.45, race=True, marked="export")
    (g,) = race_overreach(training + [long_fast], TH)
    assert g.level == "high" and "76 % longer" in g.why  # 21.1 vs 12 km
    # training older than 8 weeks does not count: nothing to compare with
    assert race_overreach([row(0, 12.0, best=3.2), row(60, 10.0, speed=3.5, race=True, marked="file")], TH) == []


def test_thresholds_from_config_are_used():
    rows = [row(d, 10.0) for d in range(0, 35, 5)] + [row(35, 10.0), row(36, 10.8)]
    assert distance_spike(rows, TH) == []
    (f,) = distance_spike(rows, replace(TH, distance_spike_moderate_pct=5.0))
    assert (f.level, f.threshold) == ("moderate", 5.0)


def test_distance_spike_window_max_matches_the_plain_definition():
    """The sliding maximum gives what "the longest run of the previous 30 days" says, ties and
    same-start runs included, on an irregular history."""
    import random

    rng = random.Random(7)
    rows = sorted((row(rng.randrange(0, 400), rng.uniform(3, 30), hour=rng.choice((6, 6, 18))) for _ in range(300)),
                  key=lambda r: r.start_time_utc)
    window = timedelta(days=TH.distance_spike_window_days)
    expected = []
    for r in rows:
        if r.start_time_utc - rows[0].start_time_utc < window:
            continue
        longest = max((o.distance_m for o in rows if r.start_time_utc - window <= o.start_time_utc < r.start_time_utc), default=0)
        if longest and (r.distance_m / longest - 1) * 100 > TH.distance_spike_moderate_pct:
            expected.append((r.file, round((r.distance_m / longest - 1) * 100, 1)))
    assert [(f.file, f.value) for f in distance_spike(rows, TH)] == expected and expected
