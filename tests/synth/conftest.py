"""Helpers for the synth tests: decode with the independent parsers (fitparse, fitdecode)."""

from __future__ import annotations

import io
from collections import defaultdict

import fitdecode
import fitparse
import pytest

from crampcheck.synth import build, scenarios


def fitparse_messages(data: bytes) -> dict[str, list[dict]]:
    """All messages of a FIT file, by name, as fitparse gives their values (CRC checked)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for message in fitparse.FitFile(data, check_crc=True).get_messages():
        out[message.name].append(message.get_values())
    return out


def fitdecode_messages(data: bytes) -> dict[str, list[dict]]:
    """The same with fitdecode (CRC checked), developer fields included by name."""
    out: dict[str, list[dict]] = defaultdict(list)
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                out[frame.name].append({f.name: f.value for f in frame.fields})
    return out


@pytest.fixture(scope="session")
def mixed_truth():
    """A run with every feature: fast mile, pause, stand, grades, loop path, 2-s samples (~600 records)."""
    from crampcheck.synth import RunSpec, Segment

    spec = RunSpec(
        [
            Segment(distance_m=1609.344, speed_m_s=3.3),
            Segment(duration_s=120, speed_m_s=3.0, temperature_c=24),
            Segment(duration_s=96, kind="pause"),
            Segment(duration_s=30, kind="stand"),
            Segment(distance_m=800, speed_m_s=2.9, grade_pct=3),
            Segment(distance_m=400, speed_m_s=3.1, grade_pct=-5),
        ],
        path="loop",
        loop_length_m=1500,
        sample_interval_s=2,
        hr_drift_bpm_per_h=5,
    )
    return build(spec)


@pytest.fixture(scope="session")
def easy_truth():
    return build(scenarios.even_pace(1200.0, 3.0))
