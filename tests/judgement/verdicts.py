"""VERDICTS.tsv (../shared/data/real, format in VERDICTS.md): an expert's reading of each real
running file as checks. This module parses the table and evaluates one ``crampcheck.run/1``
dict against a row's checks; the oracle test and ``benchmarks/judgement.py`` share it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AT_LEAST_MODERATE = {"moderate", "high"}


@dataclass(frozen=True)
class Verdict:
    file: str
    shape: str
    checks: tuple[str, ...]
    rationale: str


def load(real_dir: Path) -> list[Verdict]:
    table = real_dir / "VERDICTS.tsv"
    if not table.is_file():
        return []
    with table.open(newline="", encoding="utf-8") as fh:
        return [
            Verdict(row["file"], row["shape"], tuple(c.strip() for c in row["checks"].split(";") if c.strip()),
                    row["rationale"])
            for row in csv.DictReader(fh, delimiter="\t")
        ]


def _levels(report: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["level"] for f in report["findings"]}


def check(report: dict[str, Any], check_text: str) -> tuple[bool, str]:
    """(holds, what crampcheck said) for one check on one report."""
    summary = report["summary"]
    levels = _levels(report)
    if m := re.fullmatch(r"overall(<=|>=)moderate", check_text):
        overall = report["scores"]["overall"]
        holds = overall != "high" if m.group(1) == "<=" else overall in AT_LEAST_MODERATE
        return holds, f"overall {overall}"
    if m := re.fullmatch(r"(not:)?(\w+)>=moderate", check_text):
        level = levels.get(m.group(2), "absent")
        shown = level in AT_LEAST_MODERATE
        return shown != bool(m.group(1)), f"{m.group(2)} {level}"
    if m := re.fullmatch(r"(distance_m|moving_s|elapsed_s)=([\d.]+)±([\d.]+)(%?)", check_text):
        key = {"distance_m": "distance_m", "moving_s": "moving_time_s", "elapsed_s": "elapsed_time_s"}[m.group(1)]
        value, target, tol = summary[key], float(m.group(2)), float(m.group(3))
        allowed = target * tol / 100 if m.group(4) else tol
        return value is not None and abs(value - target) <= allowed, f"{m.group(1)} {value}"
    if m := re.fullmatch(r"sport=(\w+)", check_text):
        return report["sport"] == m.group(1), f"sport {report['sport']}"
    if m := re.fullmatch(r"race=(yes|no)", check_text):
        return report["is_race"] == (m.group(1) == "yes"), f"race {report['is_race']}"
    if check_text == "data_warning=yes":
        warnings = report.get("data_warnings") or []
        return bool(warnings), f"data warnings {[w['id'] for w in warnings]}"
    raise ValueError(f"unknown VERDICTS check {check_text!r}")
