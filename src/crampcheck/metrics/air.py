"""The air the runner ran in: one reading chosen by trust, with its humidity, dew point and heat index.

Readings, most trusted first (``schema.AIR_KINDS``): the user's ``--ambient-temp`` and
``--humidity``, an account export's weather columns, a weather report written into the file
(FIT ``weather_conditions``), an external sensor (a Stryd pod's developer fields), and last
the watch's own sensor. The first kind that has a temperature is the reading; its humidity
comes with it (the user's ``--humidity`` applies to any reading that has none).

Series are reduced in one documented way (``AirSettings``):

- every sensor series leaves out its first ``settle_s`` (10 min): a pod or watch carried from
  indoors, a pocket or a sleeve needs minutes to reach the air (a watch at 29 °C indoors
  reads 8-12 °C once out in December);
- an external sensor's reading is then the mean over the rest of the run;
- a wrist sensor sits on warm skin and warms further with effort and sun, so it only ever
  reads high: its reading is the lower quartile (``wrist_quantile``) of its moving samples
  after the settling time, the moments when the airflow cooled it most. It stays a wrist
  reading: the risk layer judges it one level below an air reading.

Formulas (constants of the published equations, written here):

- dew point: the Magnus form with Alduchov & Eskridge's (1996) coefficients over water;
- heat index: the US National Weather Service's (Rothfusz 1990 regression of Steadman's
  apparent temperature, with the NWS adjustments for dry and very humid air, and Steadman's
  simple form when that gives under 80 °F; air of 40 °F or less is its own heat index).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crampcheck.metrics.model import AirStats
from crampcheck.schema import AIR_KINDS, AirReading

HEAT_INDEX_NAME = "NWS heat index"
MAGNUS_A, MAGNUS_B_C = 17.625, 243.04  # Alduchov & Eskridge (1996), over water
USER_SOURCE = "user (--ambient-temp)"
USER_HUMIDITY_SOURCE = "user (--humidity)"
WATCH_KIND = "watch"


@dataclass(frozen=True)
class AirSettings:
    """How sensor series become one reading (risk/thresholds.py: air_settle_min, wrist_air_quantile_pct)."""

    settle_s: float = 600.0  # the first minutes of a sensor series are left out
    wrist_quantile: float = 0.25  # a wrist series' reading: this quantile of its settled moving samples


# --- formulas -----------------------------------------------------------------------------------

def dew_point_c(temperature_c: float, humidity_pct: float) -> float | None:
    """Dew point, deg C, from air temperature and relative humidity (Magnus form)."""
    if not humidity_pct > 0:
        return None
    gamma = math.log(min(humidity_pct, 100.0) / 100.0) + MAGNUS_A * temperature_c / (MAGNUS_B_C + temperature_c)
    return MAGNUS_B_C * gamma / (MAGNUS_A - gamma)


def humidity_from_dew_point(temperature_c: float, dew_point_c: float) -> float:
    """Relative humidity, %, from air temperature and dew point (the Magnus form inverted)."""
    ratio = math.exp(MAGNUS_A * dew_point_c / (MAGNUS_B_C + dew_point_c) - MAGNUS_A * temperature_c / (MAGNUS_B_C + temperature_c))
    return min(100.0, 100.0 * ratio)


def _f(celsius: float) -> float:
    return celsius * 9.0 / 5.0 + 32.0


def _c(fahrenheit: float) -> float:
    return (fahrenheit - 32.0) * 5.0 / 9.0


# NWS heat index: Rothfusz's regression in deg F and % (coefficients of T, R, TR, T2, R2, T2R, TR2, T2R2).
_ROTHFUSZ = (-42.379, 2.04901523, 10.14333127, -0.22475541, -0.00683783, -0.05481717, 0.00122874, 0.00085282, -0.00000199)
_SIMPLE_BELOW_F = 80.0  # Steadman's simple form is used when it gives less than this
_OWN_INDEX_F = 40.0  # at or below this air temperature the heat index is the temperature


def heat_index_c(temperature_c: float, humidity_pct: float) -> float:
    """The NWS heat index ("feels like" in the heat), deg C."""
    t, r = _f(temperature_c), float(humidity_pct)
    if t <= _OWN_INDEX_F:
        return temperature_c
    simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + r * 0.094)
    if (simple + t) / 2.0 < _SIMPLE_BELOW_F:
        return _c(simple)
    c = _ROTHFUSZ
    hi = (c[0] + c[1] * t + c[2] * r + c[3] * t * r + c[4] * t * t + c[5] * r * r
          + c[6] * t * t * r + c[7] * t * r * r + c[8] * t * t * r * r)
    if r < 13.0 and 80.0 <= t <= 112.0:
        hi -= (13.0 - r) / 4.0 * math.sqrt((17.0 - abs(t - 95.0)) / 17.0)
    elif r > 85.0 and 80.0 <= t <= 87.0:
        hi += (r - 85.0) / 10.0 * (87.0 - t) / 5.0
    return _c(hi)


# --- series -------------------------------------------------------------------------------------

def _settled(elapsed_s: np.ndarray, settle_s: float) -> np.ndarray:
    """Samples after the settling time (after half the span when the run is shorter than twice it)."""
    if not len(elapsed_s):
        return np.zeros(0, dtype=bool)
    span = float(np.nanmax(elapsed_s) - np.nanmin(elapsed_s))
    return elapsed_s - np.nanmin(elapsed_s) >= min(settle_s, span / 2.0)


def sensor_mean(times_s: np.ndarray, values: np.ndarray | None, settings: AirSettings) -> float | None:
    """Mean of a sensor series after its settling time (None when nothing is left)."""
    if values is None:
        return None
    keep = _settled(times_s, settings.settle_s) & np.isfinite(values)
    return float(np.mean(values[keep])) if keep.any() else None


def wrist_reading(elapsed_s: np.ndarray, temperature_c: np.ndarray, moving: np.ndarray, settings: AirSettings) -> float | None:
    """A wrist sensor's reading: the lower quartile of its moving samples after the settling time."""
    finite = np.isfinite(temperature_c)
    keep = _settled(elapsed_s, settings.settle_s) & finite
    if (keep & moving).any():
        keep &= moving
    if not keep.any():
        keep = finite
    if not keep.any():
        return None
    return float(np.quantile(temperature_c[keep], settings.wrist_quantile))


