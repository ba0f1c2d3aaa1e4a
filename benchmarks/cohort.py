"""A generated cohort through `crampcheck team`: the local process pool against a Dask LocalCluster.

    python benchmarks/cohort.py                          # 20 athletes x 100 runs (2,000 FIT files)
    python benchmarks/cohort.py --athletes 50 --runs 200 # the issue's full cohort (10,000 files; ~10 min to generate)
    python benchmarks/cohort.py --workdir /tmp/cohort    # keep the files (and reuse them on the next call)

Each athlete is a generated training year (``crampcheck.synth.year.training_year(seed)``, 1 Hz
records, 30-150 min runs), cut to its first ``--runs`` runs, one folder per athlete. The two
engines run the same command on the same files, as whole processes, no cache:

    crampcheck team COHORT --no-cache --no-progress --format json -o OUT --jobs W [--engine dask]

Reported per engine: wall time and files/s (process start to exit: imports, cluster start-up,
every file read and analyzed, every athlete's history, the JSON written), the peak RSS of the
main process and of the largest worker process (sampled every 50 ms from /proc), and the two
JSON outputs compared byte for byte. The engine's overhead is the Dask run's extra wall time
over the pool's, and the cluster's own start-up (``DaskEngine.start`` + ``close`` on an empty
cluster, timed in this process). Engines alternate over ``--repeat`` rounds; the best wall
time of each is kept (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench import _descendants, bytecode_env, crampcheck_cmd

POLL_S = 0.05
MIB = 1024 * 1024


def _write_athlete(job: tuple[Path, int, int]) -> int:
    """One athlete's folder: the first ``runs`` runs of the training year of seed ``seed``."""
    from crampcheck.synth.build import build
    from crampcheck.synth.fitwrite import fit_bytes
    from crampcheck.synth.year import training_year

    folder, seed, runs = job
    folder.mkdir(parents=True, exist_ok=True)
    plan = training_year(seed=seed)[:runs]
    for i, run in enumerate(plan):
        path = folder / f"{i:03d}_{run.kind}.fit"
        if not path.exists():
            path.write_bytes(fit_bytes(build(run.spec)))
    return len(plan)


def generate(root: Path, athletes: int, runs: int, jobs: int) -> int:
    jobs_list = [(root / f"athlete_{a:03d}", 1000 + a, runs) for a in range(athletes)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(_write_athlete, jobs_list))


def run_tree(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Run ``cmd``; (wall seconds, peak RSS of the main process, peak RSS of its largest descendant)."""
    page = os.sysconf("SC_PAGE_SIZE")
    peaks: dict[int, int] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for pid in _descendants(proc.pid):
                try:
                    with open(f"/proc/{pid}/statm") as fh:
                        rss = int(fh.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    continue
                peaks[pid] = max(peaks.get(pid, 0), rss)
            stop.wait(POLL_S)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stderr = proc.stderr.read()
    proc.wait()
    seconds = time.perf_counter() - start
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode(errors='replace')}")
    main = peaks.pop(proc.pid, 0)
    return seconds, main, max(peaks.values(), default=0)


def cluster_startup(workers: int) -> float:
    from crampcheck.history.dask_engine import DaskEngine

    start = time.perf_counter()
    engine = DaskEngine(workers=workers)
    engine.start()
    engine.close()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=20)
    ap.add_argument("--runs", type=int, default=100, help="runs per athlete (at most a year's, about 250)")
    ap.add_argument("--workers", type=int, default=2, help="pool processes and Dask workers")
    ap.add_argument("--repeat", type=int, default=2, help="rounds (engines alternate); best wall time kept")
    ap.add_argument("--workdir", type=Path, help="keep the cohort here (default: a temp dir, removed at the end)")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="crampcheck-cohort-"))
    try:
        cohort = workdir / "cohort"
        print(f"generating {args.athletes} athletes x {args.runs} runs in {cohort} ...", file=sys.stderr)
        t0 = time.perf_counter()
        files = generate(cohort, args.athletes, args.runs, os.cpu_count() or 1)
        size = sum(p.stat().st_size for p in cohort.rglob("*.fit"))
        print(f"  {files} files, {size / MIB:.0f} MB, {time.perf_counter() - t0:.0f} s (not timed below)", file=sys.stderr)
        env = bytecode_env(workdir / "pycache")
        base = crampcheck_cmd() + ["team", str(cohort), "--no-cache", "--no-progress", "--format", "json",
                                   "--jobs", str(args.workers)]
        engines = {"local pool": [], "dask LocalCluster": ["--engine", "dask"]}
        outputs = {name: workdir / f"{name.split()[0]}.json" for name in engines}
        subprocess.run(crampcheck_cmd() + ["--help"], env=env, stdout=subprocess.DEVNULL, check=True)  # bytecode cache
        best: dict[str, tuple[float, int, int]] = {}
        for round_ in range(args.repeat):
            for name, extra in engines.items():
                result = run_tree(base + extra + ["-o", str(outputs[name])], env)
                print(f"  round {round_ + 1} {name}: {result[0]:.1f} s", file=sys.stderr)
                if name not in best or result[0] < best[name][0]:
                    best[name] = result
        same = outputs["local pool"].read_bytes() == outputs["dask LocalCluster"].read_bytes()
        startup = cluster_startup(args.workers)
        pool_fps = files / best["local pool"][0]
        print(f"\ncohort: {args.athletes} athletes x {args.runs} runs = {files} FIT files ({size / MIB:.0f} MB, 1 Hz records); "
              f"{args.workers} workers; {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
              f"Python {platform.python_version()}; best of {args.repeat}\n")
        print("| engine | wall | files/s | vs pool | peak RSS main | peak RSS largest worker |")
        print("|---|---|---|---|---|---|")
        for name in engines:
            seconds, main_rss, worker_rss = best[name]
            fps = files / seconds
            print(f"| {name} | {seconds:.1f} s | {fps:.1f} | {fps / pool_fps * 100:.0f} % | {main_rss / MIB:.0f} MB | "
                  f"{worker_rss / MIB:.0f} MB |")
        overhead = best["dask LocalCluster"][0] - best["local pool"][0]
        print(f"\nDask engine overhead: {overhead:+.1f} s over the pool's wall time; cluster start-up alone "
              f"({args.workers} workers, imports, warm-up, shut-down): {startup:.1f} s")
        print(f"same JSON from both engines: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
