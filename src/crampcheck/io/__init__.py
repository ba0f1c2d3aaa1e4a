"""Readers: bytes -> Activity, whatever the format (FIT, GPX, TCX, gzip).

``read(data, source)`` is the one entry point: it gunzips when the content is gzip
(whatever the file name says), detects the format from the content (``detect.sniff``) and
hands the bytes to ``fit.read_fit``, ``gpx.read_gpx`` or ``tcx.read_tcx``.
``read_path(path)`` reads a file from disk first.

``decoder`` picks the parser:

=====================  ==========================  ======================================
decoder                FIT                         GPX / TCX
=====================  ==========================  ======================================
"auto" (default)       fast, fitparse on refusal   lxml (fast, safe)
"fast"                 fast decoder only           lxml
"fitparse"/"reference" fitparse                    GPX: gpxpy; TCX: lxml (its only reader)
=====================  ==========================  ======================================

The format readers are imported inside the functions, so ``import crampcheck.io`` stays
cheap (no pandas, lxml or fitparse) for the command line's start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crampcheck.errors import ConfigError, UnreadableFileError
from crampcheck.files import read_regular
from crampcheck.io.detect import decompress, sniff

if TYPE_CHECKING:
    from crampcheck.schema import Activity

DECODERS = ("auto", "fast", "fitparse", "reference")
_REFERENCE = frozenset({"fitparse", "reference"})
MAX_FILE_BYTES = 256 * 1024 * 1024  # one activity file on disk (a day-long FIT is a few MB)

__all__ = ["DECODERS", "decompress", "read", "read_path", "sniff"]


def read(data: bytes, source: str, decoder: str = "auto") -> Activity:
    """The Activity in ``data`` (the bytes of a FIT, GPX or TCX file, gzipped or not).

    ``source`` names the file in messages and in ``Activity.source``. Raises
    UnreadableFileError, NoActivityDataError, NotAnActivityError, or ConfigError for an
    unknown ``decoder``.
    """
    if decoder not in DECODERS:
        raise ConfigError(f"unknown decoder {decoder!r} (choose from {', '.join(DECODERS)})", source)
    data = decompress(data, source)
    kind = sniff(data, source)
    if kind == "fit":
        from crampcheck.io.fit import read_fit

        return read_fit(data, source, "fitparse" if decoder in _REFERENCE else decoder)
    from crampcheck.io.notes import xml_texts

    if kind == "gpx":
        from crampcheck.io.gpx import read_gpx

        activity = read_gpx(data, source, "gpxpy" if decoder in _REFERENCE else "lxml")
        activity.texts = [t for t in xml_texts(data, "gpx") if t[1] != activity.name]
        return activity
    from crampcheck.io.tcx import read_tcx

    activity = read_tcx(data, source)
    activity.texts = [t for t in xml_texts(data, "tcx") if t[1] != activity.name]  # TCX Notes often hold the name
    if decoder in _REFERENCE:
        activity.notes.append("TCX has one reader (safe lxml): the reference decoder applies to FIT and GPX only")
    return activity


def read_path(path: str | Path, decoder: str = "auto") -> Activity:
    """Read the activity file at ``path`` (see ``read``); a bad path is an UnreadableFileError."""
    source = str(path)
    if Path(path).is_dir():
        raise UnreadableFileError("is a directory, not an activity file", source)
    data = read_regular(path, MAX_FILE_BYTES, label=source)  # a FIFO or device is refused, never read
    return read(data, source, decoder)
