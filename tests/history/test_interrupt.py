"""Ctrl-C in the middle of a scan leaves the cache consistent, and the next scan resumes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from crampcheck.synth import RunSpec, Segment, write

N_FILES = 400  # the first cache commit comes after 64 files: the interrupt lands well before the end,
# even on a loaded machine (about 1.5 s of files left after the first commit)
FIRST_DAY = datetime(2024, 1, 1, 6, 0, tzinfo=timezone.utc)


def test_interrupted_scan_leaves_a_sound_cache_and_the_next_scan_resumes(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    for i in range(N_FILES):  # one 10-min run a day
        spec = RunSpec(
            segments=(Segment(duration_s=600.0, speed_m_s=3.0 + 0.001 * i),),
            sample_interval_s=5,
            start_time_utc=FIRST_DAY + timedelta(days=i),
        )
        write(spec, runs / f"run_{i:03d}.fit")
    cache = tmp_path / "cache.sqlite"
    # --weeks 58: all 400 days in view
    cmd = [sys.executable, "-m", "crampcheck", "scan", str(runs), "--cache", str(cache), "--jobs", "1", "--no-progress", "--format", "json", "--weeks", "58"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:  # wait until some results are stored
        if cache.exists():
            try:
                with sqlite3.connect(cache, timeout=5) as db:
                    if db.execute("SELECT count(*) FROM outcomes").fetchone()[0] > 0:
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert b"Traceback" not in err

    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = db.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    assert 0 < stored < N_FILES  # interrupted part-way

    second = subprocess.run(cmd, capture_output=True, timeout=300, check=True)
    data = json.loads(second.stdout)
    assert len(data["activities"]) == N_FILES
    assert data["stats"]["from_cache"] >= stored - 1  # what was stored is not parsed again
    assert data["stats"]["parsed"] + data["stats"]["from_cache"] + data["stats"]["from_cache_by_hash"] == N_FILES
