"""GPX (and TCX) reading speed: crampcheck's ``read_gpx`` against ``gpxpy.parse``.

The fair baseline is ``gpxpy.parse`` alone (no length or duration work), while crampcheck's
time is the whole ``read_gpx``: safe parse, extraction, UTC times, spike filter, distance,
speed, smoothed altitude and the records DataFrame. Two sets of files:

- real: every GPX file of ../shared/data/real/gpx that holds track points;
- synthetic: ``--files`` one-hour runs (3600 points at 1 Hz, hr / cadence / temperature
  extensions) written by ``crampcheck.synth`` in several flavours (TPX v1 or v2, odd
  prefix, offsets instead of Z, segments split at pauses).

Files are timed interleaved (gpxpy, then crampcheck, per repetition) and each time is the
best of ``--repeat`` runs, which keeps the ratio fair on a busy machine. TCX is timed on
the same synthetic runs written as TCX (there is no TCX reference parser to compare with).
Usage::

    python benchmarks/bench_gpx.py                 # 4 synthetic files, 5 repeats
    python benchmarks/bench_gpx.py --files 8 --repeat 9
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_GPX_DIR = PROJECT_ROOT.parent / "shared" / "data" / "real" / "gpx"
ONE_HOUR_M = 12_000.0  # at 3.33 m/s: a one-hour run
ONE_HOUR_SPEED_M_S = 3.33


def best_time_s(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def synthetic_files(count: int) -> list[tuple[str, bytes, bytes]]:
    """(label, GPX bytes, TCX bytes) of ``count`` one-hour runs in varied flavours."""
    from crampcheck.synth import GpxOptions, TcxOptions, build, gpx_bytes, scenarios, tcx_bytes

    flavours = [
        ("tpx v1", GpxOptions()),
        ("tpx v2 ns3", GpxOptions(extension="v2", prefix="ns3")),
        ("local offsets", GpxOptions(local_time=True)),
        ("no extensions", GpxOptions(extension=None)),
    ]
    out = []
    for i in range(count):
        label, options = flavours[i % len(flavours)]
        truth = build(scenarios.even_pace(ONE_HOUR_M, ONE_HOUR_SPEED_M_S, heading_deg=90.0 + 10.0 * i))
        out.append((f"synthetic {i} ({label})", gpx_bytes(truth, options), tcx_bytes(truth, TcxOptions())))
    return out


def real_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of the real GPX files that hold track points."""
    if not REAL_GPX_DIR.is_dir():
        return []
    return [(p.name, p.read_bytes()) for p in sorted(REAL_GPX_DIR.glob("*.gpx")) if b"trkpt" in p.read_bytes()]


def compare(files: list[tuple[str, bytes]], repeat: int) -> tuple[float, float]:
    """Print one line per file; return the total best times (gpxpy, crampcheck) in seconds."""
    import gpxpy

    from crampcheck.io.gpx import read_gpx

    total_ref = total_ours = 0.0
    for name, data in files:
        text = data.decode("utf-8")
        ref = ours = float("inf")
        for _ in range(repeat):  # interleaved: both see the same machine load
            ref = min(ref, best_time_s(lambda text=text: gpxpy.parse(text), 1))
            ours = min(ours, best_time_s(lambda data=data, name=name: read_gpx(data, name), 1))
        total_ref += ref
        total_ours += ours
        print(f"  {name:44s} gpxpy {ref * 1e3:8.1f} ms   read_gpx {ours * 1e3:7.1f} ms   x{ref / ours:5.1f}")
    return total_ref, total_ours


def summary(label: str, count: int, total_ref: float, total_ours: float) -> None:
    print(
        f"{label}: {count} files   gpxpy {count / total_ref:7.1f} files/s   "
        f"read_gpx {count / total_ours:7.1f} files/s   ratio x{total_ref / total_ours:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4, help="synthetic one-hour files (default 4)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per file, best kept (default 5)")
    args = parser.parse_args(argv)

    from crampcheck.io.tcx import read_tcx

    real = real_files()
    if real:
        print(f"real GPX files ({REAL_GPX_DIR})")
        summary("real", len(real), *compare(real, args.repeat))
    else:
        print(f"no real files at {REAL_GPX_DIR}: skipped")
    synthetic = synthetic_files(args.files)
    print("synthetic one-hour runs (3600 points)")
    summary("synthetic one-hour", len(synthetic), *compare([(n, g) for n, g, _ in synthetic], args.repeat))
    tcx_s = sum(best_time_s(lambda t=t, n=n: read_tcx(t, n), args.repeat) for n, _, t in synthetic)
    per_file_ms = tcx_s / len(synthetic) * 1e3
    print(f"TCX, same runs: read_tcx {len(synthetic) / tcx_s:7.1f} files/s ({per_file_ms:.1f} ms/file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
