"""Reference FIT decoder: fitparse -> FitMessages.

Slow but trusted; used as the fallback when the fast decoder refuses a file and as the
oracle in differential tests.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from crampcheck.errors import UnreadableFileError
from crampcheck.io.fitmessages import FIT_EPOCH, MESSAGE_FIELDS, RECORD_FIELDS, FitMessages, is_air_developer_field

_NAIVE_EPOCH = FIT_EPOCH.replace(tzinfo=None)


def _fit_seconds(value) -> float:
    """A fitparse timestamp (naive UTC datetime, or int when device-relative) as FIT seconds."""
    if isinstance(value, datetime):
        return (value - _NAIVE_EPOCH).total_seconds()
    return float(value)


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan


def decode(data: bytes, source: str = "") -> FitMessages:
    """Decode a whole FIT file (chained files included) with fitparse."""
    import fitparse  # imported here: the CLI should not pay for it unless it is used

    try:
        fit = fitparse.FitFile(data, check_crc=True)
        columns: dict[str, list[float]] = {name: [] for name in RECORD_FIELDS}
        messages: dict[str, list[dict]] = {name: [] for name in MESSAGE_FIELDS}
        developer: set[str] = set()
        air: dict[str, dict[int, float]] = {}  # air developer field -> {record row: value}
        for message in fit.get_messages():
            name = message.name
            if name == "record":
                values = {}
                for fd in message.fields:
                    if getattr(fd, "is_developer", False) or (fd.field_def is not None and getattr(fd.field_def, "dev_data_index", None) is not None):
                        developer.add(fd.name)
                        if is_air_developer_field(fd.name) and fd.value is not None:
                            air.setdefault(fd.name, {}).setdefault(len(columns["timestamp"]), _number(fd.value))
                        continue
                    if fd.value is not None:  # a field name can repeat (a component expanded
                        values.setdefault(fd.name, fd.value)  # from an invalid field): keep the real one
                for key in RECORD_FIELDS:
                    v = values.get(key)
                    if v is None:
                        columns[key].append(np.nan)
                    elif key == "timestamp":
                        columns[key].append(_fit_seconds(v))
                    else:
                        columns[key].append(_number(v))
            elif name in MESSAGE_FIELDS:
                wanted = MESSAGE_FIELDS[name]
                messages[name].append(
                    {fd.name: fd.value for fd in message.fields if fd.name in wanted and fd.value is not None}
                )
    except fitparse.FitParseError as exc:
        raise UnreadableFileError(f"not a readable FIT file ({exc})", source) from None
    n = len(columns["timestamp"])
    developer_records = {}
    for name, by_row in air.items():
        column = np.full(n, np.nan)
        column[list(by_row)] = list(by_row.values())
        developer_records[name] = column
    return FitMessages(
        records={k: np.asarray(v, dtype=np.float64) for k, v in columns.items()},
        messages=messages,
        developer_fields=developer,
        developer_records=developer_records,
        decoder="fitparse",
    )
