"""Session shape (metrics/shape.py) on runs with known structure, and what the shape gates."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import numpy as np
import pytest

from crampcheck.metrics import shape
from crampcheck.metrics.run import compute
from crampcheck.risk import factors as F
from crampcheck.risk.assess import assess
from crampcheck.risk.config import Config, RunnerProfile
from crampcheck.risk.model import NotJudged
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS as T
from crampcheck.schema import Lap
from tests.helpers.runs import Seg, build

START = datetime(2024, 7, 1, 6, 0, tzinfo=timezone.utc)


def grid(pieces):
    """A per-second grid (t, distance) for (seconds, speed) pieces."""
    speeds = np.concatenate([np.full(int(s), v) for s, v in pieces])
    return np.arange(len(speeds) + 1, dtype=float), np.concatenate(([0.0], np.cumsum(speeds)))


def laps(pieces):
    return [Lap(START, float(s), float(s), float(s * v)) for s, v in pieces]


def classify(pieces, lap_pieces=(), **kw):
    t, d = grid(pieces)
    defaults = dict(is_race=False, sub_sport=None, descent_m_per_km=2.0, first_half_m_s=None, second_half_m_s=None)
    return shape.classify(t, d, laps(lap_pieces), **(defaults | kw))


REPS = [(600, 2.6)] + [(180, 4.4), (240, 1.5)] * 5 + [(600, 2.6)]  # warm-up, 5 x 3 min with walks, cool-down


def test_reps_in_the_laps_make_an_interval_session():
    s = classify(REPS, REPS)
    assert s.kind == "intervals" and s.evidence == "5 laps faster than the laps either side"


def test_reps_without_laps_are_found_in_the_speed():
    assert classify(REPS).kind == "intervals"


@pytest.mark.parametrize("recovery_s", [50, 60, 70])
def test_short_reps_with_short_jog_recoveries_are_intervals(recovery_s):
    """5 x 90 s at 4.44 m/s with 50-70 s jogs at 2.1 m/s between 13- and 10-minute easy jogs at
    2.65 m/s: the jogs sit just under the slow bound (0.85 x the 2.65 m/s median = 2.25 m/s), so
    after 30 s of smoothing each is slow for only 20-40 s; the recovery is the time between reps."""
    pieces = [(780, 2.65)] + [(90, 4.44), (recovery_s, 2.1)] * 4 + [(90, 4.44), (600, 2.65)]
    s = classify(pieces, first_half_m_s=2.9, second_half_m_s=3.1)
    assert (s.kind, s.evidence) == ("intervals", "4 fast stretches alternating with slow ones")


@pytest.mark.parametrize("pickup_s, pickup_m_s, kind", [
    (90, 3.9, "fartlek"),  # 5 x 90 s at +30 % off a steady 3.0 m/s, the run's own pace between: pickups
    (45, 3.9, "steady"),   # as short as surges: no session
    (90, 3.54, "steady"),  # +18 %: fast, but not well above the run's pace
])
def test_pickups_off_the_runs_own_pace_are_a_fartlek(pickup_s, pickup_m_s, kind):
    """No slow recovery between the fast stretches: the run's own pace. Pickups (60 s or more at
    25 % or more above the median) make a fartlek; shorter or milder ones stay a steady run."""
    pieces = [(600, 3.0)] + [(pickup_s, pickup_m_s), (120, 3.0)] * 5 + [(600, 3.0)]
    s = classify(pieces, first_half_m_s=3.1, second_half_m_s=3.1)
    assert s.kind == kind
    if kind == "fartlek":
        assert s.evidence == "5 pickups well above the run's own pace" and len(s.rep_speeds_m_s) == 5


def test_a_run_walk_is_not_intervals():
    """2 min running at 2.6 m/s, 2 min walking at 1.3 m/s, eight times: against the median of all
    the speeds the running would be fast 'reps'; against the running's own median it is not."""
    pieces = [(120, 2.6), (120, 1.3)] * 8
    assert classify(pieces, first_half_m_s=2.0, second_half_m_s=2.0).kind == "run_walk"


def test_irregular_reps_are_a_fartlek():
    pieces = [(600, 2.8), (60, 4.0), (200, 2.2), (300, 4.0), (120, 2.2), (90, 4.0), (400, 2.2), (600, 2.8)]
    assert classify(pieces, pieces).kind == "fartlek"


def test_even_run_with_km_laps_is_steady():
    pieces = [(333, 3.0)] * 10
    assert classify(pieces, pieces, first_half_m_s=3.0, second_half_m_s=3.0).kind == "steady"


def test_race_treadmill_and_terrain_kinds():
    pieces = [(3000, 3.0)]
    assert classify(pieces, is_race=True).kind == "race"
    assert classify(pieces, sub_sport="treadmill").kind == "treadmill"
    assert classify(pieces, descent_m_per_km=25.0).kind == "hilly"
    walk_run = [(240, 3.0), (120, 1.2)] * 8
    assert classify(walk_run, descent_m_per_km=40.0).kind == "trail_walk_run"
    assert classify(walk_run).kind == "run_walk"
    assert classify([(900, 3.0)]).kind == "short_jog"


