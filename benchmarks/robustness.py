"""Hostile inputs against the real command line: for every class of issue 13, tried, handled, time, peak memory.

Each case builds its input in a temporary folder (tests/robustness/hostile.py), runs
``crampcheck`` in a child process and checks the exact outcome (one clear line and exit 1,
or a skip with its reason; inputs and old reports intact). Time is wall clock; peak memory is
sampled every 5 ms: the child's high-water mark (VmHWM) or the sum of its and its
workers' proportional set sizes (PSS: pages shared by forked workers counted once),
whichever is larger. The bound checked: no input of at most 50 MB
costs more than 500 MB or 30 s. Usage::

    python benchmarks/robustness.py            # every class
    python benchmarks/robustness.py --only 7   # one class
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.robustness.hostile builds the inputs

from tests.robustness import hostile  # noqa: E402

SAMPLES = ROOT / "samples"
RUN = SAMPLES / "easy_10k.fit"
MAX_INPUT_BYTES = 50 * 2**20
MAX_PEAK_MB = 500
MAX_TIME_S = 30.0


@dataclass
class Outcome:
    code: int
    out: bytes
    err: bytes
    seconds: float
    peak_mb: float


def run_cli(args: list, preexec: Callable | None = None, timeout: float = 120) -> Outcome:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "crampcheck", *map(os.fsencode, map(str, args))],
                                stdout=out, stderr=err, env=env, preexec_fn=preexec)
        deadline = start + timeout
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, tree_rss_kb(proc.pid))
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, _ = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Outcome(proc.returncode, out.read(), err.read(), seconds, peak_kb / 1024)


def _status_kb(pid: int, field: str, file: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{file}") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """Memory of a process and its workers now: the main process's high-water mark (VmHWM, exact
    for one process) or the sum of the tree's PSS, whichever is larger (sampled)."""
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return max(_status_kb(pid, "VmHWM:"), sum(_status_kb(p, "Pss:", "smaps_rollup") for p in [pid, *kids]))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(o: Outcome, code: int, *phrases: str) -> bool:
    text = o.err.decode("utf-8", "replace")
    return o.code == code and text.count("\n") == 1 and all(p in text for p in phrases) and "Traceback" not in text


# --- the cases: (class, label, build(tmp) -> (args, check(outcome, tmp) -> handled)) --------------------
def overwrite_input(tmp):
    run = tmp / "run.fit"
    shutil.copy(RUN, run)
    before = digest(run)
    return ["analyze", run, "-o", run], lambda o: one_line(o, 1, "is an input file") and digest(run) == before


def html_over_export(tmp):
    export = tmp / "export.zip"
    export.write_bytes(hostile.strava_export(["a", "b"]))
    before = digest(export)
    return ["scan", export, "--no-cache", "--html", export], lambda o: one_line(o, 1, "is an input file") and digest(export) == before


def full_disk(tmp):
    html = tmp / "r.html"
    html.write_text("old")

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    return (["analyze", RUN, "--html", html], lambda o: one_line(o, 1, "File too large") and html.read_text() == "old"
            and len(list(tmp.iterdir())) == 1), limit


def foreign_cache(tmp):
    db = tmp / "other.db"
    hostile.foreign_sqlite(db, meta_empty=True)
    before = digest(db)
    return ["scan", RUN, "--cache", db], lambda o: o.code == 0 and digest(db) == before and b"left alone" in o.err


def corrupt_cache(tmp):
    db = tmp / "c.sqlite"
    from crampcheck.history.cache import Cache
    from crampcheck.history.cache import Outcome as Row
    with Cache(db) as c:
        for i in range(2000):
            c.put(f"/k/{i}", i, "s", f"h{i}", "x", Row("skip", "x" * 200))
    hostile.corrupt_mid_file(db)
    return ["scan", RUN, "--cache", db], lambda o: o.code == 0 and b"moved aside" in o.err


def escapes(tmp):
    export = tmp / "s.zip"
    export.write_bytes(hostile.strava_export([hostile.ESCAPES + "x", hostile.C1_CSI + "y"]))
    return ["scan", export, "--no-cache"], lambda o: o.code == 0 and b"\x1b" not in o.out and b"PWNED" in o.out


def formulas(tmp):
    export = tmp / "s.zip"
    export.write_bytes(hostile.strava_export(list(hostile.FORMULAS)))

    def check(o):
        cells = [row["name"] for row in csv.DictReader(io.StringIO(o.out.decode()))]
        return o.code == 0 and len(cells) == len(hostile.FORMULAS) and not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]

    return ["scan", export, "--no-cache", "--format", "csv"], check


