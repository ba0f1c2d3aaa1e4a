"""The ``crampcheck.run/1`` JSON contract: a RunReport as a plain dict.

Later versions may add fields; existing fields are never renamed or removed.
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import datetime
from typing import Any

from crampcheck.metrics.air import HEAT_INDEX_NAME
from crampcheck.pipeline import RunReport
from crampcheck.safetext import json_text

RUN_SCHEMA = "crampcheck.run/1"


def clean(value: Any, digits: int = 3) -> Any:
    """JSON-ready copy: floats rounded, NaN/inf -> None, datetimes ISO 8601, dataclasses -> dicts."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return round(value, digits) if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: clean(getattr(value, f.name), digits) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): clean(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v, digits) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return clean(value.item(), digits)
    return str(value)


def _utc_iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt is not None else None


def run_to_dict(report: RunReport, cramps: list[dict[str, Any]] | None = None, past_cramps_reason: str | None = None) -> dict[str, Any]:
    """The whole run report as the ``crampcheck.run/1`` dict; ``cramps``: the runner's cramps in
    this run (``history.cramps.run_cramps``), logged or found in the runner's text;
    ``past_cramps_reason``: why past_cramps is on when the cramp log turned it on."""
    a, m, s = report.activity, report.metrics, report.assessment
    temperature = (
        {"min": m.temperature.min_c, "mean": m.temperature.mean_c, "max": m.temperature.max_c, "source": m.temperature.source}
        if m.temperature
        else None
    )
    heart_rate = {"mean": m.heart_rate.mean_bpm, "max": m.heart_rate.max_bpm} if m.heart_rate else None
    air = (
        {"temperature_c": m.air.temperature_c, "humidity_pct": m.air.humidity_pct, "dew_point_c": m.air.dew_point_c,
         "heat_index_c": m.air.heat_index_c, "index": HEAT_INDEX_NAME if m.air.heat_index_c is not None else None,
         "source": m.air.source, "kind": m.air.kind, "method": m.air.method}
        if m.air
        else None
    )
    fvl = m.first_vs_last
    out = {
        "schema": RUN_SCHEMA,
        "file": a.source,
        "format": a.format,
        "decoder": a.decoder,
        "sport": a.sport,
        "sub_sport": a.sub_sport,
        "sport_source": a.sport_source,
        "device": a.device,
        "name": a.name,
        "is_race": a.is_race or (m.shape is not None and m.shape.kind == "race"),
        "shape": m.shape,
        "start_time_utc": _utc_iso(m.start_time_utc),
        "start_time_local": m.start_time_local.isoformat() if m.start_time_local else None,
        "local_time_source": m.local_time_source,
        "units": report.units,
        "summary": {
            "distance_m": m.distance_m,
            "elapsed_time_s": m.elapsed_time_s,
            "moving_time_s": m.moving_time_s,
            "avg_speed_m_s": m.avg_speed_m_s,
            "temperature_c": temperature,
            "air": air,
            "heart_rate_bpm": heart_rate,
            "has_gps": m.has_gps,
            "has_elevation": m.has_elevation,
            "total_descent_m": m.total_descent_m,
            "hr_drift_pct": m.hr_drift_pct,
        },
        "splits": [
            {
                "index": sp.index,
                "unit": sp.unit,
                "distance_m": sp.distance_m,
                "time_s": sp.time_s,
                "speed_m_s": sp.speed_m_s,
                "heart_rate_bpm": sp.heart_rate_bpm,
                "temperature_c": sp.temperature_c,
                "partial": sp.partial,
                "gap_speed_m_s": sp.gap_speed_m_s,
            }
            for sp in m.splits
        ],
        "halves": {"first_speed_m_s": m.first_half_speed_m_s, "second_speed_m_s": m.second_half_speed_m_s},
        "first_vs_last": (
            {
                "unit": fvl.unit,
                "first_speed_m_s": fvl.first_speed_m_s,
                "last_speed_m_s": fvl.last_speed_m_s,
                "ratio": fvl.ratio,
                "grade_adjusted": fvl.grade_adjusted,
                "core_first_speed_m_s": fvl.core_first_speed_m_s,
                "core_last_speed_m_s": fvl.core_last_speed_m_s,
                "core_ratio": fvl.core_ratio,
                "first_gap_speed_m_s": fvl.first_gap_speed_m_s,
                "last_gap_speed_m_s": fvl.last_gap_speed_m_s,
                "gap_ratio": fvl.gap_ratio,
                "core_first_gap_speed_m_s": fvl.core_first_gap_speed_m_s,
                "core_last_gap_speed_m_s": fvl.core_last_gap_speed_m_s,
                "core_gap_ratio": fvl.core_gap_ratio,
            }
            if fvl
            else None
        ),
        "warmup": m.warmup,
        "cooldown": m.cooldown,
        "surges": m.surges,
        "findings": [
            {k: v for k, v in dataclasses.asdict(f).items()} for f in s.findings
        ],
        "scores": {
            "overall": s.scores.overall,
            "overload": s.scores.overload,
            "electrolyte": s.scores.electrolyte,
            "reasons": s.scores.reasons,
        },
        "not_judged": [{"id": n.id, "reason": n.reason} for n in s.not_judged],
        "data_warnings": [{"id": w.id, "why": w.why, "at_s": w.at_s} for w in m.data_warnings],
        "fluid_plan": s.fluid_plan,
        "notes": list(dict.fromkeys([*a.notes, *m.notes])),
        "cramps": list(cramps or []),
        "past_cramps_reason": past_cramps_reason,
    }
    return clean(out)


def dumps(data: dict[str, Any]) -> str:
    """Pretty JSON text, UTF-8 friendly: always valid UTF-8 and terminal-safe (``safetext.json_text``)."""
    return json_text(json.dumps(data, indent=2, ensure_ascii=False))
