"""What a worker process does with one file: bytes -> outcome (summary row, skip, non-activity).

Runs in a ``ProcessPoolExecutor`` worker (or in-process with ``jobs=1``). It never raises
for a bad file: a user-level error becomes a skip reason, a bug becomes an "internal
error" skip, so one file cannot stop a scan.
"""

from __future__ import annotations

from typing import Any

from crampcheck.errors import CrampcheckError, NotAnActivityError
from crampcheck.history.summary import summarize
from crampcheck.io.fitfast import peek_file_type

FIT_SIGNATURE = b".FIT"
FIT_SIGNATURE_OFFSET = 8  # bytes 8-11 of a FIT header
NOT_AN_ACTIVITY_UNKNOWN = "unknown"  # type label when the reader refuses without saying which
WARM_UP_LAT, WARM_UP_LON = 48.86, 2.35  # any point on land: the first lookup builds the finder


def fit_file_type(data: bytes) -> str | None:
    """``file_id.type`` of a FIT file from its first messages; None if not FIT or not known."""
    if data[FIT_SIGNATURE_OFFSET:FIT_SIGNATURE_OFFSET + 4] != FIT_SIGNATURE:
        return None
    try:
        return peek_file_type(data)
    except Exception:  # a broken header: let the full reader say what is wrong
        return None


def warm_up() -> None:
    """Import the readers, metrics and risk layers and build the timezone finder in this
    process, so that workers forked from it start ready instead of each paying the imports
    (0.15-0.3 s for timezonefinder alone) again."""
    # imported for their side effect: loaded once here, shared by the forked workers
    import numpy.ma  # noqa: F401 - np.median loads it on its first call

    import crampcheck.io.fit
    import crampcheck.io.gpx
    import crampcheck.io.tcx
    import crampcheck.pipeline
    import crampcheck.risk.assess
    import crampcheck.risk.config  # noqa: F401 - the name binds once for all the imports above
    from crampcheck.metrics import localtime, run  # noqa: F401

    try:
        localtime.timezone_name_at(WARM_UP_LAT, WARM_UP_LON)
    except Exception:  # a missing timezone database only means a slower first file
        pass


def read_and_analyze(name: str, data: bytes, units: str, config: Any) -> Any:
    """Parse and analyze one file: the RunReport of ``crampcheck.pipeline.analyze``, without the
    chart series (a summary row draws nothing)."""
    from crampcheck.io import read
    from crampcheck.pipeline import analyze

    return analyze(read(data, name), units=units, config=config, charts=False)


def analyze_bytes(name: str, data: bytes, units: str, config: Any, content_hash: str) -> tuple[str, Any]:
    """The outcome of one file: ("row", row JSON) | ("skip", reason) | ("non_activity", type)
    | ("error", reason) for a bug (not cached: a fixed version may read the file)."""
    try:
        report = read_and_analyze(name, data, units, config)
        return "row", summarize(report, content_hash).to_json()
    except NotAnActivityError:
        return "non_activity", fit_file_type(data) or NOT_AN_ACTIVITY_UNKNOWN
    except CrampcheckError as exc:
        return "skip", exc.message
    except MemoryError:
        return "error", "internal error: out of memory"
    except Exception as exc:  # a reader bug must not stop the scan
        return "error", f"internal error: {type(exc).__name__}: {exc}"
