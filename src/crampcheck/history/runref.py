"""A run as the runner names it on the command line: a file, an ``export.zip!member``, the
short id a scan prints, or a date.

A file or member is read once: its content hash (the run's identity, whatever it is called
or wherever it moves), its local day and what it was (name, distance). A short id is the
first hex characters of that hash (``summary.short_id``); a date is the run's
local day (an entry by date applies to the longest run of that day).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crampcheck.errors import UnreadableFileError
from crampcheck.history.sources import ARCHIVE_SEP, read_member
from crampcheck.history.summary import ActivitySummary
from crampcheck.units import format_duration

SHORT_ID_RE = re.compile(r"[0-9a-f]{6,64}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
PLACE_SLACK_PCT = 1.0  # a place this much past the end of the run is still taken (watch vs file)
NOT_A_RUN = "not a file, an export.zip!member, a short id from a scan (6+ hex characters) or a date YYYY-MM-DD"


@dataclass(frozen=True)
class RunRef:
    """What the command line named: a hash (or its start), a day, and a label for listings."""

    text: str
    content_hash: str | None = None
    run_date: str | None = None
    label: str | None = None
    row: ActivitySummary | None = None  # the run's summary row, when a file was read

    def place_problem(self, at_m: float | None, at_s: float | None) -> str | None:
        """Why a cramp cannot have struck there (beyond the end of the run read), or None."""
        r = self.row
        if r is None:
            return None
        if at_m is not None and at_m > r.distance_m * (1 + PLACE_SLACK_PCT / 100):
            return f"{at_m / 1000:.1f} km is beyond the run's {r.distance_m / 1000:.1f} km"
        if at_s is not None and at_s > r.moving_time_s * (1 + PLACE_SLACK_PCT / 100):
            return f"{format_duration(at_s)} is beyond the run's {format_duration(r.moving_time_s)} of moving time"
        return None


def _row_of(name: str, data: bytes, units: str, config: Any) -> ActivitySummary:
    from crampcheck.history import worker

    content_hash = hashlib.sha256(data).hexdigest()
    kind, payload = worker.analyze_bytes(name, data, units, config, content_hash)
    if kind != "row":
        reason = payload if kind in ("skip", "error") else f"not an activity ({payload})"
        raise UnreadableFileError(str(reason), name)
    return ActivitySummary.from_json(payload)


def _label(row: ActivitySummary) -> str:
    km = f"{row.distance_m / 1000:.1f} km"
    return f"{row.name} ({km})" if row.name else km


def resolve_run(text: str, units: str = "mi", config: Any = None) -> RunRef:
    """The run ``text`` names; an UnreadableFileError (one line) when it names none."""
    path = Path(text).expanduser()
    if path.is_file():
        data = path.read_bytes()
    elif ARCHIVE_SEP in text and Path(text.split(ARCHIVE_SEP, 1)[0]).expanduser().is_file():
        head, members = text.split(ARCHIVE_SEP, 1)  # "~/export.zip!..." quoted against the shell's "!" keeps its ~
        data = read_member(f"{Path(head).expanduser()}{ARCHIVE_SEP}{members}")
    elif DATE_RE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise UnreadableFileError("not a valid date (YYYY-MM-DD)", text) from None
        return RunRef(text, run_date=day.isoformat())
    elif SHORT_ID_RE.fullmatch(text.lower()):
        return RunRef(text, content_hash=text.lower())
    else:
        raise UnreadableFileError(NOT_A_RUN, text)
    row = _row_of(text, data, units, config)
    return RunRef(text, content_hash=row.content_hash, run_date=row.day.isoformat() if row.day else None,
                  label=_label(row), row=row)
