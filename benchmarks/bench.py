"""crampcheck benchmark: readers, the whole scan and command start-up, on one synthetic history.

Generates N one-hour runs (FIT and GPX, one run a day or so, pace, temperature, start
hour and run type drawn from a fixed seed) with ``crampcheck.synth``, then measures on those
same files, in one run:

- FIT readers: crampcheck decode only (``io.fitfast.decode``) and full read into an
  Activity (``io.read``), fitparse, fitdecode, pyfitparsernative, garmin-fit-sdk;
- GPX readers: crampcheck (lxml) and gpxpy;
- the plain fitparse + pandas mile-split pipeline (``benchmarks/baseline.py``);
- ``crampcheck scan`` (subprocess, first run without cache, then the cached rerun) and the
  peak memory of its process tree;
- a scan worker's in-process work per one-hour FIT file (``history.worker.analyze_bytes``:
  read, measure, judge, summary row), CPU time, with its phases;
- ``crampcheck --help`` and ``crampcheck analyze ONE.fit`` as whole processes (best of 7).

The slow references run on ``--baseline-sample`` files only and are extrapolated linearly
to N (marked "extrapolated"). Usage::

    python benchmarks/bench.py                       # 1000 files, 30-file samples
    python benchmarks/bench.py --files 300 --baseline-sample 20
    python benchmarks/bench.py --quick               # smoke run: 20 files, 3-file samples
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # baseline.py next to this file

SEED = 20240615
RUN_S = 3600.0  # every run lasts one hour
FIRST_DAY = date(2022, 1, 3)
DAY_GAPS = (1, 1, 1, 1, 2)  # one run a day, now and then a rest day
SPEED_RANGE_M_S = (2.6, 3.5)
TEMPERATURE_JITTER_C = 4.0
MIN_TEMPERATURE_C = 1  # a run at a constant 0 deg C reads as a sensor placeholder: keep above it
START_HOURS = (6, 20)  # local start hour drawn in [6, 20)
TIMEZONE = ZoneInfo("Europe/Paris")  # the synthetic runs start at the default spot, Paris
BEST_OF = 7  # whole-process timings: best of this many
WORKER_FILES = 200  # the worker's in-process work is timed on this many files (spread over the history) ...
WORKER_PASSES = 3  # ... this many times over, the best pass kept
RSS_POLL_S = 0.05  # how often the scan's process tree is sampled
QUICK_FILES, QUICK_SAMPLE = 20, 3
KIB = 1024
MIB = 1024 * 1024
FITFAST, FITPARSE, PYFITPARSERNATIVE = "fitfast (crampcheck)", "fitparse (fitref)", "pyfitparsernative"  # bench_fit_decode names

# The floors (ratios are crampcheck / other, in files per second)
FLOOR_FIT_VS_FITPARSE = 50.0
FLOOR_GPX_VS_GPXPY = 10.0
FLOOR_SCAN_VS_BASELINE = 60.0
FLOOR_SCAN_RSS_MB = 500.0
FLOOR_CACHED_S = 2.0
FLOOR_ANALYZE_S = 0.25
FLOOR_WORKER_MS = 6.0
FLOOR_HELP_S = 0.3


# --- the synthetic history ---------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    fit: Path
    gpx: Path
    records: int


def _seasonal_c(day: date) -> float:
    """Paris-like morning temperature: about 2 deg C in January, 20 deg C in July."""
    phase = 2 * np.pi * (day.timetuple().tm_yday - 15) / 365.25
    return 11.0 - 9.0 * np.cos(phase)


def _specs(n: int, seed: int) -> list:
    """N one-hour RunSpecs: mostly steady runs, some fast starts, fades and surges."""
    from crampcheck.synth import scenarios

    rng = np.random.default_rng(seed)
    day, specs = FIRST_DAY, []
    for _ in range(n):
        day += timedelta(days=int(rng.choice(DAY_GAPS)))
        local = datetime(day.year, day.month, day.day, int(rng.integers(*START_HOURS)), int(rng.choice([0, 15, 30, 45])),
                         tzinfo=TIMEZONE)
        offset_s = int(local.utcoffset().total_seconds())
        speed = float(rng.uniform(*SPEED_RANGE_M_S))
        run = dict(start_time_utc=local.astimezone(timezone.utc), utc_offset_s=offset_s,
                   temperature_c=max(MIN_TEMPERATURE_C, round(_seasonal_c(day) + float(rng.uniform(-TEMPERATURE_JITTER_C, TEMPERATURE_JITTER_C)))),
                   heading_deg=float(rng.uniform(0, 360)))
        kind = rng.choice(["even", "even", "even", "even", "even", "even", "fast_start", "fade", "surges"])
        if kind == "fast_start":
            spec = scenarios.fast_start(speed * RUN_S, speed, faster_pct=float(rng.uniform(3, 10)), **run)
        elif kind == "fade":
            spec = scenarios.fade(speed * RUN_S, speed, slower_pct=float(rng.uniform(2, 8)), **run)
        elif kind == "surges":
            spec = scenarios.surges(RUN_S, speed, at_s=(900.0, 1800.0, 2700.0), **run)
        else:
            spec = scenarios.even_pace(speed * RUN_S, speed, **run)
        specs.append(spec)
    return specs


def _write_one(job: tuple) -> int:
    index, spec, workdir = job
    from crampcheck.synth import build, fit_bytes, gpx_bytes

    truth = build(spec)
    stem = f"{spec.start_time_utc:%Y-%m-%d}_run{index:04d}"
    (workdir / "fit" / f"{stem}.fit").write_bytes(fit_bytes(truth))
    (workdir / "gpx" / f"{stem}.gpx").write_bytes(gpx_bytes(truth))
    return len(truth.records)


def generate(n: int, workdir: Path, seed: int = SEED) -> list[Run]:
    """Write N runs as workdir/fit/*.fit and workdir/gpx/*.gpx (in parallel); their list."""
    import multiprocessing

    for sub in ("fit", "gpx"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    specs = _specs(n, seed)
    jobs = [(i, s, workdir) for i, s in enumerate(specs)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        counts = pool.map(_write_one, jobs, chunksize=8)
    runs = []
    for (i, spec, _), count in zip(jobs, counts):
        stem = f"{spec.start_time_utc:%Y-%m-%d}_run{i:04d}"
        runs.append(Run(workdir / "fit" / f"{stem}.fit", workdir / "gpx" / f"{stem}.gpx", count))
    return runs


# --- readers --------------------------------------------------------------------------------
# The FIT decoders (bytes -> every value materialized) come from bench_fit_decode.py, the
# decode-only benchmark; here each reader takes a path, reads the bytes and decodes them.
# The readers below return their record count, which is checked against the synthetic truth.

def read_crampcheck_fit(path: Path) -> int:
    from crampcheck.io import read

    return len(read(path.read_bytes(), str(path)).records)


def read_crampcheck_gpx(path: Path) -> int:
    from crampcheck.io.gpx import read_gpx

    return len(read_gpx(path.read_bytes(), str(path), decoder="lxml").records)


def read_gpxpy(path: Path) -> int:
    import gpxpy

    gpx = gpxpy.parse(path.read_text(encoding="utf-8"))
    return sum(len(seg.points) for trk in gpx.tracks for seg in trk.segments)


def fit_decoders() -> list[tuple[str, Callable[[Path], object], bool]]:
    """(name, reader, fast) for every FIT decoder of bench_fit_decode that can be imported;
    ``fast`` ones are timed on every file, the others on the sample."""
    import bench_fit_decode as fd

    modules = {"pyfitparsernative": "pyfitparsernative", "fitdecode": "fitdecode", "garmin-fit-sdk": "garmin_fit_sdk",
               "fitparse (fitref)": "fitparse"}
    out = []
    for name, decode in fd.DECODERS.items():
        if name in modules and not _importable(modules[name]):
            continue
        out.append((name, lambda path, decode=decode: decode(path.read_bytes()), name not in fd.SLOW))
    return out


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@dataclass
class Timing:
    name: str
    files: int  # files actually timed
    seconds: float  # measured
    records: int
    scale: float = 1.0  # N / files timed: > 1 when extrapolated
    cpu_s: float = 0.0  # CPU time of the measured part (this process), when taken

    @property
    def files_s(self) -> float:
        return self.files / self.seconds

    @property
    def records_s(self) -> float:
        return self.records / self.seconds

    @property
    def total_s(self) -> float:
        """Time for all N files (extrapolated when only a sample was timed)."""
        return self.seconds * self.scale


def sample(runs: list[Run], k: int) -> list[Run]:
    """k runs spread evenly over the history (all of them when k >= N)."""
    if k >= len(runs):
        return list(runs)
    return [runs[i] for i in np.linspace(0, len(runs) - 1, k).round().astype(int)]


def time_reader(name: str, fn: Callable[[Path], object], runs: list[Run], n_total: int, gpx: bool = False) -> Timing:
    """Time ``fn`` over the runs' files (one untimed warm-up call first: imports, caches)."""
    paths = [r.gpx if gpx else r.fit for r in runs]
    fn(paths[0])
    start = time.perf_counter()
    got = [fn(p) for p in paths]
    seconds = time.perf_counter() - start
    for path, count, run in zip(paths, got, runs):
        if isinstance(count, int) and count != run.records:
            raise SystemExit(f"{name}: {path} gave {count} records, the truth has {run.records}")
    return Timing(name, len(paths), seconds, sum(r.records for r in runs), n_total / len(paths))


def time_baseline(runs: list[Run], n_total: int) -> Timing:
    import baseline

    baseline.summarize(runs[0].fit)  # warm-up
    start, cpu_start = time.perf_counter(), time.process_time()
    table = baseline.pipeline([r.fit for r in runs])
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
    if len(table) != len(runs):
        raise SystemExit("baseline: lost rows")
    return Timing("fitparse + pandas mile splits", len(runs), seconds, sum(r.records for r in runs), n_total / len(runs), cpu_s)


@dataclass
class WorkerTiming:
    files: int
    ms_per_file: float  # CPU time of analyze_bytes, best pass
    phases_ms: dict[str, float]  # the same work split in its steps, CPU ms per file (best pass each)
    pandas_loaded: bool  # whether the work imported pandas (it must not)


def _cpu_ms_per_file(fn: Callable[[int], object], n: int) -> float:
    """Best of WORKER_PASSES passes of ``fn(i)`` for i < n: CPU ms per call."""
    best = float("inf")
    for _ in range(WORKER_PASSES):
        start = time.process_time()
        for i in range(n):
            fn(i)
        best = min(best, (time.process_time() - start) / n)
    return best * 1000


def time_worker(runs: list[Run], workdir: Path) -> WorkerTiming:
    """A scan worker's in-process work per file, timed in a fresh Python process (nothing else
    imported: whether the work imports pandas is seen there)."""
    import json

    listing = workdir / "worker-files.txt"
    listing.write_text("\n".join(str(r.fit) for r in runs), encoding="utf-8")
    out = subprocess.run([sys.executable, __file__, "--time-worker", str(listing)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"worker timing failed:\n{out.stderr}")
    return WorkerTiming(**json.loads(out.stdout))


def _time_worker_here(paths: list[Path]) -> WorkerTiming:
    """``time_worker``'s measure, in this process: what ``crampcheck scan`` does in each worker
    (after ``worker.warm_up``, which the parent does before forking), then its phases."""
    from crampcheck import pipeline
    from crampcheck.history import worker
    from crampcheck.history.summary import summarize
    from crampcheck.io import fitfast, read
    from crampcheck.metrics.run import compute
    from crampcheck.risk.assess import assess
    from crampcheck.risk.config import Config

    worker.warm_up()
    data = [(path.name, path.read_bytes()) for path in paths]
    config = Config()
    outcomes = [worker.analyze_bytes(name, raw, "mi", config, "hash") for name, raw in data]  # warm-up, checked
    if any(kind != "row" for kind, _ in outcomes):
        raise SystemExit(f"worker: not every run gave a row: {sorted({kind for kind, _ in outcomes})}")
    pandas_loaded = "pandas" in sys.modules  # a fresh process: only crampcheck's imports could load it
    n = len(data)
    total = _cpu_ms_per_file(lambda i: worker.analyze_bytes(data[i][0], data[i][1], "mi", config, "hash"), n)
    activities = [read(raw, name) for name, raw in data]
    detection = pipeline.detection(config)
    metrics = [compute(a, "mi", None, detection) for a in activities]
    reports = [pipeline.analyze(a, units="mi", config=config) for a in activities]
    phases = {
        "FIT decode": _cpu_ms_per_file(lambda i: fitfast.decode(data[i][1], data[i][0]), n),
        "read (decode + Activity)": _cpu_ms_per_file(lambda i: read(data[i][1], data[i][0]), n),
        "metrics (no charts, as the worker)": _cpu_ms_per_file(lambda i: compute(activities[i], "mi", None, detection, charts=False), n),
        "risk": _cpu_ms_per_file(lambda i: assess(metrics[i], config), n),
        "summary row": _cpu_ms_per_file(lambda i: summarize(reports[i], "hash").to_json(), n),
    }
    return WorkerTiming(n, total, phases, pandas_loaded)


# --- whole processes ------------------------------------------------------------------------

def crampcheck_cmd() -> list[str]:
    """The installed console script next to this Python, else ``python -m crampcheck``."""
    script = Path(sys.executable).parent / "crampcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "crampcheck"]


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _tree_memory_bytes(root: int) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, largest RSS) over ``root`` and its descendants, bytes. RSS
    counts a page shared by forked workers once per process; PSS splits it between them."""
    page = os.sysconf("SC_PAGE_SIZE")
    rss = pss = largest = 0
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/statm") as fh:
                one = int(fh.read().split()[1]) * page
            rss, largest = rss + one, max(largest, one)
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                pss += next((int(line.split()[1]) * KIB for line in fh if line.startswith("Pss:")), 0)
        except (OSError, IndexError, ValueError):
            pass
    return rss, pss, largest


@dataclass
class ProcRun:
    seconds: float
    cpu_s: float  # user + system CPU of the process and the workers it waited for
    max_rss_bytes: int  # the largest single process of the tree (sampled; wait4's ru_maxrss would
    # count the benchmark's own pages, inherited between fork and exec)
    tree_rss_bytes: int  # the largest sampled sum of RSS over the tree (shared pages counted per process)
    tree_pss_bytes: int  # the largest sampled sum of PSS over the tree (shared pages split: the real total)
    returncode: int


def bytecode_env(prefix: Path) -> dict[str, str]:
    """The environment for the timed processes: Python's bytecode cache on (as on a user's
    machine after the first run), kept under ``prefix`` so nothing is written into the tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    return env


def fill_bytecode_cache(cmd: list[str], runs: list[Run], workdir: Path, env: dict[str, str]) -> None:
    """Run each timed command once, untimed, so that every module it imports is compiled."""
    warm = workdir / "warm"
    warm.mkdir(exist_ok=True)
    for run in runs[:2]:
        (warm / run.fit.name).write_bytes(run.fit.read_bytes())
    run_process(cmd + ["--help"], env)
    run_process(cmd + ["analyze", str(runs[0].fit)], env)
    run_process(cmd + ["scan", str(warm), "--no-progress", "--format", "json", "-o", os.devnull, "--no-cache"], env)
    shutil.rmtree(warm)


def run_process(cmd: list[str], env: dict | None = None) -> ProcRun:
    """Run ``cmd`` to the end (output discarded); wall time and peak memory."""
    peak = [0, 0, 0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            peak[:] = [max(a, b) for a, b in zip(peak, _tree_memory_bytes(proc.pid))]
            stop.wait(RSS_POLL_S)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode(errors='replace')}")
    return ProcRun(seconds, usage.ru_utime + usage.ru_stime, peak[2], peak[0], peak[1], proc.returncode)


def check_scan(scan_cmd: list[str], out: Path, n: int, env: dict[str, str]) -> None:
    """Rerun the (cached) scan untimed into a file: every run must be listed, none skipped."""
    import json

    run_process([out.as_posix() if arg == os.devnull else arg for arg in scan_cmd], env)
    result = json.loads(out.read_text(encoding="utf-8"))
    if len(result["activities"]) != n or result["skipped"] or result["duplicates"]:
        raise SystemExit(f"scan: {len(result['activities'])} of {n} runs listed, {len(result['skipped'])} skipped, "
                         f"{len(result['duplicates'])} duplicates: the benchmark history is not read as intended")


def best_of(cmd: list[str], env: dict[str, str], times: int = BEST_OF) -> float:
    return min(run_process(cmd, env).seconds for _ in range(times))


def import_time_top(env: dict[str, str], n: int = 4) -> tuple[float, list[tuple[str, float]]]:
    """``python -X importtime -c "import crampcheck.cli"``: the module's cumulative import time
    (s) and its n heaviest direct imports."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import crampcheck.cli"],
                          capture_output=True, text=True, check=True, env=env)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)) / 1e6, (len(m.group(3)) - 1) // 2, m.group(4)))
    total = next((cum for cum, _, name in rows if name == "crampcheck.cli"), 0.0)
    children = [(name, cum) for cum, depth, name in rows if depth == 1]  # imported by top-level modules
    return total, sorted(children, key=lambda t: -t[1])[:n]


# --- report -----------------------------------------------------------------------------

def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def load_avg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _floor(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000, help="one-hour runs to generate (default 1000)")
    ap.add_argument("--baseline-sample", type=int, default=30, metavar="K",
                    help="time the slow references on K of the files and extrapolate to all (default 30)")
    ap.add_argument("--workdir", type=Path, default=None, help="where to write the files (default: a temp dir, removed at the end)")
    ap.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_FILES} files, {QUICK_SAMPLE}-file samples")
    ap.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    ap.add_argument("--time-worker", type=Path, default=None, help=argparse.SUPPRESS)  # time_worker's child process
    args = ap.parse_args(argv)
    if args.time_worker is not None:
        import json
        from dataclasses import asdict

        paths = [Path(line) for line in args.time_worker.read_text(encoding="utf-8").splitlines()]
        print(json.dumps(asdict(_time_worker_here(paths))))
        return 0
    n = QUICK_FILES if args.quick else args.files
    k = min(n, QUICK_SAMPLE if args.quick else args.baseline_sample)
    if n < 1 or k < 1:
        ap.error("--files and --baseline-sample must be >= 1")
    own_dir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="crampcheck-bench-")) if own_dir else args.workdir
    load_start = load_avg()
    try:
        return _bench(n, k, workdir, args.seed, load_start)
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)


def _bench(n: int, k: int, workdir: Path, seed: int, load_start: str) -> int:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731 - progress on stderr
    say(f"generating {n} one-hour runs (FIT + GPX) in {workdir} ...")
    t0 = time.perf_counter()
    runs = generate(n, workdir, seed)
    gen_s = time.perf_counter() - t0
    fit_mb = sum(r.fit.stat().st_size for r in runs) / MIB
    gpx_mb = sum(r.gpx.stat().st_size for r in runs) / MIB
    few = sample(runs, k)

    fit_readers = fit_decoders()
    fit_readers.insert(1, ("crampcheck read -> Activity", read_crampcheck_fit, True))
    timings: dict[str, Timing] = {}
    for name, fn, all_files in fit_readers:
        say(f"FIT: {name} ...")
        timings[name] = time_reader(name, fn, runs if all_files else few, n)
    gpx_timings: dict[str, Timing] = {}
    for name, fn, all_files in [("crampcheck GPX (lxml)", read_crampcheck_gpx, True), ("gpxpy", read_gpxpy, False)]:
        say(f"GPX: {name} ...")
        gpx_timings[name] = time_reader(name, fn, runs if all_files else few, n, gpx=True)
    say(f"scan worker in process ({min(n, WORKER_FILES)} files) ...")
    work = time_worker(sample(runs, WORKER_FILES), workdir)
    say("baseline: fitparse + pandas mile splits ...")
    base = time_baseline(few, n)

    cmd = crampcheck_cmd()
    env = bytecode_env(workdir / "pycache")
    say("filling the bytecode cache ...")
    fill_bytecode_cache(cmd, runs, workdir, env)
    cache = workdir / "cache.sqlite"
    for leftover in workdir.glob("cache.sqlite*"):
        leftover.unlink()
    scan_cmd = cmd + ["scan", str(workdir / "fit"), "--no-progress", "--format", "json", "-o", os.devnull, "--cache", str(cache),
                      "--since", "1970-01-01"]  # every run in view (scan shows the last 12 weeks by default)
    say("crampcheck scan (no cache) ...")
    first = run_process(scan_cmd, env)
    say("crampcheck scan (cached) ...")
    cached = run_process(scan_cmd, env)
    check_scan(cmd + scan_cmd[len(cmd):], workdir / "scan.json", n, env)
    say("crampcheck --help / analyze ...")
    help_s = best_of(cmd + ["--help"], env)
    analyze_s = best_of(cmd + ["analyze", str(runs[0].fit)], env)
    imp_total, imp_top = import_time_top(env)
    load_end = load_avg()

    # --- print --------------------------------------------------------------------------
    ext = lambda t: " (extrapolated)" if t.scale > 1 else ""  # noqa: E731
    print(f"machine   {machine()}")
    print(f"load avg  start {load_start} | end {load_end}  (1/5/15 min; the machine is shared)")
    print(f"history   {n} one-hour runs, {sum(r.records for r in runs):,} records; FIT {fit_mb:.0f} MB, GPX {gpx_mb:.0f} MB; "
          f"generated in {gen_s:.0f} s; slow references timed on {k} files, extrapolated x{n / k:.1f}")
    print()
    print(f"{'reader':32} {'files':>6} {'files/s':>9} {'records/s':>12} {'s for all N':>12}  vs crampcheck decode")
    ref = timings[FITFAST]
    for t in timings.values():
        print(f"{t.name:32} {t.files:6d} {t.files_s:9.1f} {t.records_s:12,.0f} {t.total_s:12.2f}  "
              f"{ref.files_s / t.files_s:6.1f}x slower{ext(t)}" if t is not ref else
              f"{t.name:32} {t.files:6d} {t.files_s:9.1f} {t.records_s:12,.0f} {t.total_s:12.2f}")
    g_ref = gpx_timings["crampcheck GPX (lxml)"]
    for t in gpx_timings.values():
        tail = "" if t is g_ref else f"  {g_ref.files_s / t.files_s:6.1f}x slower{ext(t)}"
        print(f"{t.name:32} {t.files:6d} {t.files_s:9.1f} {t.records_s:12,.0f} {t.total_s:12.2f}{tail}")
    print(f"{base.name:32} {base.files:6d} {base.files_s:9.1f} {base.records_s:12,.0f} {base.total_s:12.2f}  (extrapolated)"
          if base.scale > 1 else f"{base.name:32} {base.files:6d} {base.files_s:9.1f} {base.records_s:12,.0f} {base.total_s:12.2f}")
    print()
    per_hour_s = base.seconds / base.files
    print(f"baseline  {per_hour_s:.2f} s per one-hour run ({base.total_s:.0f} s for {n} runs{ext(base)})")
    print(f"scan      first {first.seconds:.2f} s ({n / first.seconds:.0f} files/s; {first.cpu_s:.1f} s CPU in all), "
          f"cached rerun {cached.seconds:.2f} s; "
          f"peak memory of the process tree: {first.tree_pss_bytes / MIB:.0f} MB PSS, {first.tree_rss_bytes / MIB:.0f} MB "
          f"sum of RSS (sampled every {RSS_POLL_S * 1000:.0f} ms); largest process {first.max_rss_bytes / MIB:.0f} MB RSS")
    print(f"worker    {work.ms_per_file:.2f} ms CPU per one-hour file in process (best of {WORKER_PASSES} passes over "
          f"{work.files} files; pandas imported: {'yes' if work.pandas_loaded else 'no'}): "
          + ", ".join(f"{name} {ms:.2f}" for name, ms in work.phases_ms.items()) + " ms")
    print(f"startup   crampcheck --help {help_s:.3f} s, analyze one one-hour FIT {analyze_s:.3f} s (whole process, best of {BEST_OF}); "
          f"import crampcheck.cli {imp_total * 1000:.0f} ms: " + ", ".join(f"{name} {s * 1000:.0f} ms" for name, s in imp_top))
    print()
    fit_ratio = ref.files_s / timings[FITPARSE].files_s
    pfn = timings.get(PYFITPARSERNATIVE)  # only with the "bench" extra installed
    gpx_ratio = g_ref.files_s / gpx_timings["gpxpy"].files_s
    scan_ratio = base.total_s / first.seconds
    scan_cpu_ratio = base.cpu_s * base.scale / first.cpu_s  # CPU against CPU: steadier on a loaded machine
    rows = [
        ("FIT decode vs fitparse", f"{fit_ratio:.0f}x", f">= {FLOOR_FIT_VS_FITPARSE:.0f}x", fit_ratio >= FLOOR_FIT_VS_FITPARSE),
        ("FIT decode vs pyfitparsernative", f"{ref.files_s / pfn.files_s:.1f}x" if pfn else "absent", "> 1x",
         pfn is None or ref.files_s > pfn.files_s),
        ("FIT full read vs fitparse", f"{timings['crampcheck read -> Activity'].files_s / timings[FITPARSE].files_s:.0f}x", "-", True),
        ("GPX read vs gpxpy", f"{gpx_ratio:.1f}x", f">= {FLOOR_GPX_VS_GPXPY:.0f}x", gpx_ratio >= FLOOR_GPX_VS_GPXPY),
        ("scan (no cache) vs baseline", f"{scan_ratio:.0f}x", f">= {FLOOR_SCAN_VS_BASELINE:.0f}x", scan_ratio >= FLOOR_SCAN_VS_BASELINE),
        ("  same, CPU time against CPU time", f"{scan_cpu_ratio:.0f}x", "-", True),
        ("scan peak memory (tree, sum of RSS)", f"{first.tree_rss_bytes / MIB:.0f} MB", f"< {FLOOR_SCAN_RSS_MB:.0f} MB",
         first.tree_rss_bytes / MIB < FLOOR_SCAN_RSS_MB),
        ("scan cached rerun", f"{cached.seconds:.2f} s", f"<= {FLOOR_CACHED_S:.0f} s", cached.seconds <= FLOOR_CACHED_S),
        ("analyze one-hour FIT", f"{analyze_s:.3f} s", f"<= {FLOOR_ANALYZE_S} s", analyze_s <= FLOOR_ANALYZE_S),
        ("scan worker per one-hour file", f"{work.ms_per_file:.2f} ms", f"<= {FLOOR_WORKER_MS:.0f} ms",
         work.ms_per_file <= FLOOR_WORKER_MS),
        ("no pandas in a scan worker", "no" if not work.pandas_loaded else "imported", "no", not work.pandas_loaded),
        ("crampcheck --help", f"{help_s:.3f} s", f"<= {FLOOR_HELP_S} s", help_s <= FLOOR_HELP_S),
    ]
    print(f"{'floor':34} {'measured':>10} {'wanted':>10}")
    for what, got, want, ok in rows:
        print(f"{what:34} {got:>10} {want:>10}  {_floor(ok) if want != '-' else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
