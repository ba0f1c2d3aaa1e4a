"""Test builders for the history layer: summary rows by hand, FIT runs from crampcheck.synth,
and a stand-in analyzer used until the io/metrics pipeline can read them end to end."""

from __future__ import annotations

import gzip
import struct
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pandas as pd

from crampcheck.errors import NotAnActivityError, UnreadableFileError
from crampcheck.history.sources import apply_export
from crampcheck.history.summary import ActivitySummary

T0 = datetime(2023, 1, 2, 6, 0, tzinfo=timezone.utc)  # a Monday


def row(day: int, km: float, *, speed: float = 3.0, hour: int = 6, name: str | None = None,
        race: bool = False, marked: str | None = None, best: float | None = None, fmt: str = "fit",
        file: str | None = None, sport: str = "running", content: str | None = None,
        key: dict | None = None) -> ActivitySummary:
    """A summary row for a run ``day`` days after T0 (a Monday), ``km`` long at ``speed`` m/s."""
    start = T0 + timedelta(days=day, hours=hour - 6)
    dist = km * 1000.0
    moving = dist / speed
    return ActivitySummary(
        file=file or f"run_{day:04d}_{hour:02d}.{fmt}", content_hash=content or f"hash-{day}-{hour}-{fmt}-{km}",
        format=fmt, start_time_utc=start, start_time_local=start, sport=sport, sub_sport=None, name=name,
        is_race=race, race_marked_by=marked if race else None, distance_m=dist, moving_time_s=moving,
        elapsed_time_s=moving, avg_speed_m_s=speed, temperature_c_mean=None, heart_rate_mean_bpm=None,
        overall="low", findings=[], key_findings=key or {}, first_vs_last_ratio=None,
        best_sustained_speed_m_s=best if best is not None else (speed if moving >= 1200 else None),
        intensity_speed_m_s=speed,
    )


# --- FIT files built with crampcheck.synth ---------------------------------------------------
def fit_run(start: datetime, minutes: float = 5.0, speed_m_s: float = 3.0, **spec_options) -> bytes:
    """A steady synthetic run as FIT bytes (5 s sampling: small and quick)."""
    from crampcheck.synth.build import build
    from crampcheck.synth.fitwrite import fit_bytes
    from crampcheck.synth.spec import RunSpec, Segment

    spec = RunSpec(segments=(Segment(duration_s=minutes * 60, speed_m_s=speed_m_s),), start_time_utc=start,
                   sample_interval_s=5, **spec_options)
    return fit_bytes(build(spec))


FIT_HEADER_SIZE = 14
FILE_ID_GLOBAL = 0
FILE_TYPE_MONITORING_B = 32


def with_file_type(fit: bytes, file_type: int) -> bytes:
    """The same FIT file with ``file_id.type`` rewritten (e.g. a monitoring file), CRC fixed.

    Assumes the writer's layout: the file_id definition first, its data message next.
    """
    from crampcheck.synth.fitcrc import crc16

    data = bytearray(fit[:-2])
    pos = FIT_HEADER_SIZE
    assert data[pos] & 0x40, "file_id definition expected first"
    arch = data[pos + 2]
    (global_num,) = struct.unpack(">H" if arch else "<H", data[pos + 3:pos + 5])
    assert global_num == FILE_ID_GLOBAL
    n_fields = data[pos + 5]
    offset = 1  # data message header byte
    for i in range(n_fields):
        num, size, _base = data[pos + 6 + 3 * i:pos + 9 + 3 * i]
        if num == 0:  # file_id.type
            break
        offset += size
    data_pos = pos + 6 + 3 * n_fields + offset
    data[data_pos] = file_type
    body_crc = crc16(bytes(data))
    return bytes(data) + struct.pack("<H", body_crc)


# --- stand-in analyzer (tests only) ------------------------------------------------------------
def stub_read_and_analyze(name: str, data: bytes, units: str, config, meta=None) -> SimpleNamespace:
    """A RunReport-shaped object from a FIT file's session, read with crampcheck.io.fitfast.

    Stands in for crampcheck.io.read + crampcheck.pipeline.analyze so the scan machinery can
    be tested before (and independently of) the full pipeline; ``meta`` (an export's entry) is
    applied as the real worker applies it (its weather is read by no stand-in metric).
    """
    from crampcheck.io import fitfast

    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    msgs = fitfast.decode(data, name)
    file_type = msgs.messages["file_id"][0].get("type")
    if file_type != "activity":
        raise NotAnActivityError(f"a FIT {file_type} file, not an activity", name)
    if not msgs.messages.get("session"):
        raise UnreadableFileError("no session", name)
    s = msgs.messages["session"][0]
    start = s["start_time"].replace(tzinfo=timezone.utc)
    ts = msgs.records["timestamp"]
    records = pd.DataFrame({"elapsed_s": ts - ts[0], "distance_m": msgs.records["distance"]})
    dist, timer = float(s["total_distance"]), float(s["total_timer_time"])
    activity = SimpleNamespace(source=name, format="fit", sport=s.get("sport", "unknown"), sub_sport=None,
                               name=None, is_race=False, race_marked_by=None, start_time_utc=start,
                               records=records, texts=[], air=[], sport_source="file")
    if meta is not None:
        apply_export(activity, meta)
    metrics = SimpleNamespace(distance_m=dist, moving_time_s=timer, elapsed_time_s=float(s["total_elapsed_time"]),
                              avg_speed_m_s=dist / timer, start_time_utc=start, start_time_local=None,
                              temperature=None, heart_rate=None, pacing=None, best_sustained_speed_m_s=None,
                              first_half_speed_m_s=None, splits=[], units=units, shape=None,
                              air=None)
    assessment = SimpleNamespace(findings=[], scores=SimpleNamespace(overall="low"))
    return SimpleNamespace(activity=activity, metrics=metrics, assessment=assessment, units=units)
