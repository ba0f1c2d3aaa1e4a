"""Which risk factors a data fault leaves unjudged: the fault's id -> the factors it would decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from crampcheck.metrics.model import DataWarning

PACING = ("fast_start", "positive_split", "no_warmup", "no_cooldown", "surges", "hr_drift")
RUN_END = ("fast_start", "positive_split", "no_cooldown", "hr_drift", "long_run", "long_hot_run")

# Faults not listed (out_of_range, duplicate_timestamps, clock_jump, relative_timestamps) are
# taken out before any statistic and leave every factor judgeable.
AFFECTED: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "record_gap": RUN_END,  # only one side of the gap is measured: where the run ended is unknown
    "sparse_distance": PACING,  # pace between the records with distance is interpolated
    "time_backwards": PACING,  # the order of the records, hence the pace, is in doubt
    "impossible_speed": ("surges",),  # the faulty stretch reads as a stop, not as a speed-up
    "moving_time_mismatch": ("long_run", "long_hot_run"),  # the duration itself is in doubt
})


def unjudged(warnings: Sequence[DataWarning]) -> dict[str, str]:
    """factor id -> why it is not judged, for every factor a data warning decides."""
    out: dict[str, str] = {}
    for w in warnings:
        for factor in AFFECTED.get(w.id, ()):
            out.setdefault(factor, f"not judged on faulty data ({w.id.replace('_', ' ')}; see Data checks)")
    return out
