"""crampcheck judgement benchmark: do the verdicts discriminate?

Prints, in one run:

1. the real corpus (``--real``, default /work/shared/data/real): every VERDICTS.tsv check
   on every file, for ``--units km`` and ``--units mi`` — checks held, false positives
   (``not:`` checks that fail), misses (``FACTOR>=moderate`` / ``overall>=moderate`` that
   fail), other checks (sport, distance, times, race, warnings), the failing checks, the
   share of runs HIGH overall, and files whose findings differ between units;
2. a generated year of ordinary training (``crampcheck.synth.year``, ``--seed``), analyzed
   in memory as FIT with the built-in defaults and with ``past_cramps = true``: the share
   of runs HIGH / MODERATE / LOW overall and the factors at the top level in the HIGH runs.

Goals (printed with ok / MISSED): real corpus <= 1/4 HIGH; the year <= 1/10 HIGH without
past cramps and <= 1/4 with. The built-in thresholds are used, never the user's config file.
Usage::

    python benchmarks/judgement.py
    python benchmarks/judgement.py --seed 3 --real /path/to/real
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.judgement.verdicts: the oracle test's parser

from crampcheck import io
from crampcheck.errors import CrampcheckError
from crampcheck.pipeline import analyze, load
from crampcheck.report.jsonout import run_to_dict
from crampcheck.risk.config import Config
from crampcheck.synth.files import to_bytes
from crampcheck.synth.year import RUN_KINDS, training_year
from tests.judgement import verdicts

REAL_DIR = Path("/work/shared/data/real")
UNITS = ("km", "mi")
GOAL_REAL_HIGH = 0.25
GOAL_YEAR_HIGH = 0.10
GOAL_YEAR_HIGH_PAST_CRAMPS = 0.25
LEVELS = ("high", "moderate", "low")
TOP_LEVELS = {"high", "very high"}


def check_kind(check_text: str) -> str:
    """'false positive' guard, 'miss' guard, or 'other' (sport, distance, times, race, warnings)."""
    if check_text.startswith("not:") or check_text == "overall<=moderate":
        return "not"
    if check_text.endswith(">=moderate"):
        return "at_least"
    return "other"


def levels_of(report: dict) -> dict[str, str]:
    """Factor id -> level, plus the overall level: what must not change with the units."""
    return {**{f["id"]: f["level"] for f in report["findings"]}, "overall": report["scores"]["overall"]}


def top_factors(report: dict) -> list[str]:
    """Factors at the top level (high, or very high for history factors) in one report."""
    return [f["id"] for f in report["findings"] if f["level"] in TOP_LEVELS]


def share(n: int, total: int) -> str:
    return f"{n}/{total} ({100.0 * n / total:.1f} %)" if total else "0/0"


def goal(value: float, limit: float) -> str:
    return "ok" if value <= limit else "MISSED"


def real_corpus(real_dir: Path, say) -> None:
    rows = verdicts.load(real_dir)
    if not rows:
        print(f"real corpus: no {real_dir / 'VERDICTS.tsv'}, skipped\n")
        return
    config = Config()
    by_units: dict[str, dict[str, dict | str]] = {u: {} for u in UNITS}
    for row in rows:
        say(f"  {row.file}")
        try:
            activity = load(real_dir / row.file)
        except CrampcheckError as exc:
            for u in UNITS:
                by_units[u][row.file] = f"unreadable: {exc}"
            continue
        for u in UNITS:
            try:
                by_units[u][row.file] = run_to_dict(analyze(activity, units=u, config=config))
            except CrampcheckError as exc:
                by_units[u][row.file] = f"not analyzed: {exc}"

    print(f"== real corpus: {len(rows)} files of {real_dir / 'VERDICTS.tsv'}, "
          f"{sum(len(r.checks) for r in rows)} checks ==")
    for u in UNITS:
        held, total = Counter(), Counter()
        failures, high = [], 0
        for row in rows:
            report = by_units[u][row.file]
            if isinstance(report, dict) and report["scores"]["overall"] == "high":
                high += 1
            for c in row.checks:
                kind = check_kind(c)
                total[kind] += 1
                ok, said = verdicts.check(report, c) if isinstance(report, dict) else (False, report)
                held[kind] += ok
                if not ok:
                    failures.append((row.file, c, said))
        all_held, all_total = sum(held.values()), sum(total.values())
        print(f"\n--units {u}: {all_held}/{all_total} checks hold")
        print(f"  false positives (not: checks failing)    {total['not'] - held['not']:3d} of {total['not']}")
        print(f"  misses (>=moderate checks failing)       {total['at_least'] - held['at_least']:3d} of {total['at_least']}")
        print(f"  other checks failing (sport, distance..) {total['other'] - held['other']:3d} of {total['other']}")
        print(f"  HIGH overall: {share(high, len(rows))}  goal <= {GOAL_REAL_HIGH:.0%}: {goal(high / len(rows), GOAL_REAL_HIGH)}")
        if failures:
            width = max(len(f) for f, _, _ in failures)
            print("  failing checks:")
            for file, c, said in failures:
                print(f"    {file:<{width}}  {c:<30}  crampcheck: {said}")
    differ = []
    for row in rows:
        a, b = (by_units[u][row.file] for u in UNITS)
        if isinstance(a, dict) and isinstance(b, dict) and levels_of(a) != levels_of(b):
            la, lb = levels_of(a), levels_of(b)
            diff = ", ".join(f"{k} {la.get(k, 'absent')}/{lb.get(k, 'absent')}" for k in sorted(la.keys() | lb.keys())
                             if la.get(k) != lb.get(k))
            differ.append(f"    {row.file}: {diff}  (km/mi)")
    print(f"\nfiles whose findings differ between km and mi: {len(differ)}")
    print("\n".join(differ))
    print()


def generated_year(seed: int, say) -> None:
    plan = training_year(seed)
    configs = {"default": Config(), "past_cramps = true": Config().with_profile(past_cramps=True)}
    overall: dict[str, Counter] = {name: Counter() for name in configs}
    drivers: dict[str, Counter] = {name: Counter() for name in configs}
    high_by_kind: dict[str, Counter] = {name: Counter() for name in configs}
    t0 = time.perf_counter()
    for i, run in enumerate(plan):
        if i % 50 == 0:
            say(f"  year: run {i + 1}/{len(plan)}")
        activity = io.read(to_bytes(run.spec, "fit"), f"year_{i:03d}.fit")
        for name, config in configs.items():
            report = run_to_dict(analyze(activity, units="km", config=config))
            level = report["scores"]["overall"]
            overall[name][level] += 1
            if level == "high":
                high_by_kind[name][run.kind] += 1
                drivers[name].update(top_factors(report))
    elapsed = time.perf_counter() - t0
    kinds = Counter(r.kind for r in plan)
    hours = sum(s.duration_s for r in plan for s in r.spec.segments) / 3600
    print(f"== generated year (seed {seed}): {len(plan)} runs, {hours:.0f} h, "
          + ", ".join(f"{k} {kinds[k]}" for k in RUN_KINDS) + f"; written, read and analyzed twice in {elapsed:.1f} s ==")
    n = len(plan)
    for name, limit in zip(configs, (GOAL_YEAR_HIGH, GOAL_YEAR_HIGH_PAST_CRAMPS)):
        c = overall[name]
        print(f"\n{name}: " + "  ".join(f"{lv.upper()} {share(c[lv], n)}" for lv in LEVELS)
              + f"   goal HIGH <= {limit:.0%}: {goal(c['high'] / n, limit)}")
        print("  HIGH runs by kind: " + (", ".join(f"{k} {high_by_kind[name][k]}/{kinds[k]}" for k in RUN_KINDS
                                                  if high_by_kind[name][k]) or "none"))
        if drivers[name]:
            print(f"  {'factor at the top level':<28} runs")
            for factor, count in drivers[name].most_common():
                print(f"  {factor:<28} {count:4d}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=REAL_DIR, help=f"real corpus folder with VERDICTS.tsv (default {REAL_DIR})")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated year (default 0)")
    ap.add_argument("--skip-real", action="store_true", help="only the generated year")
    ap.add_argument("--skip-year", action="store_true", help="only the real corpus")
    args = ap.parse_args(argv)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if not args.skip_real:
        real_corpus(args.real, say)
    if not args.skip_year:
        generated_year(args.seed, say)
    return 0


if __name__ == "__main__":
    sys.exit(main())
