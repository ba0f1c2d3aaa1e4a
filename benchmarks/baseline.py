"""The plain fitparse + pandas pipeline crampcheck is measured against.

This is what a typical script does to get mile splits out of a folder of FIT files: parse
every message with fitparse, put the ``record`` messages into a DataFrame, clean the
columns, cut the run at each mile and sum each mile's time, then gather one summary row per
file. It does less than ``crampcheck scan`` (no pauses, warm-up, surges, risk factors or
history factors), so the comparison flatters the baseline.

Run it on its own: ``python benchmarks/baseline.py FILE.fit...`` prints one row per file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import fitparse
import numpy as np
import pandas as pd

METERS_PER_MILE = 1609.344
SEMICIRCLES_TO_DEG = 180.0 / 2**31


def records_frame(path: str | Path) -> pd.DataFrame:
    """The ``record`` messages of a FIT file as a DataFrame, one row per message."""
    fit = fitparse.FitFile(str(path))
    rows = [message.get_values() for message in fit.get_messages("record")]
    frame = pd.DataFrame(rows)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    if "enhanced_speed" in frame.columns:
        frame["speed"] = frame["enhanced_speed"]
    for col in ("position_lat", "position_long"):
        if col in frame.columns:
            frame[col] = frame[col] * SEMICIRCLES_TO_DEG
    frame["distance"] = frame["distance"].ffill().fillna(0.0)
    frame["elapsed_s"] = (frame["timestamp"] - frame["timestamp"].iloc[0]).dt.total_seconds()
    return frame


def mile_splits(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-mile time (s), pace (s/mile), mean heart rate: the last partial mile included."""
    frame = frame.assign(mile=(frame["distance"] // METERS_PER_MILE).astype(int))
    grouped = frame.groupby("mile")
    splits = grouped.agg(
        start_s=("elapsed_s", "first"),
        end_s=("elapsed_s", "last"),
        start_m=("distance", "first"),
        end_m=("distance", "last"),
        heart_rate_bpm=("heart_rate", "mean") if "heart_rate" in frame.columns else ("distance", "size"),
    )
    # each mile ends where the next one starts
    splits["end_s"] = splits["start_s"].shift(-1).fillna(splits["end_s"])
    splits["end_m"] = splits["start_m"].shift(-1).fillna(splits["end_m"])
    splits["time_s"] = splits["end_s"] - splits["start_s"]
    splits["distance_m"] = splits["end_m"] - splits["start_m"]
    splits["pace_s_per_mile"] = splits["time_s"] / (splits["distance_m"] / METERS_PER_MILE)
    return splits


def summarize(path: str | Path) -> dict:
    """One row per file: start, distance, time, average pace, first and last full mile pace."""
    frame = records_frame(path)
    splits = mile_splits(frame)
    full = splits[np.isclose(splits["distance_m"], METERS_PER_MILE, rtol=0.01)]
    return {
        "file": str(path),
        "start": frame["timestamp"].iloc[0],
        "distance_m": float(frame["distance"].iloc[-1]),
        "elapsed_s": float(frame["elapsed_s"].iloc[-1]),
        "avg_pace_s_per_mile": float(frame["elapsed_s"].iloc[-1] / (frame["distance"].iloc[-1] / METERS_PER_MILE)),
        "first_mile_pace_s": float(full["pace_s_per_mile"].iloc[0]) if len(full) else np.nan,
        "last_mile_pace_s": float(full["pace_s_per_mile"].iloc[-1]) if len(full) else np.nan,
        "miles": len(splits),
    }


def pipeline(paths: list[str | Path]) -> pd.DataFrame:
    """The whole baseline: every file -> summary row -> one table sorted by start."""
    return pd.DataFrame([summarize(p) for p in paths]).sort_values("start").reset_index(drop=True)


if __name__ == "__main__":
    print(pipeline(sys.argv[1:]).to_string())
