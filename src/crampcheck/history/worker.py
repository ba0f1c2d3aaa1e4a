"""What a worker process does with one file: bytes -> outcome (summary row, skip, non-activity).

Runs in a ``ProcessPoolExecutor`` worker (or in-process with ``jobs=1``). It never raises
for a bad file: a user-level error becomes a skip reason, a bug becomes an "internal
error" skip, so one file cannot stop a scan.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any

from crampcheck.errors import CrampcheckError, NotAnActivityError
from crampcheck.files import read_regular
from crampcheck.history.sources import MAX_FILE_BYTES, ExportMeta, apply_export
from crampcheck.history.summary import summarize
from crampcheck.io.fitfast import peek_file_type

FIT_SIGNATURE = b".FIT"
FIT_SIGNATURE_OFFSET = 8  # bytes 8-11 of a FIT header
NOT_AN_ACTIVITY_UNKNOWN = "unknown"  # type label when the reader refuses without saying which
WARM_UP_LAT, WARM_UP_LON = 48.86, 2.35  # any point on land: the first lookup builds the finder
FILE_TIME_LIMIT_S = 60.0  # wall-clock limit per file in a scan (a 1-million-record FIT reads in ~3 s)
PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def read_and_analyze(name: str, data: bytes, units: str, config: Any, meta: ExportMeta | None = None) -> Any:
    """Parse and analyze one file: the RunReport of ``crampcheck.pipeline.analyze``, without the
    chart series (a summary row draws nothing). ``meta``: what an account export says of the
    run (name, sport, race mark, texts, weather), applied before it is measured and judged."""
    from crampcheck.io import read
    from crampcheck.pipeline import analyze

    activity = read(data, name)
    if meta is not None:
        apply_export(activity, meta)
    return analyze(activity, units=units, config=config, charts=False)


class FileTimeout(BaseException):  # not an Exception: no reader's broad handler can swallow it
    """Raised in a worker when one file has taken longer than FILE_TIME_LIMIT_S."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise FileTimeout


def init_worker(parent_pid: int) -> None:
    """Run first in every worker process: die with the parent, whatever kills it.

    On Linux the kernel sends SIGKILL to the worker when the parent dies (PR_SET_PDEATHSIG),
    so a scan killed by SIGTERM, SIGHUP, the OOM killer or ``kill -9`` leaves no worker behind.
    """
    if sys.platform.startswith("linux"):
        import ctypes  # here: a cached rescan that starts no worker never pays for it

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the parent's shutdown still stops the workers
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


@contextmanager
def time_limit(seconds: float):
    """Raise FileTimeout in this process after ``seconds`` of wall-clock time (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def analyze_bytes(name: str, data: bytes, units: str, config: Any, content_hash: str, meta: ExportMeta | None = None,
                  limit_s: float | None = None) -> tuple[str, Any]:
    """The outcome of one file: ("row", row JSON) | ("skip", reason) | ("non_activity", type)
    | ("error", reason) for a bug or a file over the time limit (not cached: a fixed or faster
    version may read the file). ``meta``: the export's entry for the run (``read_and_analyze``);
    ``limit_s``: wall-clock limit (default FILE_TIME_LIMIT_S)."""
    limit_s = FILE_TIME_LIMIT_S if limit_s is None else limit_s
    try:
        with time_limit(limit_s):
            report = read_and_analyze(name, data, units, config, meta)
            return "row", summarize(report, content_hash).to_json()
    except FileTimeout:
        return "error", f"reading took longer than {limit_s:g} s: stopped"
    except NotAnActivityError:
        return "non_activity", fit_file_type(data) or NOT_AN_ACTIVITY_UNKNOWN
    except CrampcheckError as exc:
        return "skip", exc.message
    except MemoryError:
        return "error", "internal error: out of memory"
    except Exception as exc:  # a reader bug must not stop the scan
        return "error", f"internal error: {type(exc).__name__}: {exc}"


def analyze_path(name: str, path: str, units: str, config: Any, content_hash: str,
                 meta: ExportMeta | None = None) -> tuple[str, Any]:
    """``analyze_bytes`` of a big file on disk read here, in the worker, so the scan's parent
    never holds it (nor a pickled copy of it on its way)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES, label=name)
    except CrampcheckError as exc:
        return "skip", exc.message
    return analyze_bytes(name, data, units, config, content_hash, meta)

