"""The numpy window helpers of the hot path give what their pandas forms give (differential)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crampcheck.metrics.channels import fill_gaps
from crampcheck.metrics.grade import centred_mean
from crampcheck.metrics.moving import MAX_RECORD_GAP_S, STILL_SMOOTH_S, window_speed_m_s


@pytest.mark.parametrize("seed", range(8))
def test_fill_gaps_is_ffill_then_bfill(seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=300)
    values[rng.random(300) < 0.3] = np.nan
    values[:5] = np.nan  # a leading gap
    expected = pd.Series(values).ffill().bfill().to_numpy()
    np.testing.assert_array_equal(fill_gaps(values), expected)


def test_fill_gaps_edge_cases():
    assert np.isnan(fill_gaps(np.array([np.nan, np.nan]))).all()
    np.testing.assert_array_equal(fill_gaps(np.array([1.0, 2.0])), [1.0, 2.0])


@pytest.mark.parametrize("window", [1, 2, 3, 4, 7, 10])
@pytest.mark.parametrize("seed", range(3))
def test_centred_mean_is_pandas_rolling_centre_mean(window, seed):
    values = np.random.default_rng(seed).normal(size=200)
    expected = pd.Series(values).rolling(window, center=True, min_periods=1).mean().to_numpy()
    np.testing.assert_allclose(centred_mean(values, window), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_window_speed_is_pandas_time_window_mean(seed):
    rng = np.random.default_rng(seed)
    elapsed = np.cumsum(rng.choice([1.0, 1.0, 2.0, 3.0, 0.5], size=400))
    speed = rng.uniform(0.0, 4.0, size=400)
    speed[rng.random(400) < 0.05] = np.nan
    dt = np.diff(elapsed, prepend=elapsed[0])
    known = np.isfinite(speed) & (dt <= MAX_RECORD_GAP_S)
    frame = pd.DataFrame(
        {"moved": np.where(known, speed * dt, 0.0), "time": np.where(known, dt, 0.0)},
        index=pd.to_timedelta(elapsed - elapsed[0], unit="s"),
    )
    sums = frame.rolling(pd.Timedelta(seconds=STILL_SMOOTH_S), center=True, min_periods=1).sum()
    expected = np.where(sums["time"] > 0, sums["moved"] / sums["time"].where(sums["time"] > 0), np.nan)
    np.testing.assert_allclose(window_speed_m_s(elapsed, speed), expected, rtol=1e-9, equal_nan=True)
