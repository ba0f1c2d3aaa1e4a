"""Write a run to a file, the format chosen by the extension (.fit, .gpx, .tcx, each optionally .gz)."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from crampcheck.synth.build import Truth, build
from crampcheck.synth.fitwrite import fit_bytes
from crampcheck.synth.gpxwrite import gpx_bytes
from crampcheck.synth.spec import RunSpec
from crampcheck.synth.tcxwrite import tcx_bytes

WRITERS: dict[str, Callable[..., bytes]] = {"fit": fit_bytes, "gpx": gpx_bytes, "tcx": tcx_bytes}
GZIP_LEVEL = 9


def format_of(path: str | Path) -> tuple[str, bool]:
    """(format, gzipped) from a file name such as ``run.fit.gz``."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    fmt = suffixes[-1].lstrip(".") if suffixes else ""
    if fmt not in WRITERS:
        raise ValueError(f"{path}: cannot tell the format (expected .fit, .gpx or .tcx, optionally .gz)")
    return fmt, gz


def to_bytes(source: RunSpec | Truth, fmt: str, gz: bool = False, **options) -> bytes:
    """The run as bytes of ``fmt`` ("fit", "gpx", "tcx"); gzip with a fixed mtime (deterministic)."""
    truth = source if isinstance(source, Truth) else build(source)
    data = WRITERS[fmt](truth, **options)
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if gz else data


def write(source: RunSpec | Truth, path: str | Path, **options) -> Truth:
    """Build (if given a spec) and write the run; returns its Truth. ``options`` go to the writer."""
    truth = source if isinstance(source, Truth) else build(source)
    fmt, gz = format_of(path)
    Path(path).write_bytes(to_bytes(truth, fmt, gz, **options))
    return truth
