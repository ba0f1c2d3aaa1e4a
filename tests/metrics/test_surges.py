"""Surge detection against known surge times; none on steady or GPS-noisy runs."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.run import Detection, compute
from crampcheck.metrics.surges import fill_short_gaps, find_surges, preceding_median, true_runs
from tests.helpers.runs import Seg, build, moving_truth

BASE = 3.0
SURGE = 3.75  # +25 %
SURGE_STARTS_S = (900, 1840, 3040)  # moving seconds
SURGY = [
    Seg(900, BASE),
    Seg(40, SURGE),
    Seg(900, BASE),
    Seg(40, SURGE),
    Seg(1160, BASE),
    Seg(40, SURGE),
    Seg(500, BASE),
]
TOTAL_S = sum(s.duration_s for s in SURGY)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_surges_found_within_15_s(seed):
    m = compute(build(SURGY, speed_noise=0.03, seed=seed), "km")
    assert len(m.surges) == 3
    for surge, truth in zip(m.surges, SURGE_STARTS_S):
        assert surge.start_s == pytest.approx(truth, abs=15)
        assert surge.duration_s == pytest.approx(40, abs=10)
        assert surge.speed_ratio == pytest.approx(SURGE / BASE, abs=0.05)
        assert surge.start_m == pytest.approx(np.interp(truth, *moving_truth(SURGY)), abs=50)
    assert [s.in_last_third for s in m.surges] == [False, False, True]  # 3040 > 2/3 of 3580


def test_surges_after_a_timer_stop_keep_moving_time():
    segs = [Seg(900, BASE), Seg(300, stop=True), Seg(600, BASE), Seg(40, SURGE), Seg(600, BASE)]
    m = compute(build(segs, speed_noise=0.03), "km")
    assert [round(s.start_s / 15) for s in m.surges] == [round(1500 / 15)]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_steady_run_with_small_noise_has_none(seed):
    assert compute(build([Seg(3600, BASE)], speed_noise=0.03, seed=seed), "km").surges == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_gps_position_noise_creates_no_surge(seed):
    # white noise of 1 m on each axis at every fix, distance summed from the noisy positions
    m = compute(build([Seg(3600, BASE)], gps_noise_m=1.0, seed=seed), "km")
    assert m.surges == []


def test_single_gps_spike_is_no_surge():
    act = build([Seg(1800, BASE)])
    rec = act.records
    rec["distance_m"] = rec["distance_m"] + np.where(rec["elapsed_s"] >= 1000, 60.0, 0.0)  # a 60 m jump
    assert compute(act, "km").surges == []


def test_thresholds_are_parameters():
    act = build(SURGY, speed_noise=0.03)
    assert compute(act, "km", detection=Detection(surge_threshold_fraction=0.30)).surges == []  # +25 % < 30 %
    assert compute(act, "km", detection=Detection(surge_min_duration_s=60)).surges == []  # 40 s < 60 s
    assert len(compute(act, "km", detection=Detection(surge_baseline_s=120)).surges) == 3


def test_grid_function_and_baseline_start():
    t = np.arange(0.0, 1201.0)
    speed = np.where((t > 200) & (t <= 260), 4.0, 3.0)  # a surge 60 s after start_s
    distance = np.concatenate(([0.0], np.cumsum(speed[1:])))
    assert [s.start_s for s in find_surges(t, distance)] == [pytest.approx(200, abs=6)]
    assert find_surges(t, distance, start_s=180.0) == []  # too little baseline before it


def test_run_helpers():
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    starts, ends = true_runs(mask)
    assert starts.tolist() == [1, 5, 7] and ends.tolist() == [3, 6, 10]
    assert fill_short_gaps(mask, 1).astype(int).tolist() == [0, 1, 1, 0, 0, 1, 1, 1, 1, 1]


# --- speed-ups that are not jumps in effort (seen on real files) --------------------------


def test_picking_up_the_pace_after_a_walk_is_no_surge():
    segs = [Seg(900, BASE), Seg(120, 1.4), Seg(900, BASE), Seg(120, 1.3), Seg(900, BASE)]
    assert compute(build(segs, speed_noise=0.02), "km").surges == []


def test_running_faster_downhill_is_no_surge():
    segs = [Seg(900, BASE), Seg(120, BASE * 1.3, grade=-0.06), Seg(900, BASE)]
    assert compute(build(segs, speed_noise=0.02), "km").surges == []
    flat = [Seg(900, BASE), Seg(120, BASE * 1.3), Seg(900, BASE)]
    assert len(compute(build(flat, speed_noise=0.02), "km").surges) == 1


def test_heart_rate_must_confirm_a_surge_when_recorded():
    flat_hr = [Seg(900, BASE, hr=150), Seg(40, SURGE, hr=150), Seg(900, BASE, hr=150)]
    assert compute(build(flat_hr), "km").surges == []  # a speed bump the heart did not feel
    rising = [Seg(900, BASE, hr=150), Seg(40, SURGE, hr=162), Seg(900, BASE, hr=150)]
    found = compute(build(rising), "km").surges
    assert [round(s.start_s) for s in found] == [pytest.approx(900, abs=15)]


def _preceding_median_by_hand(values: np.ndarray, window: int, min_count: int) -> np.ndarray:
    """The definition, one window at a time: the median of the known values among the
    ``window`` before each element, NaN while fewer than ``min_count`` are known."""
    out = np.full(len(values), np.nan)
    for i in range(1, len(values)):
        known = np.sort(values[max(i - window, 0):i][np.isfinite(values[max(i - window, 0):i])])
        if len(known) >= max(min_count, 1):
            half = len(known) // 2
            out[i] = known[half] if len(known) % 2 else (known[half - 1] + known[half]) / 2
    return out


@pytest.mark.parametrize("seed", range(40))
def test_preceding_median_is_the_exact_median_of_the_window_before(seed):
    rng = np.random.default_rng(seed)
    n, window = int(rng.integers(0, 400)), int(rng.integers(1, 90))
    min_count = int(rng.integers(0, window + 3))  # sometimes more than a window holds: never known
    values = np.round(rng.normal(3.0, 0.3, n), int(rng.integers(1, 5)))  # ties, as on real speeds
    values[rng.random(n) < rng.random() * 0.6] = np.nan  # walking left out
    if seed % 5 == 0:
        values[: int(rng.integers(0, n + 1))] = np.nan  # a warm-up outside the searched span
    expected = _preceding_median_by_hand(values, window, min_count)
    assert np.array_equal(preceding_median(values, window, min_count), expected, equal_nan=True)


def test_preceding_median_on_known_numbers():
    values = np.array([1.0, 5.0, np.nan, 3.0, 2.0, 10.0])
    # windows of 3 before each element, at least 2 known: [1] -, [1 5] 3, [1 5 nan] 3, [5 nan 3] 4, [nan 3 2] 2.5
    assert np.array_equal(preceding_median(values, 3, 2), [np.nan, np.nan, 3.0, 3.0, 4.0, 2.5], equal_nan=True)
