"""FIT decoders, head to head: crampcheck's fitfast vs fitparse, fitdecode, pyfitparsernative
and garmin-fit-sdk, on the same files in one run.

Two sets of files:
- real: the ``--files`` files of ../shared/data/real/fit whose record count is closest to a
  one-hour run (3600 records);
- synthetic: ``--files`` one-hour runs written by ``crampcheck.synth`` (1 Hz, with laps and
  pauses; some big-endian, with compressed timestamps or developer fields), if available.

Each decoder reads every file completely (all values materialized); the time per file is
the best of ``--repeat`` runs (``--slow-repeat`` for the pure-Python decoders). fitfast's
output is also checked against fitparse's, value for value. Usage::

    python benchmarks/bench_fit_decode.py               # 5 real + 5 synthetic files
    python benchmarks/bench_fit_decode.py --files 10 --repeat 5
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_FIT_DIR = PROJECT_ROOT.parent / "shared" / "data" / "real" / "fit"
ONE_HOUR_RECORDS = 3600
ONE_HOUR_S = 3600


# --- the decoders, each reading a whole file and materializing every value --------------
def decode_fitfast(data: bytes) -> object:
    from crampcheck.io import fitfast

    return fitfast.decode(data)


def decode_fitparse(data: bytes) -> object:
    from crampcheck.io import fitref

    return fitref.decode(data)


def decode_fitdecode(data: bytes) -> object:
    import fitdecode

    values = []
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                values.append({field.name: field.value for field in frame.fields})
    return values


def decode_pyfitparsernative(data: bytes) -> object:
    import pyfitparsernative

    return pyfitparsernative.parse_fit_bytes(data)


def decode_garmin_sdk(data: bytes) -> object:
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise RuntimeError(errors[0])
    return messages


DECODERS: dict[str, Callable[[bytes], object]] = {
    "fitfast (crampcheck)": decode_fitfast,
    "pyfitparsernative": decode_pyfitparsernative,
    "fitdecode": decode_fitdecode,
    "garmin-fit-sdk": decode_garmin_sdk,
    "fitparse (fitref)": decode_fitparse,
}
SLOW = {"fitdecode", "garmin-fit-sdk", "fitparse (fitref)"}
REFERENCE = "fitparse (fitref)"


# --- the files --------------------------------------------------------------------------
def real_files(count: int) -> list[tuple[str, bytes]]:
    """The ``count`` real FIT files closest to one hour of 1-s records."""
    if not REAL_FIT_DIR.is_dir():
        return []
    from crampcheck.io import fitfast

    found = []
    for path in sorted(REAL_FIT_DIR.iterdir()):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        try:
            n = fitfast.decode(data).n_records
        except Exception:  # fitparse-unreadable or odd files are left out of the comparison
            continue
        found.append((abs(n - ONE_HOUR_RECORDS), path.name, data))
    found.sort()
    return [(name, data) for _, name, data in found[:count]]


def synthetic_files(count: int) -> list[tuple[str, bytes]]:
    """``count`` one-hour runs from crampcheck.synth, cycling through writer options."""
    try:
        from crampcheck.synth import build, fit_bytes, scenarios
    except ImportError:
        return []
    variants = [
        {}, {"compressed_timestamps": True}, {"developer_fields": True}, {"big_endian": True},
        {"speed_field": "plain", "altitude_field": "plain"},
    ]
    files = []
    for i in range(count):
        speed_m_s = 2.6 + 0.1 * i
        truth = build(scenarios.with_pauses(ONE_HOUR_S, speed_m_s))
        options = variants[i % len(variants)]
        label = ",".join(f"{k}={v}" for k, v in options.items()) or "default"
        files.append((f"synth_{i}[{label}]", fit_bytes(truth, **options)))
    return files


# --- timing -------------------------------------------------------------------------------
def best_time_s(decode: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        decode(data)
        best = min(best, time.perf_counter() - start)
    return best


def same_as_reference(data: bytes) -> bool:
    """fitfast gives exactly fitparse's values (NaN == NaN, same message dicts)."""
    fast, ref = decode_fitfast(data), decode_fitparse(data)
    return (
        all(np.array_equal(fast.records[k], ref.records[k], equal_nan=True) for k in ref.records)
        and fast.messages == ref.messages
        and fast.developer_fields == ref.developer_fields
    )


def run_set(title: str, files: list[tuple[str, bytes]], repeat: int, slow_repeat: int) -> None:
    if not files:
        print(f"\n{title}: no files (skipped)")
        return
    from crampcheck.io import fitfast

    records = [fitfast.decode(data).n_records for _, data in files]
    megabytes = sum(len(data) for _, data in files) / 1e6
    print(f"\n{title}: {len(files)} files, {sum(records)} records, {megabytes:.1f} MB")
    for (name, _), n in zip(files, records):
        print(f"  {name} ({n} records)")
    totals: dict[str, float] = {}
    for label, decode in DECODERS.items():
        try:
            totals[label] = sum(
                best_time_s(decode, data, slow_repeat if label in SLOW else repeat) for _, data in files
            )
        except Exception as exc:  # a decoder that cannot read a file is reported, not fatal
            print(f"  {label}: failed ({type(exc).__name__}: {exc})")
    reference = totals.get(REFERENCE)
    print(f"  {'decoder':22s} {'ms/file':>9s} {'files/s':>9s} {'records/s':>11s} {'vs fitparse':>12s}")
    for label, total in totals.items():
        ratio = f"{reference / total:9.1f} x" if reference else "-"
        print(
            f"  {label:22s} {1000 * total / len(files):9.2f} {len(files) / total:9.1f}"
            f" {sum(records) / total:11.0f} {ratio:>12s}"
        )
    identical = all(same_as_reference(data) for _, data in files)
    print(f"  fitfast output identical to fitparse on every file: {'yes' if identical else 'NO'}")
    peek_s = sum(best_time_s(fitfast.peek_file_type, data, repeat) for _, data in files)
    print(f"  fitfast.peek_file_type: {1e6 * peek_s / len(files):.1f} us/file")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=5, help="files per set (default 5)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per file for fast decoders (best kept)")
    parser.add_argument("--slow-repeat", type=int, default=1, help="runs per file for pure-Python decoders")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, load average {load:.2f}")
    run_set("Real files (closest to one hour)", real_files(args.files), args.repeat, args.slow_repeat)
    run_set("Synthetic one-hour runs (crampcheck.synth)", synthetic_files(args.files), args.repeat, args.slow_repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