def markdown(tmp):
    export = tmp / "s.zip"
    export.write_bytes(hostile.strava_export(list(hostile.MARKDOWN_TRAPS)))
    return (["scan", export, "--no-cache", "--format", "markdown"],
            lambda o: o.code == 0 and b"<img" not in o.out and b"](javascript" not in o.out.replace(b"\\](", b""))


def overlap_bomb(tmp):
    bomb = tmp / "bomb.zip"
    bomb.write_bytes(hostile.overlap_bomb(n=2000, kernel_bytes=1 << 20))  # 2 GB from ~200 KB
    return ["scan", bomb, "--no-cache"], lambda o: o.code == 0 and b"overlapping archive entries" in o.out


def nested_overlap_bomb(tmp):
    export = tmp / "export.zip"
    inner = hostile.overlap_bomb(n=2000, kernel_bytes=1 << 20)
    export.write_bytes(hostile.zip_of({f"part{i}.zip": inner for i in range(8)}))
    return ["scan", export, "--no-cache", "--jobs", "4"], lambda o: o.code == 0 and o.out.count(b"overlapping") == 8


def gzip_in_zip(tmp):
    export = tmp / "export.zip"
    export.write_bytes(hostile.zip_of({f"r{i}.fit.gz": hostile.gzip_bomb(256 << 20) for i in range(4)}, method=0))
    return ["scan", export, "--no-cache", "--jobs", "4"], lambda o: o.code == 0 and o.out.count(b"gzip bomb") == 4


def gzip_file(tmp):
    bomb = tmp / "run.fit.gz"
    bomb.write_bytes(hostile.gzip_bomb(256 << 20))
    return ["analyze", bomb], lambda o: one_line(o, 1, "gzip bomb")


def _long_run(hours: float):
    from datetime import datetime, timezone

    from crampcheck.synth.build import build
    from crampcheck.synth.spec import RunSpec, Segment

    spec = RunSpec(segments=(Segment(duration_s=hours * 3600, speed_m_s=2.5),),
                   start_time_utc=datetime(2024, 6, 1, 6, tzinfo=timezone.utc), sample_interval_s=1)
    return build(spec)


def big_gpx(tmp, hours: float = 24):
    """A GPX at 1 Hz of ``hours`` (24 h: ~22 MB): a legitimate worst case."""
    from crampcheck.synth.gpxwrite import gpx_bytes

    path = tmp / "long.gpx"
    path.write_bytes(gpx_bytes(_long_run(hours)))
    return ["analyze", path], lambda o: o.code == 0


def bigger_gpx(tmp):
    return big_gpx(tmp, hours=52)  # just under 50 MB: the bound's edge


def big_fit_scan(tmp):
    """A 24-hour FIT at 1 Hz beside a 46-hour GPX (45 MB in all), scanned with two workers."""
    from crampcheck.synth.fitwrite import fit_bytes
    from crampcheck.synth.gpxwrite import gpx_bytes

    (tmp / "day.fit").write_bytes(fit_bytes(_long_run(24)))
    (tmp / "two_days.gpx").write_bytes(gpx_bytes(_long_run(46)))
    return ["scan", tmp, "--no-cache", "--jobs", "2"], lambda o: o.code == 0 and b"2 activities" in o.out


def fifo(tmp):
    path = tmp / "run.fit"
    os.mkfifo(path)
    return ["analyze", path], lambda o: one_line(o, 1, "is a FIFO")


def fifo_in_scan(tmp):
    os.mkfifo(tmp / "run.fit")
    (tmp / "z.fit").symlink_to("/dev/zero")
    shutil.copy(RUN, tmp / "good.fit")
    return ["races", tmp, "--no-cache"], lambda o: o.code == 0 and o.err.count(b"not a regular file") == 2


def fifo_config(tmp):
    path = tmp / "c.toml"
    os.mkfifo(path)
    return ["analyze", RUN, "--config", path], lambda o: one_line(o, 1, "is a FIFO")


def jobs_1000(tmp):
    return ["scan", SAMPLES, "--no-cache", "--jobs", "1000"], lambda o: o.code == 2 and b"1<=x<=64" in o.err


def walk_troubles(tmp):
    (tmp / "loop.fit").symlink_to(tmp / "loop.fit")
    (tmp / "other").mkdir()
    (tmp / "linked").symlink_to(tmp / "other")
    shutil.copy(RUN, os.path.join(os.fsencode(tmp), b"caf\xe9.fit"))
    shutil.copy(SAMPLES / "fast_start_5k.fit", tmp / "ok.fit")
    return (["scan", tmp, "--no-cache", "--format", "json"],
            lambda o: o.code == 0 and b"symbolic links" in o.out and b"not followed" in o.out and o.out.decode("utf-8"))


