"""Synthetic runs with known truth, written as FIT, GPX and TCX: crampcheck's test oracle.

>>> from crampcheck.synth import scenarios, build, write
>>> truth = write(scenarios.fast_start(5000, 3.2, faster_pct=8), "run.fit")  # doctest: +SKIP
>>> truth.mile_splits[0].moving_s  # doctest: +SKIP

``RunSpec``/``Segment`` describe a run, ``build`` samples it into a ``Truth`` (records in
crampcheck's canonical schema + exact totals, splits, surges, pauses...), ``fit_bytes`` /
``gpx_bytes`` / ``tcx_bytes`` encode it, ``write`` picks the writer from the file name.
"""

from crampcheck.synth import scenarios
from crampcheck.synth.build import Interval, Mark, SplitTruth, SurgeTruth, Truth, build
from crampcheck.synth.compare import FORMAT_TOLERANCE, record_mismatches
from crampcheck.synth.files import format_of, to_bytes, write
from crampcheck.synth.fitwrite import FitOptions, fit_bytes
from crampcheck.synth.gpxwrite import GpxOptions, gpx_bytes
from crampcheck.synth.laps import SynthLap, auto_laps
from crampcheck.synth.spec import KM_M, MILE_M, RunSpec, Segment, resolve
from crampcheck.synth.tcxwrite import TcxOptions, tcx_bytes

__all__ = [
    "FORMAT_TOLERANCE", "KM_M", "MILE_M", "FitOptions", "GpxOptions", "Interval", "Mark", "RunSpec", "Segment", "SplitTruth",
    "SurgeTruth", "SynthLap", "TcxOptions", "Truth", "auto_laps", "build", "fit_bytes", "format_of",
    "gpx_bytes", "record_mismatches", "resolve", "scenarios", "tcx_bytes", "to_bytes", "write",
]
