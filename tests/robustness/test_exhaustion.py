"""Failures 7-10: zip and gzip bombs, slow fallbacks, FIFOs and devices, absurd --jobs: refused at once.

Time and memory bounds are measured in benchmarks/robustness.py, never asserted here."""

from __future__ import annotations

import importlib
import io
import os
import shutil
import zipfile

import pytest

from crampcheck.errors import UnreadableFileError
from crampcheck.history import scan, worker
from crampcheck.history.sources import InputTree, ZipLimits
from crampcheck.io import detect, fit, fitfast
from crampcheck.io import read as read_bytes
from tests.helpers.history import stub_read_and_analyze
from tests.robustness import hostile
from tests.robustness.conftest import SAMPLES, cli, crampcheck


def sources(path, **limits):
    tree = InputTree(path, ZipLimits(**limits) if limits else None)
    return [(s.name, s.problem) for s in tree.sources()]


# --- 7. archives ------------------------------------------------------------------------------
def test_overlapping_entries_are_refused_unread(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(hostile.overlap_bomb(n=50, kernel_bytes=1 << 20))
    with zipfile.ZipFile(bomb) as zf:  # Python 3.11.7 reads it: 50 MB out of a small file
        assert sum(len(zf.read(i)) for i in zf.infolist()) > 50 << 20 > 1000 * bomb.stat().st_size
    assert sources(bomb) == [(str(bomb), "overlapping archive entries (a zip bomb?): archive refused")]


def test_an_overlap_bomb_nested_in_an_export_is_refused(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(hostile.zip_of({"inner.zip": hostile.overlap_bomb(n=20, kernel_bytes=1 << 16),
                                       "ok.fit": b"x"}, method=zipfile.ZIP_STORED))
    assert sources(export) == [(f"{export}!inner.zip", "overlapping archive entries (a zip bomb?): archive refused"),
                               (f"{export}!ok.fit", None)]


def test_duplicate_offsets_are_refused():
    data = bytearray(hostile.zip_of({"a.fit": b"A" * 100, "b.fit": b"B" * 100}, method=zipfile.ZIP_STORED))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    second = zf.infolist()[1]
    central = data.rindex(b"PK\x01\x02")  # the second central header: point it at the first entry
    data[central + 42:central + 46] = (0).to_bytes(4, "little")
    from crampcheck.history.sources import overlap_problem
    assert second.header_offset > 0
    assert overlap_problem(zipfile.ZipFile(io.BytesIO(bytes(data)))) == (
        "two archive entries at one offset (a zip bomb?): archive refused")


def test_a_gzip_bomb_inside_a_zip_is_refused_by_ratio(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(hostile.zip_of({"big.fit.gz": hostile.gzip_bomb(64 << 20)}, method=zipfile.ZIP_STORED))
    result = scan(export, use_cache=False, jobs=1)
    assert [(s.file, s.reason) for s in result.skipped] == [
        (f"{export}!big.fit.gz", "gzip data expands more than 200 times its compressed size: refused (gzip bomb?)")]


def test_a_single_gzip_bomb_file_is_one_line_in_analyze(tmp_path):
    bomb = tmp_path / "run.fit.gz"
    bomb.write_bytes(hostile.gzip_bomb(64 << 20))
    result = cli("analyze", bomb)
    assert result.exit_code == 1 and result.stderr == (
        f"Error: {bomb}: gzip data expands more than 200 times its compressed size: refused (gzip bomb?)\n")


def test_total_expansion_is_capped_relative_to_the_archive(tmp_path):
    export = tmp_path / "e.zip"
    export.write_bytes(hostile.zip_of({f"r{i}.fit": b"\x00" * 4000 for i in range(5)}))
    got = sources(export, total_expansion_floor_bytes=0, total_expansion_ratio=2.5 * 4000 / export.stat().st_size)
    assert [p for _, p in got][:2] == [None, None]
    assert got[-1][1].startswith("archive expands to more than 0 MB in all: rest refused (zip bomb?)")


def test_a_big_nested_zip_is_streamed_not_held(tmp_path):
    inner = hostile.zip_of({f"r{i}.fit": bytes([i]) * 3000 for i in range(4)})
    export = tmp_path / "e.zip"
    export.write_bytes(hostile.zip_of({"part.zip": inner}))
    tree = InputTree(export, ZipLimits(nested_in_memory_bytes=100))  # anything bigger is streamed
    got = [(s.name, s.load()[:1]) for s in tree.sources()]
    assert got == [(f"{export}!part.zip!r{i}.fit", bytes([i])) for i in range(4)]


# --- 8. slow fallback decoder, slow files ---------------------------------------------------------
def test_the_fitparse_fallback_has_a_size_cap(monkeypatch):
    def refuse(data, source):
        raise fitfast.FitDecodeRefused("changed definition", source)

    monkeypatch.setattr(fitfast, "decode", refuse)
    monkeypatch.setattr(fit, "FALLBACK_MAX_BYTES", 1000)
    data = (SAMPLES / "easy_10k.fit").read_bytes()
    with pytest.raises(UnreadableFileError, match=r"too large \(0\.\d MB > 0 MB\) for the slow reference decoder"):
        read_bytes(data, "big.fit")


def test_a_slow_file_is_stopped_by_the_wall_clock_limit(monkeypatch):
    import time

    monkeypatch.setattr(worker, "read_and_analyze", lambda *a: time.sleep(5))
    started = time.monotonic()
    assert worker.analyze_bytes("slow.fit", b"", "mi", None, "h", limit_s=0.3) == (
        "error", "reading took longer than 0.3 s: stopped")
    assert time.monotonic() - started < 4


# --- 9. FIFOs and devices ------------------------------------------------------------------------
@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "run.fit"
    os.mkfifo(path)
    return path


def test_analyze_refuses_a_fifo_at_once(fifo):
    result = crampcheck("analyze", fifo)
    assert result.returncode == 1
    assert result.stderr.decode() == f"Error: {fifo}: is a FIFO (named pipe), not a regular file: not read\n"


@pytest.mark.parametrize("command", ["scan", "races"])
def test_scan_and_races_skip_a_fifo(fifo, command):
    shutil.copy(SAMPLES / "easy_10k.fit", fifo.parent / "good.fit")
    result = crampcheck(command, fifo.parent, "--no-cache")
    assert result.returncode == 0
    assert f"{fifo}: is a FIFO (named pipe), not a regular file: not read".encode() in result.stdout + result.stderr


def test_a_fifo_config_is_refused(tmp_path):
    config = tmp_path / "fifo.toml"
    os.mkfifo(config)
    result = crampcheck("analyze", SAMPLES / "easy_10k.fit", "--config", config)
    assert result.returncode == 1
    assert result.stderr.decode() == f"Error: {config}: is a FIFO (named pipe), not a regular file: not read\n"


def test_a_link_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "z.fit"
    link.symlink_to("/dev/zero")
    result = crampcheck("analyze", link)
    assert result.stderr.decode() == f"Error: {link}: is a character device, not a regular file: not read\n"
    assert "is a character device" in next(s.reason for s in scan(tmp_path, use_cache=False, jobs=1).skipped)


# --- 10. --jobs is bounded -------------------------------------------------------------------------
def test_jobs_is_bounded():
    result = cli("scan", SAMPLES, "--no-cache", "--jobs", "1000")
    assert result.exit_code == 2 and "1000 is not in the range 1<=x<=64" in result.stderr
    assert "1 to 64" in cli("scan", "--help").stdout


def test_detect_limit_constant_is_what_analyze_applies():
    assert detect.MAX_GZIP_RATIO == 200


def _hang_on_stuck(name, data, units, config, meta=None):
    """A reader stuck where no alarm reaches it (signals blocked, as inside C code)."""
    import signal
    import time

    if name.endswith("/stuck.fit"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    return stub_read_and_analyze(name, data, units, config)  # the others: quick


def test_a_worker_stuck_beyond_its_alarm_is_killed_and_the_scan_goes_on(tmp_path, monkeypatch):
    import time

    scan_module = importlib.import_module("crampcheck.history.scan")  # the module, not the function

    for name in ("a.fit", "stuck.fit", "z.fit"):
        shutil.copy(SAMPLES / "easy_10k.fit", tmp_path / name)
    (tmp_path / "z.fit").write_bytes((SAMPLES / "fast_start_5k.fit").read_bytes())
    (tmp_path / "a.fit").write_bytes((SAMPLES / "cool_run_with_warmup.fit").read_bytes())
    monkeypatch.setattr(worker, "read_and_analyze", _hang_on_stuck)  # forked workers inherit it...
    monkeypatch.setattr(scan_module, "FORK_UNSAFE_MODULES", ())  # ...so fork even after a DuckDB test ran here
    monkeypatch.setattr(scan_module, "STUCK_AFTER_S", 6.0)  # the others take ms; 6 s holds on a loaded machine
    started = time.monotonic()
    result = scan(tmp_path, use_cache=False, jobs=2)
    assert len(result.activities) == 2
    assert [(s.file, s.reason) for s in result.skipped] == [
        (f"{tmp_path}/stuck.fit", "reading took longer than 6 s: the worker was stopped")]
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_big_file_is_hashed_as_a_stream_and_read_by_its_worker(tmp_path, monkeypatch, jobs):
    """The parent never holds a big file (nor its pickled copy): same rows, same cache hashes."""
    scan_module = importlib.import_module("crampcheck.history.scan")
    for name in ("easy_10k.fit", "hot_long_run.gpx", "race_10k_fast_start.fit.gz"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    whole = scan(tmp_path, use_cache=False, jobs=jobs)
    monkeypatch.setattr(scan_module, "BIG_FILE_BYTES", 1000)  # every sample is "big" now
    monkeypatch.setattr(worker, "analyze_bytes", _only_from_path(worker.analyze_bytes))
    streamed = scan(tmp_path, use_cache=False, jobs=jobs)
    assert [a.to_json() for a in streamed.activities] == [a.to_json() for a in whole.activities]
    assert len(streamed.activities) == 3 and streamed.skipped == []


def _only_from_path(analyze_bytes):
    """analyze_bytes that fails a test if the parent sent the bytes (data would be non-empty)."""
    import inspect

    def checked(name, data, units, config, content_hash, meta=None, limit_s=None):
        caller = inspect.stack()[1].function
        assert caller == "analyze_path", f"bytes of {name} came from {caller}"
        return analyze_bytes(name, data, units, config, content_hash, meta, limit_s)

    return checked


def test_analyze_of_a_member_of_an_overlap_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(hostile.overlap_bomb(n=20, kernel_bytes=1 << 16))
    result = cli("analyze", f"{bomb}!run00001.fit")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bomb}: overlapping archive entries (a zip bomb?): archive refused\n"
