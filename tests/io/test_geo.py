"""Pure geo maths against closed-form and published distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crampcheck.io import geo

DEG_M = geo.EARTH_RADIUS_M * math.pi / 180  # one degree of a great circle, metres


def test_one_degree_of_latitude_is_111_2_km():
    assert geo.haversine_m(45.0, 6.0, 46.0, 6.0) == pytest.approx(111_195.08, abs=0.01)
    assert geo.haversine_m(45.0, 6.0, 46.0, 6.0) / 1000 == pytest.approx(111.2, abs=0.05)


def test_one_degree_of_longitude_shrinks_with_cos_latitude():
    assert geo.haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(DEG_M, rel=1e-12)
    # at 60 deg N a small east step is cos(60) = half as long as on the equator
    assert geo.haversine_m(60.0, 0.0, 60.0, 0.001) == pytest.approx(0.5 * 0.001 * DEG_M, rel=1e-6)


def test_quarter_and_half_great_circle():
    assert geo.haversine_m(0.0, 0.0, 0.0, 90.0) == pytest.approx(math.pi / 2 * geo.EARTH_RADIUS_M, rel=1e-12)
    assert geo.haversine_m(0.0, 0.0, 90.0, 0.0) == pytest.approx(math.pi / 2 * geo.EARTH_RADIUS_M, rel=1e-12)
    # antipodes: arcsin is ill-conditioned there (~0.2 m in 20 000 km), hence rel=1e-7
    assert geo.haversine_m(10.0, 20.0, -10.0, -160.0) == pytest.approx(math.pi * geo.EARTH_RADIUS_M, rel=1e-7)


def test_paris_to_london_is_about_344_km():
    # Notre-Dame (48.8530, 2.3499) to Trafalgar Square (51.5080, -0.1281): ~343.9 km great circle
    assert geo.haversine_m(48.8530, 2.3499, 51.5080, -0.1281) / 1000 == pytest.approx(343.9, abs=1.0)


def test_haversine_is_vectorised_and_symmetric():
    lat1, lon1 = np.array([0.0, 45.0]), np.array([0.0, 6.0])
    lat2, lon2 = np.array([1.0, 45.0]), np.array([0.0, 7.0])
    d = geo.haversine_m(lat1, lon1, lat2, lon2)
    assert d.shape == (2,)
    np.testing.assert_allclose(d, geo.haversine_m(lat2, lon2, lat1, lon1))
    assert d[0] == pytest.approx(DEG_M)


def _north_line(n: int, step_m: float, dt_s: float = 1.0):
    """n fixes going due north from (45, 6), step_m apart and dt_s apart."""
    lat = 45.0 + np.arange(n) * step_m / DEG_M
    return lat, np.full(n, 6.0), np.arange(n) * dt_s


def test_cumulative_distance_counts_every_step_within_a_segment():
    lat, lon, _ = _north_line(5, 10.0)
    np.testing.assert_allclose(geo.cumulative_distance_m(lat, lon, np.zeros(5)), [0, 10, 20, 30, 40], atol=1e-6)


def test_cumulative_distance_skips_the_jump_between_segments_and_missing_fixes():
    lat, lon, _ = _north_line(6, 10.0)
    lat[3:] += 0.01  # segment 2 starts 1.1 km further north
    lon = lon.copy()
    lat[4] = np.nan  # a fix without position adds nothing; the next one measures from fix 3
    dist = geo.cumulative_distance_m(lat, lon, np.array([0, 0, 0, 1, 1, 1]))
    np.testing.assert_allclose(dist, [0, 10, 20, 20, 20, 40], atol=1e-6)


def test_spike_mask_drops_an_out_and_back_jump_only():
    lat, lon, t = _north_line(10, 3.0)  # 3 m/s
    lon = lon.copy()
    lon[5] += 0.01  # ~790 m east and back within 2 s
    mask = geo.spike_mask(lat, lon, t, geo.FOOT_SPIKE_SPEED_M_S)
    assert mask.tolist() == [i == 5 for i in range(10)]


def test_spike_mask_drops_a_bad_first_fix_and_keeps_a_fast_steady_ride():
    lat, lon, t = _north_line(10, 3.0)
    lat = lat.copy()
    lat[0] -= 0.01  # first fix 1.1 km off
    assert geo.spike_mask(lat, lon, t, geo.FOOT_SPIKE_SPEED_M_S).tolist() == [i == 0 for i in range(10)]
    lat, lon, t = _north_line(10, 20.0)  # 20 m/s steady: fast, but no out-and-back
    assert not geo.spike_mask(lat, lon, t, geo.FOOT_SPIKE_SPEED_M_S).any()


def test_spike_speed_is_sport_aware():
    assert geo.spike_speed_m_s("running") == geo.FOOT_SPIKE_SPEED_M_S
    assert geo.spike_speed_m_s("cycling") == geo.DEFAULT_SPIKE_SPEED_M_S > geo.FOOT_SPIKE_SPEED_M_S


def test_windowed_speed_is_exact_for_steady_motion_and_ignores_segment_gaps():
    t = np.array([0, 1, 2, 3, 100, 101, 102, 103], dtype=float)
    d = np.array([0, 3, 6, 9, 9, 12, 15, 18], dtype=float)  # 3 m/s, a 97 s stop between segments
    speed = geo.windowed_speed_m_s(d, t, np.array([0, 0, 0, 0, 1, 1, 1, 1]))
    np.testing.assert_allclose(speed, 3.0)


def test_smooth_altitude_removes_a_single_spike_keeps_ramps_and_gaps():
    flat = np.full(11, 200.0)
    flat[5] = 260.0
    np.testing.assert_allclose(geo.smooth_altitude_m(flat), 200.0)
    ramp = np.arange(20, dtype=float)
    np.testing.assert_allclose(geo.smooth_altitude_m(ramp)[4:-4], ramp[4:-4])
    gap = np.array([1.0, 1.0, np.nan, 1.0, 1.0])
    out = geo.smooth_altitude_m(gap)
    assert np.isnan(out[2]) and np.allclose(out[[0, 1, 3, 4]], 1.0)
    assert np.isnan(geo.smooth_altitude_m(np.full(3, np.nan))).all()


def test_path_length_3d_adds_the_climb():
    lat, lon, _ = _north_line(2, 30.0)
    assert geo.path_length_m(lat, lon, np.zeros(2), np.array([0.0, 40.0])) == pytest.approx(50.0, rel=1e-9)
    assert geo.path_length_m(lat, lon, np.zeros(2)) == pytest.approx(30.0, rel=1e-9)


def test_centred_window_helpers_skip_missing_values_and_cut_at_the_ends():
    x = np.array([1.0, 5.0, np.nan, 2.0, 8.0, 3.0])
    np.testing.assert_array_equal(geo.centred_sum(np.arange(5.0), 3), [1, 3, 6, 9, 7])
    # windows of 5: [1,5,nan] [1,5,nan,2] [1,5,nan,2,8] [5,nan,2,8,3] [nan,2,8,3] [2,8,3]
    np.testing.assert_array_equal(geo.centred_median(x, 5), [3.0, 2.0, 3.5, 4.0, 3.0, 3.0])
    np.testing.assert_allclose(geo.centred_mean(x, 5), [3.0, 8 / 3, 4.0, 4.5, 13 / 3, 13 / 3])
    assert np.isnan(geo.centred_median(np.full(3, np.nan), 5)).all()
    assert geo.centred_median(np.array([]), 5).size == 0


def test_smoothing_and_speed_equal_pandas_rolling_windows():
    import pandas as pd

    rng = np.random.default_rng(7)
    alt = rng.normal(200, 5, 300)
    alt[rng.random(300) < 0.2] = np.nan
    roll = {"window": 5, "center": True, "min_periods": 1}
    expected = pd.Series(alt).rolling(**roll).median().rolling(**roll).mean().to_numpy(copy=True)
    expected[np.isnan(alt)] = np.nan
    np.testing.assert_allclose(geo.smooth_altitude_m(alt), expected, rtol=1e-12)
    d, t = np.cumsum(rng.random(300) * 4), np.arange(300.0)
    segment = (t > 150).astype(int)  # a second segment: its first step counts neither
    step_d, step_t = np.diff(d, prepend=d[0]), np.diff(t, prepend=t[0])
    step_d[151], step_t[151] = 0.0, 0.0
    expected = pd.Series(step_d).rolling(**roll).sum() / pd.Series(step_t).rolling(**roll).sum()
    np.testing.assert_allclose(geo.windowed_speed_m_s(d, t, segment), expected, rtol=1e-12)