# --- the reading --------------------------------------------------------------------------------

def _stats(temperature_c: float, humidity_pct: float | None, source: str, kind: str, method: str | None,
           dew_c: float | None = None) -> AirStats:
    if humidity_pct is None and dew_c is not None:
        humidity_pct = humidity_from_dew_point(temperature_c, dew_c)
    if humidity_pct is not None and dew_c is None:
        dew_c = dew_point_c(temperature_c, humidity_pct)
    index = heat_index_c(temperature_c, humidity_pct) if humidity_pct is not None else None
    return AirStats(
        temperature_c=float(temperature_c), humidity_pct=None if humidity_pct is None else float(humidity_pct),
        dew_point_c=dew_c, heat_index_c=index, source=source, kind=kind, method=method,
    )


def air_stats(
    readings: list[AirReading],
    start_unix_s: float | None,
    wrist: tuple[np.ndarray, np.ndarray, np.ndarray, str] | None,
    user_temperature_c: float | None = None,
    user_humidity_pct: float | None = None,
    settings: AirSettings = AirSettings(),
) -> AirStats | None:
    """The most trusted reading of the air (None: nothing to read).

    ``wrist``: (elapsed s, temperature deg C, moving, source) of the records' own temperature
    channel, the watch's sensor. ``start_unix_s`` places the readings' series on that clock.
    """
    settle_min = settings.settle_s / 60.0
    candidates: list[tuple[int, AirStats]] = []
    if user_temperature_c is not None:
        candidates.append((0, _stats(user_temperature_c, None, USER_SOURCE, "user", None)))
    for reading in readings:
        rank = AIR_KINDS.index(reading.kind) if reading.kind in AIR_KINDS else len(AIR_KINDS)
        temperature, humidity, method = reading.temperature_c, reading.humidity_pct, None
        if reading.temperature_series_c is not None and reading.times_unix_s is not None:
            times = reading.times_unix_s - (start_unix_s if start_unix_s is not None else reading.times_unix_s[0])
            temperature = sensor_mean(times, reading.temperature_series_c, settings)
            humidity = sensor_mean(times, reading.humidity_series_pct, settings)
            method = f"mean after the first {settle_min:g} min"
        if temperature is not None:
            candidates.append((rank, _stats(temperature, humidity, reading.source, reading.kind, method, reading.dew_point_c)))
    if wrist is not None:
        elapsed, values, moving, source = wrist
        value = wrist_reading(elapsed, values, moving, settings)
        if value is not None:
            method = f"wrist: lower {settings.wrist_quantile * 100:g} % of the moving readings after the first {settle_min:g} min"
            candidates.append((AIR_KINDS.index(WATCH_KIND), _stats(value, None, source, WATCH_KIND, method)))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: c[0])[1]
    if best.humidity_pct is None and user_humidity_pct is not None:
        best = _stats(best.temperature_c, user_humidity_pct, f"{best.source}; humidity: {USER_HUMIDITY_SOURCE}", best.kind, best.method)
    return best
