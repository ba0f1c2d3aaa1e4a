"""The decoded content of a FIT file, as both FIT decoders return it.

Two decoders fill this structure: ``fitref`` (fitparse, the reference) and ``fitfast``
(crampcheck's own columnar decoder). ``fit.build_activity`` turns it into an Activity.
Both decoders must give *identical* content for the fields listed here, so the fast one
can be checked against fitparse field by field.

Values are what fitparse gives after scale/offset and enum naming:
- ``records``: one float64 numpy array per field in ``RECORD_FIELDS`` (NaN where the
  field is absent or invalid), all of the same length, one entry per ``record`` message
  in file order. ``timestamp`` is in FIT seconds (since 1989-12-31T00:00:00Z); values
  below ``0x10000000`` are device-relative (seconds since device power-on).
  Positions stay in semicircles.
- ``developer_records``: the record developer fields that may read the air, by name.
- ``messages``: for each name in ``MESSAGE_FIELDS``, one dict per message in file order,
  holding only the listed fields that are present and valid (fitparse value != None).
  Timestamps are naive UTC ``datetime`` (or ``int`` when device-relative, as fitparse does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=timezone.utc)
FIT_EPOCH_UNIX_S = 631065600  # FIT_EPOCH as seconds since 1970-01-01
DEVICE_RELATIVE_MAX = 0x10000000  # FIT timestamps below this are device-relative

RECORD_FIELDS = (
    "timestamp",
    "position_lat",
    "position_long",
    "distance",
    "speed",
    "enhanced_speed",
    "altitude",
    "enhanced_altitude",
    "heart_rate",
    "cadence",
    "fractional_cadence",
    "temperature",
    "power",
)

MESSAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "file_id": ("type", "manufacturer", "product", "garmin_product", "serial_number", "time_created"),
    "session": (
        "timestamp", "start_time", "sport", "sub_sport", "total_elapsed_time", "total_timer_time",
        "total_distance", "avg_temperature", "max_temperature", "min_temperature",
        "first_lap_index", "num_laps", "start_position_lat", "start_position_long",
    ),
    "lap": ("timestamp", "start_time", "total_elapsed_time", "total_timer_time", "total_distance"),
    "event": ("timestamp", "event", "event_type", "data"),
    "activity": ("timestamp", "local_timestamp", "total_timer_time", "num_sessions", "type", "event", "event_type"),
    "device_info": ("device_index", "manufacturer", "product", "garmin_product", "product_name", "serial_number", "software_version"),
    "sport": ("sport", "sub_sport", "name"),
    # weather reports a phone writes into the file (current conditions and forecasts)
    "weather_conditions": ("timestamp", "weather_report", "temperature", "relative_humidity"),
}

# Developer fields (Connect IQ apps, Stryd...) of record messages whose values are decoded:
# those that may hold the air around the runner. Body (core, skin) temperatures are not air.
AIR_FIELD_WORDS = ("temperature", "humidity")
BODY_FIELD_WORDS = ("core", "skin", "body")


def is_air_developer_field(name: str) -> bool:
    """Whether a record developer field may read the air (temperature or humidity, not the body's)."""
    lowered = name.lower()
    return any(w in lowered for w in AIR_FIELD_WORDS) and not any(w in lowered for w in BODY_FIELD_WORDS)


@dataclass
class FitMessages:
    """What a FIT decoder returns (see the module docstring)."""

    records: dict[str, np.ndarray]
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    developer_fields: set[str] = field(default_factory=set)  # names of developer fields seen
    # values of the record developer fields that ``is_air_developer_field`` accepts: one float64
    # array per name, aligned with ``records`` (NaN where a record has none); raw values, as fitparse
    developer_records: dict[str, np.ndarray] = field(default_factory=dict)
    decoder: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "fast decoder refused the file: ...; read with fitparse"

    @property
    def n_records(self) -> int:
        return len(self.records.get("timestamp", ()))