@pytest.mark.parametrize(("second", "kind"), [(3.2, "progression"), (2.8, "fade"), (3.05, "steady")])
def test_trend_from_the_halves(second, kind):
    assert classify([(3000, 3.0)], first_half_m_s=3.0, second_half_m_s=second).kind == kind


def test_interval_session_is_not_judged_for_fast_start_fade_surges_or_drift():
    segs = [Seg(600, 2.6, hr=130)] + [Seg(180, 4.4, hr=170), Seg(240, 1.5, hr=120)] * 5 + [Seg(600, 2.6, hr=125)]
    m = compute(build(segs), "km")
    assert m.shape.kind == "intervals"
    a = assess(m, Config())
    reasons = {n.id: n.reason for n in a.not_judged}
    for factor in ("fast_start", "positive_split", "surges", "hr_drift"):
        assert factor in reasons and reasons[factor].startswith("an interval session")
    assert a.scores.overall != "high"


def test_flat_fast_start_is_still_found():
    """A 6 % fast first km on flat ground, even after: fast_start high, shape not structured."""
    m = compute(build([Seg(int(1000 / 3.18), 3.18), Seg(3000, 3.0)]), "km")
    assert m.shape.kind not in ("intervals", "fartlek", "run_walk")
    result = F.fast_start(m, T, RunnerProfile())
    assert result[0].level == "high" and result[0].value == pytest.approx(6.0, abs=0.2)


def test_downhill_start_at_even_effort_is_not_a_fast_start():
    """Raw pace says 8 % fast (a -5 % descent), grade-adjusted says even: not flagged."""
    from crampcheck.metrics.grade import cost_factor

    down = 3.0 / float(cost_factor(-0.05))
    m = compute(build([Seg(int(1500 / down), down, grade=-0.05), Seg(3000, 3.0)]), "km")
    assert m.pacing.raw.first_km_m_s / m.pacing.raw.last_km_m_s > 1.05
    assert F.fast_start(m, T, RunnerProfile()) == []


def test_uphill_finish_at_even_effort_is_not_a_positive_split():
    from crampcheck.metrics.grade import cost_factor

    up = 3.0 / float(cost_factor(0.05))
    m = compute(build([Seg(3000, 3.0), Seg(1000, up, grade=0.05)]), "km")
    assert m.pacing.raw.first_three_quarters_m_s / m.pacing.raw.final_quarter_m_s > 1.08  # raw: a fade
    assert F.positive_split(m, T, RunnerProfile()) == []


def test_a_fade_at_rising_heart_rate_is_no_cooldown():
    """The last 8 min 12 % slower with HR still climbing: a fade, judged as one."""
    segs = [Seg(1800, 3.0, hr=150), Seg(480, 2.64, hr=165)]
    m = compute(build(segs), "km")
    assert m.cooldown is None
    assert F.positive_split(m, T, RunnerProfile())[0].level in ("moderate", "high")
    easing = compute(build([Seg(1800, 3.0, hr=150), Seg(480, 2.64, hr=125)]), "km")
    assert easing.cooldown is not None  # the same pace with the heart rate falling is a cool-down jog


def test_warmup_and_cooldown_not_judged_on_races_or_short_runs():
    m = compute(build([Seg(3000, 3.0)]), "km")
    race = replace(m, shape=replace(m.shape, kind="race"))
    for factor in (F.no_warmup, F.no_cooldown):
        assert isinstance(factor(race, T, RunnerProfile()), NotJudged)
    short = compute(build([Seg(1100, 3.0)]), "km")
    assert isinstance(F.no_warmup(short, T, RunnerProfile()), NotJudged)


def test_fading_reps_are_the_interval_form_of_a_fast_start():
    """5 x 3 min: the first two at 4.6 m/s, the last two at 4.2 (9.5 % slower): moderate; even reps: nothing."""
    def session(speeds):
        segs = [Seg(600, 2.6, hr=130)]
        for v in speeds:
            segs += [Seg(180, v, hr=170), Seg(240, 1.5, hr=120)]
        return compute(build(segs + [Seg(600, 2.6, hr=125)]), "km")

    fading = session([4.6, 4.6, 4.4, 4.2, 4.2])
    assert fading.shape.kind == "intervals"
    assert fading.shape.rep_speeds_m_s == pytest.approx((4.6, 4.6, 4.4, 4.2, 4.2), rel=0.01)
    found = F.fading_reps(fading, T, RunnerProfile())
    assert found[0].level == "moderate" and found[0].value == pytest.approx((4.6 / 4.2 - 1) * 100, rel=0.02)
    assert F.fading_reps(session([4.4] * 5), T, RunnerProfile()) == []
    assert F.fading_reps(compute(build([Seg(3000, 3.0)]), "km"), T, RunnerProfile()) == []  # not an interval session
