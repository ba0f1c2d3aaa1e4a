"""Check a reader's records against the truth, within what each file format can store.

For reader tests: ``record_mismatches(activity.records, truth, "fit")`` returns an empty
list when every channel the format carries matches the truth within the format's
resolution, else one line per problem.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crampcheck.schema import Records
from crampcheck.synth.build import Truth

_FP = 1e-9  # float slack on top of a format's resolution
_SEMICIRCLE_DEG = 180.0 / 2**31

# Channels each format stores, and the largest error its resolution allows (units of the column).
FORMAT_TOLERANCE: dict[str, dict[str, float]] = {
    "fit": {
        "distance_m": 0.005,  # x100 integer
        "speed_m_s": 0.0005,  # x1000 integer
        "lat": _SEMICIRCLE_DEG / 2,
        "lon": _SEMICIRCLE_DEG / 2,
        "altitude_m": 0.1,  # x5 integer
        "heart_rate_bpm": 0.0,
        "cadence_spm": 0.0,
        "temperature_c": 0.0,
    },
    "gpx": {  # distance and speed are not stored: readers derive them from positions
        "lat": 5e-9,  # 8 decimals
        "lon": 5e-9,
        "altitude_m": 5e-4,
        "heart_rate_bpm": 0.0,
        "cadence_spm": 0.0,
        "temperature_c": 0.05,
    },
    "tcx": {  # no temperature in TCX
        "distance_m": 5e-4,
        "speed_m_s": 5e-4,
        "lat": 5e-9,
        "lon": 5e-9,
        "altitude_m": 5e-4,
        "heart_rate_bpm": 0.0,
        "cadence_spm": 0.0,
    },
}


def record_mismatches(records: Records | pd.DataFrame, truth: Truth, fmt: str) -> list[str]:
    """What differs between a reader's records (or a DataFrame of them) and the truth (empty
    list: all good)."""
    expected = truth.records
    if isinstance(records, Records):
        records = records.to_pandas()
    if len(records) != len(expected):
        return [f"{len(records)} records, expected {len(expected)}"]
    problems = []
    if "time" not in records or not (pd.to_datetime(records["time"], utc=True) == expected["time"]).all():
        problems.append("time: differs from the truth")
    for column, tolerance in FORMAT_TOLERANCE[fmt].items():
        want = expected[column].to_numpy(dtype=np.float64)
        have = records[column].to_numpy(dtype=np.float64) if column in records else np.full(len(want), np.nan)
        if np.isnan(want).all():
            if not np.isnan(have).all():
                problems.append(f"{column}: the run has no such channel but the reader gives values")
            continue
        if not np.array_equal(np.isnan(want), np.isnan(have)):
            missing, expected_missing = int(np.isnan(have).sum()), int(np.isnan(want).sum())
            problems.append(f"{column}: {missing} missing values, expected {expected_missing}")
            continue
        error = float(np.nanmax(np.abs(have - want)))
        if error > tolerance + _FP:
            problems.append(f"{column}: max error {error:.6g} > {tolerance:g}")
    return problems
