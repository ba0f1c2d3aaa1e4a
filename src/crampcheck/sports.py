"""Which sport an activity is: from a label (any common language), else from its data.

The one sport-label table of crampcheck (GPX trk/type, TCX Sport, export activity types).
It imports nothing else of crampcheck. The speed and cadence bounds below are detection
internals (is this a run at all?), not risk thresholds.
"""

from __future__ import annotations

import re

import numpy as np

# Label word starts -> (sport, sub_sport); the first entry found at a word start wins, so
# specific entries (treadmill, trail, road bike words) come before the general ones.
# Labels are lower-cased, _/- (and CamelCase in one-word types) split: "TrailRun", "street_running".
SPORT_WORDS: tuple[tuple[str, str, str | None], ...] = (
    ("treadmill", "running", "treadmill"), ("laufband", "running", "treadmill"), ("tapis", "running", "treadmill"),
    # cycling (before running: German "Rennrad" is a road bike)
    ("bik", "cycling", None), ("cycl", "cycling", None), ("ride", "cycling", None), ("rennrad", "cycling", None),
    ("radfahr", "cycling", None), ("radel", "cycling", None), ("fahrrad", "cycling", None), ("vélo", "cycling", None),
    ("velo", "cycling", None), ("cicl", "cycling", None), ("bici", "cycling", None), ("fiets", "cycling", None),
    ("wielren", "cycling", None), ("cykl", "cycling", None), ("cykel", "cycling", None), ("pyöräil", "cycling", None),
    ("rower", "cycling", None), ("велосипед", "cycling", None), ("骑行", "cycling", None),
    # running
    ("trail", "running", "trail"), ("run", "running", None), ("jog", "running", None), ("lauf", "running", None),
    ("course à pied", "running", None), ("course a pied", "running", None), ("corrid", "running", None),
    ("correr", "running", None), ("carrera", "running", None), ("corsa", "running", None), ("hardlo", "running", None),
    ("löp", "running", None), ("løb", "running", None), ("løp", "running", None), ("juoks", "running", None),
    ("bieg", "running", None), ("běh", "running", None), ("koşu", "running", None), ("бег", "running", None),
    ("跑", "running", None), ("ランニング", "running", None),
    # walking and hiking (German "wander" is a hike, Dutch "wandel" a walk)
    ("walk", "walking", None), ("wandel", "walking", None), ("gehen", "walking", None), ("spazier", "walking", None),
    ("marche", "walking", None), ("camin", "walking", None), ("cammin", "walking", None), ("promenad", "walking", None),
    ("kävel", "walking", None), ("spacer", "walking", None), ("chůze", "walking", None), ("ходьба", "walking", None),
    ("hik", "hiking", None), ("trek", "hiking", None), ("wander", "hiking", None), ("randonn", "hiking", None),
    ("sender", "hiking", None), ("escursion", "hiking", None), ("vandr", "hiking", None), ("vaell", "hiking", None),
    ("wędrów", "hiking", None), ("turisti", "hiking", None), ("徒步", "hiking", None),
    # swimming
    ("swim", "swimming", None), ("schwimm", "swimming", None), ("natation", "swimming", None), ("nata", "swimming", None),
    ("nage", "swimming", None), ("nuot", "swimming", None), ("zwem", "swimming", None), ("simn", "swimming", None),
    ("svøm", "swimming", None), ("uinti", "swimming", None), ("pływ", "swimming", None), ("plav", "swimming", None),
    ("плав", "swimming", None), ("游泳", "swimming", None),
)
# Strava's GPX export writes its activity type as a number in trk/type.
STRAVA_GPX_TYPES = {"1": ("cycling", None), "9": ("running", None)}
# Labels that name no sport at all (TCX Sport="Other", FIT "generic"): the data decides.
GENERIC_LABELS = frozenset({"other", "generic", "unknown", "activity", "workout", "sport"})

