"""What reading the air costs: FIT decoding with and without the air developer fields and
weather reports, and ``metrics.air`` on a long run's series.

Run: ``python benchmarks/bench_air.py`` (the real files under ../shared/data/real/fit are timed
when present; the synthetic runs always are). Medians of repeated runs, milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from crampcheck.io import fitfast
from crampcheck.metrics.air import AirSettings, air_stats
from crampcheck.schema import AirReading
from crampcheck.synth.build import build
from crampcheck.synth.fitwrite import fit_bytes
from crampcheck.synth.spec import RunSpec, Segment

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real" / "fit"
REAL_FILES = ("garmin_fenix6_run_core_temp_devfields.fit", "garmin_edge810_ride_6h_hot39C.fit", "garmin_fr920xt_long_run_30.6km.fit")
REPEATS = 15


def median_ms(func, repeats: int = REPEATS) -> float:
    func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def main() -> None:
    spec = RunSpec(segments=(Segment(duration_s=3 * 3600, speed_m_s=3.0),), temperature_c=24.0,
                   start_time_utc=datetime(2024, 7, 1, 8, tzinfo=timezone.utc))
    truth = build(spec)
    plain, with_air = fit_bytes(truth), fit_bytes(truth, developer_fields=True, weather_temperature_c=24, weather_humidity_pct=60)
    print(f"synthetic 3-h run, 1 Hz ({len(truth.records)} records)")
    print(f"  fitfast.decode, no developer fields or weather       {median_ms(lambda: fitfast.decode(plain)):8.2f} ms")
    print(f"  fitfast.decode, a developer field and a weather report {median_ms(lambda: fitfast.decode(with_air)):6.2f} ms")
    n = len(truth.records)
    times = np.arange(n, dtype=float)
    rng = np.random.default_rng(0)
    pod = AirReading("sensor", "pod", times_unix_s=times, temperature_series_c=24 + rng.normal(0, 0.5, n),
                     humidity_series_pct=60 + rng.normal(0, 2, n))
    wrist = (times, 27 + rng.normal(0, 1, n), np.ones(n, dtype=bool), "watch sensor")
    print(f"  metrics.air.air_stats (pod series + wrist series)     {median_ms(lambda: air_stats([pod], 0.0, wrist, settings=AirSettings())):8.2f} ms")
    for name in REAL_FILES:
        path = REAL / name
        if path.is_file():
            data = path.read_bytes()
            print(f"real {name:46s} fitfast.decode {median_ms(lambda data=data: fitfast.decode(data)):7.2f} ms")
        else:
            print(f"real {name}: absent", file=sys.stderr)


if __name__ == "__main__":
    main()
