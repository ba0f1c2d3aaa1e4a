"""The scan cache: nothing parsed twice, changes re-read, versions rebuilt, concurrency safe."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from crampcheck.errors import ConfigError
from crampcheck.history import scan
from crampcheck.history.cache import Cache, Outcome, default_cache_path
from tests.helpers.history import T0, fit_run

pytestmark = pytest.mark.usefixtures("stub_analyzer")
PROJECT = Path(__file__).resolve().parents[2]
N = 12


@pytest.fixture
def runs(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    for i in range(N):
        (folder / f"run{i:02d}.fit").write_bytes(fit_run(T0 + timedelta(days=i)))
    (folder / "broken.fit").write_bytes(fit_run(T0)[:100])
    return folder


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "crampcheck" / "cache.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_path() == Path.home() / ".cache" / "crampcheck" / "cache.sqlite"


def test_rescan_parses_nothing(runs, cache_file):
    first = scan(runs, cache_path=cache_file, jobs=1)
    assert (first.stats.parsed, first.stats.from_cache) == (N + 1, 0)
    second = scan(runs, cache_path=cache_file, jobs=2)
    assert (second.stats.parsed, second.stats.from_cache) == (0, N + 1)
    a, b = first.to_dict(), second.to_dict()
    a.pop("stats"), b.pop("stats")
    assert a == b  # the skipped broken file is remembered too
    assert [s.file for s in second.skipped] == [f"{runs}/broken.fit"]


def test_changed_file_is_read_again_and_moved_file_is_not(runs, cache_file):
    scan(runs, cache_path=cache_file, jobs=1)
    (runs / "run03.fit").write_bytes(fit_run(T0 + timedelta(days=3), minutes=6.0))
    (runs / "run05.fit").rename(runs / "renamed05.fit")
    again = scan(runs, cache_path=cache_file, jobs=1)
    assert again.stats.parsed == 1 and again.stats.from_cache_by_hash == 1
    changed = next(r for r in again.activities if r.file.endswith("run03.fit"))
    assert changed.moving_time_s == pytest.approx(360.0)
    assert any(r.file.endswith("renamed05.fit") for r in again.activities)


def test_other_settings_do_not_share_rows(runs, cache_file):
    scan(runs, cache_path=cache_file, jobs=1, units="mi")
    assert scan(runs, cache_path=cache_file, jobs=1, units="km").stats.parsed == N + 1


def test_cache_of_another_version_is_rebuilt(runs, cache_file):
    with Cache(cache_file, version="0.0.1") as old:
        old.put("k", 1, "s", "h", "settings", Outcome("row", {"garbage": True}))
    result = scan(runs, cache_path=cache_file, jobs=1)
    assert result.stats.cache_rebuilt and result.stats.parsed == N + 1
    with Cache(cache_file) as cache:
        assert not cache.rebuilt and cache.count() == N + 1


def test_no_cache_writes_nothing(runs, cache_file):
    assert scan(runs, cache_path=cache_file, use_cache=False, jobs=1).stats.parsed == N + 1
    assert not cache_file.exists()


def test_foreign_database_is_refused(tmp_path):
    other = tmp_path / "mine.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE precious (x)")
    with pytest.raises(ConfigError, match="not a crampcheck cache"):
        Cache(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ConfigError, match="use --no-cache"):
        Cache(junk)


SCAN_SCRIPT = """
import sys
from crampcheck.history import scan, worker
from tests.helpers.history import stub_read_and_analyze
worker.read_and_analyze = stub_read_and_analyze
result = scan(sys.argv[1], cache_path=sys.argv[2], jobs=1)
s = result.stats  # a file the other scan stored meanwhile comes from the cache by its content hash
print(len(result.activities), s.parsed + s.from_cache + s.from_cache_by_hash)
"""


def test_two_scans_at_once_do_not_corrupt(runs, cache_file):
    procs = [subprocess.Popen([sys.executable, "-c", SCAN_SCRIPT, str(runs), str(cache_file)], cwd=PROJECT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert [out.split() for out, _ in outputs] == [[str(N), str(N + 1)]] * 2
    with sqlite3.connect(cache_file) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM outcomes").fetchone() == (N + 1,)
    assert scan(runs, cache_path=cache_file, jobs=1).stats.parsed == 0
