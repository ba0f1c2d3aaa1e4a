"""What a worker process does with one file: bytes -> outcome (summary row, skip, non-activity).

Runs in a ``ProcessPoolExecutor`` worker (or in-process with ``jobs=1``). It never raises
for a bad file: a user-level error becomes a skip reason, a bug becomes an "internal
error" skip, so one file cannot stop a scan.
"""

from __future__ import annotations

from typing import Any

from crampcheck.errors import CrampcheckError, NotAnActivityError
from crampcheck.history.summary import summarize

try:  # written by another helper; until it exists every FIT file is read in full
    from crampcheck.io.fitfast import peek_file_type as _peek_file_type
except ImportError:  # pragma: no cover - depends on the io layer being present
    _peek_file_type = None

FIT_SIGNATURE = b".FIT"
FIT_SIGNATURE_OFFSET = 8  # bytes 8-11 of a FIT header
NOT_AN_ACTIVITY_UNKNOWN = "unknown"  # type label when the reader refuses without saying which


def fit_file_type(data: bytes) -> str | None:
    """``file_id.type`` of a FIT file from its first messages; None if not FIT or not known."""
    if _peek_file_type is None or data[FIT_SIGNATURE_OFFSET:FIT_SIGNATURE_OFFSET + 4] != FIT_SIGNATURE:
        return None
    try:
        return _peek_file_type(data)
    except Exception:  # a broken header: let the full reader say what is wrong
        return None


def read_and_analyze(name: str, data: bytes, units: str, config: Any) -> Any:
    """Parse and analyze one file: the RunReport of ``crampcheck.pipeline.analyze``."""
    from crampcheck.io import read
    from crampcheck.pipeline import analyze

    return analyze(read(data, name), units=units, config=config)


def analyze_bytes(name: str, data: bytes, units: str, config: Any, content_hash: str,
                  sustained_s: float) -> tuple[str, Any]:
    """The outcome of one file: ("row", row JSON) | ("skip", reason) | ("non_activity", type)
    | ("error", reason) for a bug (not cached: a fixed version may read the file)."""
    try:
        report = read_and_analyze(name, data, units, config)
        return "row", summarize(report, content_hash, sustained_s).to_json()
    except NotAnActivityError:
        return "non_activity", fit_file_type(data) or NOT_AN_ACTIVITY_UNKNOWN
    except CrampcheckError as exc:
        return "skip", exc.message
    except MemoryError:
        return "error", "internal error: out of memory"
    except Exception as exc:  # a reader bug must not stop the scan
        return "error", f"internal error: {type(exc).__name__}: {exc}"
