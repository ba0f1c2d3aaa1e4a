"""The generated year of ordinary training: deterministic, and the intended mix of runs."""

from collections import Counter

import pytest

from crampcheck.synth.spec import COOLDOWN, WALK, WARMUP
from crampcheck.synth.year import EASY, INTERVALS, LONG, RACE, TEMPO, training_year


def _minutes(run) -> float:
    return sum(s.duration_s for s in run.spec.segments) / 60.0


def _km(run) -> float:
    return run.spec.distance_m / 1000.0


@pytest.fixture(scope="module")
def year():
    return training_year(seed=0)


def test_same_seed_same_specs_other_seed_other_specs(year):
    assert training_year(seed=0) == year
    assert training_year(seed=1) != year


def test_mix_of_runs(year):
    kinds = Counter(r.kind for r in year)
    assert 230 <= len(year) <= 270
    assert kinds[LONG] + kinds[RACE] == 52  # one long run (or race) every week
    assert kinds[RACE] == 5
    assert 45 <= kinds[INTERVALS] <= 52 and 40 <= kinds[TEMPO] <= 47
    assert 90 <= kinds[EASY] <= 130
    weeks = Counter(r.week for r in year)
    assert set(weeks) == set(range(52)) and max(weeks.values()) <= 6


def test_durations_and_distances(year):
    by = {k: [r for r in year if r.kind == k] for k in (EASY, LONG, TEMPO, INTERVALS, RACE)}
    assert all(29.5 <= _minutes(r) <= 60.5 for r in by[EASY])
    assert all(70 <= _minutes(r) <= 150.5 for r in by[LONG])
    assert sum(_minutes(r) > 125 for r in by[LONG]) in range(3, 8)  # the marathon block only
    assert all(38 <= _minutes(r) <= 72 for r in by[TEMPO])
    assert sorted(round(_km(r), 1) for r in by[RACE]) == [5.0, 10.0, 10.0, 21.1, 21.1]
    assert all(r.spec.is_race for r in by[RACE]) and not any(r.spec.is_race for k in (EASY, LONG) for r in by[k])
    assert all(4.0 <= _km(r) <= 13.0 for r in by[EASY])


def test_session_structure(year):
    for r in year:
        labels = [s.label for s in r.spec.segments]
        if r.kind in (TEMPO, INTERVALS):
            assert labels[0] == WARMUP and labels[-1] == COOLDOWN
        if r.kind == INTERVALS:
            reps = [s for s in r.spec.segments if s.label == "rep"]
            rep_m = sum(s.duration_s * s.speed_m_s for s in reps)
            assert 5 * 400 - 1 <= rep_m <= 8 * 1000 + 1
            assert min(s.speed_m_s for s in reps) > 1.2 * max(s.speed_m_s for s in r.spec.segments if s.label == WARMUP)
        if r.kind in (EASY, LONG):
            assert not any(s.kind == WALK for s in r.spec.segments)
            speeds = [s.speed_m_s for s in r.spec.segments]
            assert max(speeds) / min(speeds) < 1.6  # even pace (hills and noise only)


def test_season_and_heart_rate(year):
    temps = {r.spec.start_time_utc.month: [] for r in year}
    for r in year:
        temps[r.spec.start_time_utc.month].append(r.spec.temperature_c)
    assert max(temps[1]) < 12 and min(temps[1]) >= 0
    assert max(max(t) for t in temps.values()) >= 26 and all(0 <= x <= 30 for t in temps.values() for x in t)
    assert sum(temps[7]) / len(temps[7]) > sum(temps[1]) / len(temps[1]) + 10
    hr = [s.heart_rate_bpm for r in year for s in r.spec.segments]
    assert 100 <= min(hr) and max(hr) <= 190