def garmin_metadata(tmp):
    export = tmp / "g.zip"
    export.write_bytes(hostile.zip_of({"a_summarizedActivities.json": hostile.garmin_summary_hostile(),
                                       "b_summarizedActivities.json": hostile.deep_json(), "run_4.fit": RUN.read_bytes()}))
    return ["scan", export, "--no-cache"], lambda o: o.code == 0 and b"nested too deeply" in o.out


def bad_threshold(tmp):
    config = tmp / "c.toml"
    config.write_text("[thresholds]\njog_min_min = 0\n")
    return ["scan", SAMPLES, "--no-cache", "--config", config], lambda o: one_line(o, 1, "jog_min_min", "range 0.1 to 1440")


def bad_offset(tmp):
    path = tmp / "off.gpx"
    path.write_text((SAMPLES / "hot_long_run.gpx").read_text().replace("Z</time>", "+99:99</time>"))
    return ["analyze", path], lambda o: o.code == 0 and b"no real time zone" in o.out and o.err == b""




CASES: list[tuple[str, str, Callable]] = [
    ("1 overwrite", "analyze run.fit -o run.fit", overwrite_input),
    ("1 overwrite", "scan export.zip --html export.zip", html_over_export),
    ("2 atomic", "--html under ulimit -f 16", full_disk),
    ("3 cache", "foreign SQLite as --cache", foreign_cache),
    ("14 cache", "corrupt cache mid-file", corrupt_cache),
    ("4 terminal", "ESC/OSC/C1 in export names", escapes),
    ("5 csv", "formula names", formulas),
    ("6 markdown", "tags, links, images, pipes, newlines", markdown),
    ("7 zip", "overlap bomb 2000 x 1 MB", overlap_bomb),
    ("7 zip", "8 nested overlap bombs, --jobs 4", nested_overlap_bomb),
    ("7 gzip", "4 x 256 MB gzip in a zip, --jobs 4", gzip_in_zip),
    ("7 gzip", "analyze 256 MB .fit.gz", gzip_file),
    ("8 size", "analyze a 24-hour GPX at 1 Hz", big_gpx),
    ("8 size", "analyze a 52-hour GPX at 1 Hz", bigger_gpx),
    ("8 size", "scan 24-h FIT + 46-h GPX, --jobs 2", big_fit_scan),
    ("9 fifo", "analyze FIFO", fifo),
    ("9 fifo", "races: FIFO + /dev/zero link", fifo_in_scan),
    ("9 fifo", "--config FIFO", fifo_config),
    ("10 jobs", "--jobs 1000", jobs_1000),
    ("11/12 walk", "loop, symlinked folder, non-UTF-8 name", walk_troubles),
    ("11 metadata", "malformed summarizedActivities.json", garmin_metadata),
    ("15 config", "jog_min_min = 0", bad_threshold),
    ("15 values", "UTC offset +99:99", bad_offset),
]


def input_bytes(args: list) -> int:
    total = 0
    for a in args:
        p = Path(os.fsdecode(a)) if isinstance(a, (str, bytes, Path)) else None
        if p is not None and p.is_file():
            total += p.stat().st_size
        elif p is not None and p.is_dir() and not p.is_symlink():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file() and not f.is_symlink())
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the classes whose label starts with this (e.g. 7)")
    opts = parser.parse_args()
    print(f"{'class':<12} {'case':<42} {'input':>9} {'handled':>8} {'time s':>7} {'peak MB':>8}")
    failures = 0
    tried = handled_n = 0
    for klass, label, build in CASES:
        if opts.only and not klass.startswith(opts.only):
            continue
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            built = build(tmp)
            (args, check), preexec = (built if isinstance(built[0], tuple) else (built, None))
            size = input_bytes(args[1:2])
            o = run_cli(args, preexec)
            handled = bool(check(o))
        within = size > MAX_INPUT_BYTES or (o.peak_mb <= MAX_PEAK_MB and o.seconds <= MAX_TIME_S)
        tried += 1
        handled_n += handled
        failures += (not handled) + (not within)
        flag = "" if within else "  OVER BOUND"
        print(f"{klass:<12} {label:<42} {size / 2**20:>7.1f}MB {'yes' if handled else 'NO':>8} "
              f"{o.seconds:>7.2f} {o.peak_mb:>8.0f}{flag}")
    print(f"tried {tried}, handled {handled_n}; bound: inputs <= {MAX_INPUT_BYTES // 2**20} MB cost <= {MAX_PEAK_MB} MB"
          f" and <= {MAX_TIME_S:g} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