# Guessing from the data (median over moving samples only).
MOVING_MIN_SPEED_M_S = 0.5  # slower samples are standing still, not part of the median
WALK_MIN_SPEED_M_S = 0.5  # walking: median moving speed from this...
WALK_MAX_SPEED_M_S = 2.0  # ...to below this (7.2 km/h)
RUN_MIN_SPEED_M_S, RUN_MAX_SPEED_M_S = 2.0, 6.5  # running with a step cadence: 7.2-23.4 km/h
RUN_ONLY_MIN_SPEED_M_S, RUN_ONLY_MAX_SPEED_M_S = 2.2, 6.0  # running from speed alone (no cadence): narrower
RUN_MIN_CADENCE_SPM, RUN_MAX_CADENCE_SPM = 140.0, 200.0  # steps/min, both legs
BIKE_MIN_SPEED_M_S = 6.5  # cycling: faster than any run in the table above...
BIKE_MIN_CADENCE_RPM, BIKE_MAX_CADENCE_RPM = 60.0, 110.0  # ...with a pedalling cadence, when there is one
MIN_MOVING_SAMPLES = 30  # fewer moving samples: no guess

FILE, NAME = "file", "name"  # sport_source values besides the "data (...)" ones
DATA_SPEED_CADENCE, DATA_SPEED = "data (speed + cadence)", "data (speed)"

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _words(label: str) -> str:
    """Lower-case text, ``_`` and ``-`` split into words, and CamelCase too in a one-word type
    ("TrailRun", "EBikeRide"; not in free text: "MyTrails 2.0.3" is an app)."""
    if not re.search(r"\s", label):
        label = _CAMEL.sub(" ", label)
    return re.sub(r"[_\-]+", " ", label).lower()


def _found(word: str, text: str) -> bool:
    """``word`` at a word start of ``text`` (anywhere for scripts written without spaces)."""
    if any(ord(ch) >= 0x2E80 for ch in word):  # CJK: no word breaks to look for
        return word in text
    return re.search(r"(?<!\w)" + re.escape(word), text) is not None


def sport_from_label(label: str | None) -> tuple[str, str | None]:
    """``(sport, sub_sport)`` for a free-text label: "Run", "Laufen", "corrida", "9", "Biking"...

    Unknown or missing label -> ("unknown", None); a label that names no known sport -> ("other", None).
    """
    raw = (label or "").strip()
    if not raw:
        return "unknown", None
    if raw in STRAVA_GPX_TYPES:
        return STRAVA_GPX_TYPES[raw]
    text = _words(raw)
    for word, sport, sub_sport in SPORT_WORDS:
        if _found(word, text):  # at a word start: "MyTrails" is no trail run
            return sport, sub_sport
    return "other", None


def names_no_sport(label: str | None) -> bool:
    """True for a missing label or one such as "Other" or "generic": the data should decide."""
    return sport_from_label(label)[0] == "unknown" or (label or "").strip().lower() in GENERIC_LABELS


def _median(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values) & (values > 0)]
    return float(np.median(finite)) if finite.size else None


def sport_from_data(speed_m_s: np.ndarray, cycles_per_min: np.ndarray) -> tuple[str, str] | None:
    """``(sport, sport_source)`` guessed from speed and cadence, or None when unclear.

    ``cycles_per_min`` is the cadence as devices record it: per leg (strides) on foot, pedal
    rpm on a bike; steps/min are twice the strides. Both are medians over moving samples.
    """
    speed = np.asarray(speed_m_s, dtype=np.float64)
    moving = np.isfinite(speed) & (speed >= MOVING_MIN_SPEED_M_S)
    if int(moving.sum()) < MIN_MOVING_SAMPLES:
        return None
    v = float(np.median(speed[moving]))
    cadence = np.asarray(cycles_per_min, dtype=np.float64)
    rpm = _median(cadence[moving]) if cadence.shape == speed.shape else None
    if rpm is not None:
        steps = 2.0 * rpm
        if RUN_MIN_SPEED_M_S <= v <= RUN_MAX_SPEED_M_S and RUN_MIN_CADENCE_SPM <= steps <= RUN_MAX_CADENCE_SPM:
            return "running", DATA_SPEED_CADENCE
        if v > BIKE_MIN_SPEED_M_S and BIKE_MIN_CADENCE_RPM <= rpm <= BIKE_MAX_CADENCE_RPM:
            return "cycling", DATA_SPEED_CADENCE
    else:
        if RUN_ONLY_MIN_SPEED_M_S <= v <= RUN_ONLY_MAX_SPEED_M_S:
            return "running", DATA_SPEED
        if v > BIKE_MIN_SPEED_M_S:
            return "cycling", DATA_SPEED
    if WALK_MIN_SPEED_M_S <= v < WALK_MAX_SPEED_M_S:
        return "walking", DATA_SPEED
    return None
