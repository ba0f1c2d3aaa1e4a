"""Not a benchmark: proof that a speed change changes no result.

``python benchmarks/golden.py dump OUT.json`` writes, for every file of samples/, of
../shared/data/real (when present) and of a fixed synthetic history of one-hour FIT runs
(bench.py's generator, same seed), the ``crampcheck.run/1`` dict in km and in mi, the scan
row (``history.worker.analyze_bytes``) in km and in mi, and the run's metrics at full
precision (their repr: the JSON rounds to 3 digits). ``python benchmarks/golden.py compare
BEFORE.json AFTER.json`` lists every difference and exits non-zero if there is one.
Run ``dump`` on main before a change and on the branch after it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL = REPO.parent / "shared" / "data" / "real"
SYNTHETIC_RUNS = 40  # one-hour runs from bench.py's generator


def files(synthetic_dir: Path) -> list[Path]:
    found = sorted(p for p in (REPO / "samples").iterdir() if p.suffix != ".md")
    if REAL.is_dir():
        found += sorted(p for p in REAL.rglob("*") if p.is_file() and p.parent != REAL)
    sys.path.insert(0, str(HERE))
    import bench

    found += [run.fit for run in bench.generate(SYNTHETIC_RUNS, synthetic_dir)]
    return found


def outcome(path: Path) -> dict:
    from crampcheck.errors import CrampcheckError
    from crampcheck.history import worker
    from crampcheck.io import read
    from crampcheck.pipeline import analyze
    from crampcheck.report.jsonout import run_to_dict
    from crampcheck.risk.config import Config

    data, config, out = path.read_bytes(), Config(), {}
    for units in ("km", "mi"):
        out[f"row_{units}"] = list(worker.analyze_bytes(path.name, data, units, config, "hash"))
        try:
            report = analyze(read(data, path.name), units=units, config=config)
        except CrampcheckError as exc:
            out[f"run_{units}"] = f"error: {type(exc).__name__}: {exc.message}"
            continue
        out[f"run_{units}"] = run_to_dict(report)
        out[f"metrics_{units}"] = repr(report.metrics)
    return out


def dump(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = {}
        for path in files(Path(tmp)):
            key = path.name if path.is_relative_to(Path(tmp)) else str(path.relative_to(REPO.parent if REAL in path.parents else REPO))
            result[key] = outcome(path)
    target.write_text(json.dumps(result, indent=1, sort_keys=True, default=str), encoding="utf-8")
    print(f"{len(result)} files -> {target}")


def differences(before: object, after: object, where: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        out = [f"{where}/{k}: only in one" for k in sorted(set(before) ^ set(after))]
        for k in sorted(set(before) & set(after)):
            out += differences(before[k], after[k], f"{where}/{k}")
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{where}[{i}]")]
    return [] if before == after else [f"{where}: {str(before)[:200]!r} != {str(after)[:200]!r}"]


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "dump":
        dump(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:])
        found = differences(before, after)
        for line in found[:50]:
            print(line)
        print(f"{len(before)} files, {len(found)} differences")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
