"""Failures 11-14: one bad input, folder, name, metadata field, cache or signal never stops a scan or hides."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from crampcheck.history import scan
from crampcheck.history.cache import CACHE_MARKER, Cache, Outcome
from tests.robustness import hostile
from tests.robustness.conftest import ROOT, SAMPLES, cli

NON_UTF8 = os.fsdecode(b"caf\xe9 \xff run.fit")  # Latin-1 bytes: not UTF-8


@pytest.fixture
def runs(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    shutil.copy(SAMPLES / "easy_10k.fit", folder / "good.fit")
    return folder


def skipped(result) -> dict[str, str]:
    return {s.file: s.reason for s in result.skipped}


# --- 11. loops, non-UTF-8 names, malformed export metadata --------------------------------------
def test_a_self_looping_symlink_is_a_skip(runs):
    (runs / "loop.fit").symlink_to(runs / "loop.fit")
    result = scan(runs, use_cache=False, jobs=1)
    assert len(result.activities) == 1
    assert skipped(result) == {f"{runs}/loop.fit": "cannot read (Too many levels of symbolic links)"}


def test_a_non_utf8_name_scans_cached_and_uncached_and_writes_every_format(runs, tmp_path):
    shutil.copy(SAMPLES / "fast_start_5k.fit", os.path.join(os.fsencode(runs), os.fsencode(NON_UTF8)))
    cache = tmp_path / "c.sqlite"
    for _ in range(2):  # the second scan reads the name back from the cache
        assert len(scan(runs, cache_path=cache, jobs=1).activities) == 2
    result = cli("scan", runs, "--no-cache", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout_bytes.decode("utf-8"))  # valid UTF-8
    assert sorted(a["file"] for a in data["activities"]) == [f"{runs}/caf\\xe9 \\xff run.fit", f"{runs}/good.fit"]
    out, html = tmp_path / "r.md", tmp_path / "r.html"
    result = cli("scan", runs, "--no-cache", "--format", "markdown", "-o", out, "--html", html)
    assert result.exit_code == 0 and "| Tempo 5K |" in out.read_text(encoding="utf-8")
    assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_malformed_garmin_metadata_is_noted_and_the_runs_still_read(tmp_path):
    export = tmp_path / "garmin.zip"
    export.write_bytes(hostile.zip_of({
        "DI_CONNECT/DI-Connect-Fitness/a_summarizedActivities.json": hostile.garmin_summary_hostile(),
        "DI_CONNECT/DI-Connect-Fitness/b_summarizedActivities.json": hostile.deep_json(),
        "DI_CONNECT/DI-Connect-Uploaded-Files/run_4.fit": (SAMPLES / "easy_10k.fit").read_bytes(),
    }))
    result = scan(export, use_cache=False, jobs=1)
    assert [a.name for a in result.activities] == ["fine"]  # entry 4: its time is out of range, its id matches
    notes = "\n".join(result.notes)
    assert "b_summarizedActivities.json: export metadata not readable (nested too deeply)" in notes
    assert result.skipped == []


# --- 12. nothing disappears from a walk without a word ------------------------------------------
def test_unreadable_folder_long_path_and_symlinked_folder_are_listed(runs, monkeypatch):
    (runs / "locked").mkdir()
    (runs / "elsewhere").mkdir()
    (runs / "linked").symlink_to(runs / "elsewhere")
    deep = os.open(runs, os.O_RDONLY)
    for _ in range(20):  # 20 x 250 characters: past PATH_MAX (4096)
        os.mkdir("d" * 250, dir_fd=deep)
        nxt = os.open("d" * 250, os.O_RDONLY, dir_fd=deep)
        os.close(deep)
        deep = nxt
    os.close(deep)
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = scan(runs, use_cache=False, jobs=1)
    reasons = skipped(result)
    assert reasons[f"{runs}/locked"] == "folder not readable (Permission denied)"
    assert reasons[f"{runs}/linked"] == "symbolic link to a folder: not followed (scan its target instead)"
    assert any(r == "folder not readable (File name too long)" for r in reasons.values())
    assert len(result.activities) == 1


# --- 13. workers die with the scan ----------------------------------------------------------------
def _children(pid: int) -> set[int]:
    out = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            out |= {int(c) for c in fh.read().split()}
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_die_with_a_killed_scan(tmp_path, sig):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        shutil.copy(SAMPLES / "hot_long_run.gpx", folder / f"r{i}.gpx")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "crampcheck", "scan", str(folder), "--no-cache", "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid) if proc.poll() is None else set()
        time.sleep(0.05)
    assert len(workers) >= 2, "the scan never started its workers"
    os.kill(proc.pid, sig)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    alive = [w for w in workers if _alive(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert alive == []


# --- 14. a corrupt, unwritable or newer cache never blocks a scan -------------------------------
def test_a_corrupt_cache_is_moved_aside_and_rebuilt(runs, tmp_path):
    cache = tmp_path / "c.sqlite"
    for i in range(3):
        shutil.copy(SAMPLES / "easy_10k.fit", runs / f"copy{i}.fit")
    with Cache(cache) as c:
        for i in range(2000):  # enough rows for many pages
            c.put(f"/k/{i}", i, "s", f"h{i}", "set", Outcome("skip", "x" * 200))
    hostile.corrupt_mid_file(cache)
    result = scan(runs, cache_path=cache, jobs=1)
    assert len(result.activities) == 1 and result.stats.parsed == 4
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("c.sqlite.corrupt-") and p.suffix != ".sqlite"
             and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and result.warnings == [
        f"{cache}: the cache was corrupt: moved aside to {aside[0]} and rebuilt"]
    assert scan(runs, cache_path=cache, jobs=1).stats.from_cache == 4  # the rebuilt cache works


def test_an_unwritable_cache_means_a_scan_without_it(runs, tmp_path):
    (tmp_path / "file").write_text("x")
    result = scan(runs, cache_path=tmp_path / "file" / "c.sqlite", jobs=1)
    assert len(result.activities) == 1
    assert result.warnings == [f"{tmp_path}/file/c.sqlite: cannot create the cache: {tmp_path}/file is not a folder;"
                               " scanning without it"]


def test_a_newer_cache_is_left_alone(runs, tmp_path):
    cache = tmp_path / "c.sqlite"
    with Cache(cache, version="999.0.0"):
        pass
    before = cache.read_bytes()
    result = scan(runs, cache_path=cache, jobs=1)
    assert len(result.activities) == 1 and cache.read_bytes() == before
    assert result.warnings[0].startswith(f"{cache}: written by a newer crampcheck (")
    with sqlite3.connect(cache) as db:
        assert dict(db.execute("SELECT name, value FROM meta"))["marker"] == CACHE_MARKER
