"""Not part of bench.py: the same measures on two versions of crampcheck, interleaved, so that
a before/after figure is taken in the same conditions on a shared machine.

    git archive main | tar -x -C /tmp/main-src
    python benchmarks/ab.py /tmp/main-src . FIT_DIR --rounds 5

Each round runs, for A then B (their ``src`` first on PYTHONPATH, their own bench.py): the scan
worker's in-process work per file (``bench.py --time-worker`` on the first 200 files of
FIT_DIR: best of 3 passes, CPU) and ``crampcheck scan FIT_DIR`` with an empty cache (wall
time, and CPU time of the process and its workers). It prints the best of the rounds for each.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKER_FILES = 200


def _env(tree: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(tree / "src"))


def worker_ms(tree: Path, listing: Path) -> dict:
    out = subprocess.run([sys.executable, str(tree / "benchmarks" / "bench.py"), "--time-worker", str(listing)],
                         capture_output=True, text=True, env=_env(tree), check=True)
    return json.loads(out.stdout)


def scan_s(tree: Path, fit_dir: Path) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crampcheck", "scan", str(fit_dir), "--no-progress", "--format", "json",
                        "-o", os.devnull, "--cache", str(Path(tmp) / "cache.sqlite")],
                       env=_env(tree), check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("fit_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = sorted(args.fit_dir.glob("*.fit"))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(p) for p in files[:: max(len(files) // WORKER_FILES, 1)][:WORKER_FILES]))
    best: dict[str, dict[str, float]] = {"A": {}, "B": {}}
    for r in range(args.rounds):
        for name, tree in (("A", args.a), ("B", args.b)):
            w = worker_ms(tree.resolve(), Path(listing.name))
            wall, cpu = scan_s(tree.resolve(), args.fit_dir)
            got = {"worker ms": w["ms_per_file"], **{f"  {k} ms": v for k, v in w["phases_ms"].items()},
                   "scan wall s": wall, "scan CPU s": cpu}
            for key, value in got.items():
                best[name][key] = min(best[name].get(key, float("inf")), value)
            print(f"round {r + 1} {name}: worker {w['ms_per_file']:.2f} ms, scan {wall:.2f} s wall, {cpu:.2f} s CPU",
                  file=sys.stderr)
    os.unlink(listing.name)
    print(f"best of {args.rounds} rounds, {len(files)} files; A = {args.a}, B = {args.b}")
    for key in best["A"]:
        print(f"{key:32s} {best['A'][key]:9.3f} {best['B'][key]:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
