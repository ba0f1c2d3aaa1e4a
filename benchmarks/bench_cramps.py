"""The runner's own cramps: what they add to a scan and to `cramp add`, measured.

    python benchmarks/bench_cramps.py [--rows 5000] [--texts 50000]

1. the text rule (``crampnotes.read_cramp``) on runner-like texts (names, descriptions, notes);
2. ``io.notes.xml_texts`` on a one-hour GPX (the pass beside the reader);
3. ``history.cramps.own_cramps`` on a history of ``--rows`` summary rows with 40 log entries and
   a text on every row (what `scan` adds after the files are read);
4. the cramp log: entries added one transaction each (WAL), and read back.

Nothing is written outside a temp dir.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crampcheck.cramplog import CrampLog, LogEntry, read_log
from crampcheck.crampnotes import read_cramp
from crampcheck.history.cramps import own_cramps
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.io.notes import xml_texts
from crampcheck.synth import to_bytes
from crampcheck.synth.spec import RunSpec, Segment

TEXTS = (
    "Morning Run", "Easy 10K", "Long run with the club, legs heavy after 25k", "cramped at 35k, walked to 37",
    "Toller Lauf. Wadenkrampf bei km 30, dann gehen.", "no cramps today!", "Intervals 6x800 @ 3:45/km",
    "Berlin Marathon 2:59:41 - calf went at mile 20 but held on", "Sortie longue, crampe au mollet au 28e km",
    "Recovery jog", "Tempo 3x2 mi, 7:05/mi, felt great", "Hot one: 31 °C, drank 1.5 L",
)
T0 = datetime(2020, 1, 1, 7, 0, tzinfo=timezone.utc)


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _row(i: int, rng: random.Random) -> ActivitySummary:
    km = rng.choice([5, 8, 10, 12, 16, 21.1, 30, 42.2])
    start = T0 + timedelta(days=i * 0.8)
    return ActivitySummary(
        file=f"runs/{i:05d}.fit", content_hash=f"{i:064x}", format="fit", start_time_utc=start, start_time_local=start,
        sport="running", sub_sport=None, name=rng.choice(TEXTS), is_race=km in (21.1, 42.2) and rng.random() < 0.3,
        race_marked_by=None, distance_m=km * 1000, moving_time_s=km * 330, elapsed_time_s=km * 335, avg_speed_m_s=3.0,
        temperature_c_mean=15.0, heart_rate_mean_bpm=150.0, overall="low",
        finding_levels={"fast_start": "moderate"} if rng.random() < 0.2 else {},
        first_vs_last_ratio=1.0 + rng.uniform(-0.03, 0.08), texts=[["Strava description", rng.choice(TEXTS)]],
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--texts", type=int, default=50000)
    args = ap.parse_args(argv)
    rng = random.Random(14)

    for label, pool in (("no cramp word", [t for t in TEXTS if read_cramp(t) is None]),
                        ("a cramp or none", [t for t in TEXTS if read_cramp(t) is not None])):
        texts = [rng.choice(pool) for _ in range(args.texts)]
        s = best(lambda texts=texts: [read_cramp(t) for t in texts])
        print(f"text rule, {label:<16} {args.texts:>7} texts   {s:7.3f} s   {s / args.texts * 1e6:6.1f} us/text")

    gpx = to_bytes(RunSpec(segments=(Segment(duration_s=3600, speed_m_s=3.0),), name="Run"), "gpx")
    s = best(lambda: xml_texts(gpx, "gpx"), repeat=5)
    print(f"xml_texts            {len(gpx) / 1e6:>5.1f} MB GPX   {s * 1000:7.1f} ms   {len(gpx) / s / 1e6:>10,.0f} MB/s")

    rows = [_row(i, rng) for i in range(args.rows)]
    entries = [LogEntry("cramp", "x", content_hash=rows[i].content_hash[:8], at_m=20000.0, id=k + 1)
               for k, i in enumerate(rng.sample(range(args.rows), 40))]
    th = HistoryThresholds()
    s = best(lambda: own_cramps(rows, [], th, entries))
    cramps, patterns, _ = own_cramps(rows, [], th, entries)
    print(f"own_cramps           {args.rows:>7} rows    {s:7.3f} s   ({len(cramps)} cramped runs, "
          f"{patterns['comparable_free_runs']} comparable)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cramps.sqlite"
        with CrampLog(path) as log:
            laps = []
            for i in range(200):
                start = time.perf_counter()
                log.add(LogEntry("cramp", f"run{i}", run_date="2024-10-13", at_m=float(i)))
                laps.append(time.perf_counter() - start)
        s = best(lambda: read_log(path))
        print(f"cramp log add        {len(laps):>7} entries {statistics.median(laps) * 1000:7.2f} ms median per entry"
              f" (one transaction each); read back {s * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
