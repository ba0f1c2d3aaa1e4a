"""schema.Records: the record columns as numpy arrays, the API every module and branch uses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from crampcheck.schema import Activity, Records, fill_gaps, seconds_since_first, utc_datetime

T0 = datetime(2024, 7, 1, 6, 0, tzinfo=timezone.utc)


def _records() -> Records:
    time = np.array(["2024-07-01T06:00:00", "2024-07-01T06:00:01.5", "NaT", "2024-07-01T06:00:04"], dtype="datetime64[ns]")
    return Records({"time": time, "distance_m": [0, 3.5, np.nan, 12], "heart_rate_bpm": np.array([120, 121, 122, 123])})


def test_columns_are_numpy_arrays_with_the_documented_types():
    r = _records()
    assert len(r) == 4 and list(r) == ["time", "distance_m", "heart_rate_bpm"]
    assert "distance_m" in r and "power_w" not in r
    assert r["time"].dtype == np.dtype("datetime64[ns]")
    assert r["distance_m"].dtype == np.float64 and r["heart_rate_bpm"].dtype == np.float64
    assert r["heart_rate_bpm"].tolist() == [120.0, 121.0, 122.0, 123.0]
    with pytest.raises(KeyError):
        r["power_w"]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        Records({"elapsed_s": [0, 1], "distance_m": [0, 1, 2]})
    r = _records()
    with pytest.raises(ValueError, match="has 2 values, the records 4"):
        r["speed_m_s"] = [1.0, 2.0]
    r["speed_m_s"] = np.nan  # one value for every row
    assert len(r["speed_m_s"]) == 4 and np.isnan(r["speed_m_s"]).all()


def test_take_and_replaced_build_new_records_and_leave_the_old_ones():
    r = _records()
    kept = r.take(np.array([True, False, True, True]))
    assert kept["distance_m"][[0, 2]].tolist() == [0.0, 12.0] and len(kept) == 3
    assert r.take(slice(1, 3))["heart_rate_bpm"].tolist() == [121.0, 122.0]
    changed = r.replaced(distance_m=np.zeros(4))
    assert changed["distance_m"].tolist() == [0.0] * 4 and r["distance_m"][1] == 3.5
    assert changed["time"] is r["time"]  # the other columns are shared, not copied


def test_to_pandas_is_the_documented_dataframe_and_back():
    r = _records()
    frame = r.to_pandas()
    assert list(frame.columns) == list(r) and str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert frame["time"].iloc[1] == pd.Timestamp("2024-07-01T06:00:01.5Z") and pd.isna(frame["time"].iloc[2])
    back = Records.from_frame(frame)
    np.testing.assert_array_equal(back["time"], r["time"])
    np.testing.assert_array_equal(back["distance_m"], r["distance_m"])


def test_an_activity_given_a_dataframe_holds_records():
    """A library user (or an older test) may still hand a DataFrame with tz-aware times."""
    frame = pd.DataFrame({"time": pd.to_datetime([T0, T0 + timedelta(hours=2)]).tz_convert("Europe/Paris"),
                          "distance_m": [0.0, 100.0]})
    activity = Activity(records=frame, source="x", format="fit")
    assert isinstance(activity.records, Records)
    assert utc_datetime(activity.records["time"][1]) == T0 + timedelta(hours=2)
    assert activity.has["distance_m"] and not activity.has["power_w"]


def test_time_helpers():
    r = _records()
    assert seconds_since_first(r["time"])[[0, 1, 3]].tolist() == [0.0, 1.5, 4.0]
    assert np.isnan(seconds_since_first(r["time"])[2])
    assert utc_datetime(r["time"][1]) == T0 + timedelta(seconds=1.5) and utc_datetime(r["time"][2]) is None
    assert fill_gaps(np.array([np.nan, 1.0, np.nan, 3.0])).tolist() == [1.0, 1.0, 1.0, 3.0]
