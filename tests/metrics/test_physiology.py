"""Aerobic decoupling and descent against values constructed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.physiology import altitude_profile_m, total_descent_m
from crampcheck.metrics.run import compute
from tests.helpers.runs import Seg, build


def test_decoupling_exact_for_constructed_run():
    # same speed, heart rate 150 then 160: EF1 / EF2 - 1 = 160 / 150 - 1
    m = compute(build([Seg(1800, 3.0, hr=150), Seg(1800, 3.0, hr=160)]), "km")
    assert m.hr_drift_pct == pytest.approx((160 / 150 - 1) * 100, abs=1e-6)


def test_decoupling_with_speed_change_and_warmup_left_out():
    # warm-up jog (left out), then 25 min at 3.2 m/s / 150 bpm and 25 min at 3.0 m/s / 150 bpm
    segs = [Seg(600, 2.7, hr=120), Seg(1500, 3.2, hr=150), Seg(1500, 3.0, hr=150)]
    m = compute(build(segs), "km")
    assert m.warmup is not None and m.warmup.end_s == pytest.approx(600, abs=2)
    halves_efficiency = (3.2 / 150) / (3.0 / 150)
    assert m.hr_drift_pct == pytest.approx((halves_efficiency - 1) * 100, abs=0.2)


def test_decoupling_needs_45_min_and_heart_rate():
    short = compute(build([Seg(1300, 3.0, hr=150), Seg(1300, 3.0, hr=160)]), "km")  # 43 min
    assert short.hr_drift_pct is None
    assert compute(build([Seg(3600, 3.0)]), "km").hr_drift_pct is None


def test_descent_of_a_hilly_profile():
    # +5 % for 2000 m (100 m up), -6 % for 1000 m (60 m down), flat, -4 % for 500 m (20 m down)
    segs = [Seg(667, 3.0, grade=0.05), Seg(333, 3.0, grade=-0.06), Seg(300, 3.0), Seg(167, 3.0, grade=-0.04)]
    m = compute(build(segs), "km")
    assert m.total_descent_m == pytest.approx(80.0, rel=0.03)
    assert m.descent_m_per_km == pytest.approx(m.total_descent_m / (m.distance_m / 1000))


def test_altitude_noise_below_hysteresis_adds_no_descent():
    d = np.arange(0.0, 10000.0, 1.0)
    rng = np.random.default_rng(7)
    alt = 200 + rng.uniform(-1.0, 1.0, len(d))  # +-1 m barometric jitter on the flat
    assert total_descent_m(altitude_profile_m(d, alt)) == 0.0


def test_hysteresis_counts_falls_once_confirmed():
    profile = np.array([100, 101, 99.5, 102, 90, 92, 88, 95, 94, 96])
    # falls: 102 -> 88 (the 2 m bounce at 90-92 is inside the 3 m band) = 14
    assert total_descent_m(profile, 3.0) == pytest.approx(14.0)
    assert total_descent_m(np.array([100.0, 95.0, 90.0]), 3.0) == pytest.approx(10.0)  # ends falling
