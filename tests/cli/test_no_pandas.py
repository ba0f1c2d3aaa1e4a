"""`crampcheck analyze` and a scan worker never import pandas (its import is most of a short
command's time): the records are numpy columns from the reader to the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
HEAVY = ("pandas", "fitparse", "gpxpy")  # reference paths only


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("sample", ["easy_10k.fit", "race_10k_fast_start.fit.gz", "hot_long_run.gpx", "surges_tempo.tcx"])
def test_analyze_does_not_import_pandas(sample):
    """The whole command, in a fresh interpreter, as the console script runs it."""
    code = (
        "import json, sys\n"
        "from crampcheck.cli import main\n"
        f"try:\n    main(['analyze', {str(SAMPLES / sample)!r}, '--format', 'json'])\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        f"print(json.dumps({{'exit': code, 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    result = _run(code)
    assert result == {"exit": 0, "loaded": []}


def test_a_scan_worker_does_not_import_pandas():
    """A worker's whole job (warm-up, then read, measure, judge and summarize a FIT, a GPX, a
    TCX file) leaves pandas unloaded; the rows it sends back are real ones."""
    names = ["easy_10k.fit", "hot_long_run.gpx", "surges_tempo.tcx"]
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from crampcheck.history import worker\n"
        "from crampcheck.risk.config import Config\n"
        "worker.warm_up()\n"
        f"kinds = [worker.analyze_bytes(n, (Path({str(SAMPLES)!r}) / n).read_bytes(), 'km', Config(), 'h')[0] for n in {names!r}]\n"
        f"print(json.dumps({{'kinds': kinds, 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    assert _run(code) == {"kinds": ["row", "row", "row"], "loaded": []}


def test_to_pandas_is_there_on_demand():
    """A library user still gets the documented DataFrame (time tz-aware UTC) when asking."""
    from crampcheck import pipeline

    activity = pipeline.load(SAMPLES / "easy_10k.fit")
    frame = activity.records.to_pandas()
    assert list(frame.columns) == list(activity.records)
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert frame["time"].iloc[0].to_pydatetime() == activity.start_time_utc
    assert frame["distance_m"].to_numpy().tolist() == activity.records["distance_m"].tolist()
