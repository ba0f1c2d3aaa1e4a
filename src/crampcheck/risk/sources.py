"""The works the advice and the thresholds table cite, by a short key.

Texts cite ``[key]`` or ``[key, key]``; ``crampcheck thresholds --sources`` prints this table,
and a test checks that every key cited anywhere is here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    author: str  # author(s) or organisation
    year: int | None  # None: the page gives no date
    where: str  # journal, site or publisher


def _table(*sources: Source) -> Mapping[str, Source]:
    return MappingProxyType({s.key: s for s in sources})


SOURCES: Mapping[str, Source] = _table(
    # the five articles the project started from (web pages, advice for runners)
    Source("cramp-guide", "How to Prevent and Treat Running Cramps: A Guide for Runners", "author not named", None, "running website"),
    Source("runners-blueprint", "Muscle Leg Cramps While Running: Causes, Prevention, Treatment", "Runners Blueprint", None,
           "runnersblueprint.com"),
    Source("weber", "Running: How to Overcome Muscle Cramps", "Anna Weber (interviewed)", None, "Linked Fitness Community"),
    Source("luff2022", "Calf and Leg Cramps From Running: Causes, Coping, and Prevention",
           "Christine Luff, ACE-CPT; medically reviewed by Miho J. Tanaka, MD", 2022, "Verywell Fit"),
    Source("two-cramps", "Why Do I Get Muscle Cramps? - A Runner's Guide", "author not named (an endurance athlete's blog)", None,
           "running blog"),
    # studies, position stands and models
    Source("schwellnus2009", "Cause of exercise associated muscle cramps (EAMC): altered neuromuscular control, dehydration "
           "or electrolyte depletion?", "Schwellnus MP", 2009, "British Journal of Sports Medicine"),
    Source("schwellnus2011", "Increased running speed and previous cramps rather than dehydration or serum sodium changes "
           "predict exercise-associated muscle cramping: a prospective cohort study in 210 Ironman triathletes",
           "Schwellnus MP, Drew N, Collins M", 2011, "British Journal of Sports Medicine"),
    Source("safer", "SAFER (Safer Athletics For Every Runner) studies of Two Oceans Marathon entrants", "Schwellnus MP et al.", None,
           "British Journal of Sports Medicine and others"),
    Source("martinez-navarro2020", "Muscle cramping in the marathon: dehydration and electrolyte depletion vs. muscle damage",
           "Martínez-Navarro I et al.", 2020, "Journal of Strength and Conditioning Research"),
    Source("acsm-heat2007", "Exertional heat illness during training and competition (position stand)", "American College of Sports "
           "Medicine (Armstrong LE et al.)", 2007, "Medicine & Science in Sports & Exercise"),
    Source("sawka2007", "Exercise and fluid replacement (position stand)", "American College of Sports Medicine (Sawka MN et al.)", 2007,
           "Medicine & Science in Sports & Exercise"),
    Source("baker2016", "Normative data for regional sweat sodium concentration and whole-body sweating rate in athletes",
           "Baker LB et al.", 2016, "Journal of Sports Sciences"),
    Source("friel", "Aerobic decoupling (Pa:HR), the 5 % convention", "Joe Friel", None,
           "TrainingPeaks; the same measure in GoldenCheetah"),
    Source("eston1995", "Eccentric activation and muscle damage: biomechanical and physiological considerations during downhill "
           "running", "Eston RG, Mickleborough J, Baltzopoulos V", 1995, "British Journal of Sports Medicine"),
    Source("frandsen2025", "How much running is too much? Identifying high-risk running sessions in a 5200-person cohort study "
           "(Garmin-RUNSAFE)", "Frandsen JSB, ..., Nielsen RO", 2025, "British Journal of Sports Medicine"),
    Source("gabbett2016", "The training-injury prevention paradox: should athletes be training smarter and harder?", "Gabbett TJ", 2016,
           "British Journal of Sports Medicine"),
    Source("minetti2002", "Energy cost of walking and running at extreme uphill and downhill slopes", "Minetti AE et al.", 2002,
           "Journal of Applied Physiology"),
    Source("robb2017", "An improved GAP model", "Drew Robb", 2017, "Strava Engineering blog"),
    Source("riegel1981", "Athletic records and human endurance", "Riegel PS", 1981, "American Scientist"),
    Source("rothfusz1990", "The heat index \"equation\" (or, more than you ever wanted to know about heat index)", "Rothfusz LP",
           1990, "US National Weather Service, Southern Region Technical Attachment SR 90-23"),
    Source("steadman1979", "The assessment of sultriness. Part I: A temperature-humidity index based on human physiology and "
           "clothing science", "Steadman RG", 1979, "Journal of Applied Meteorology"),
    Source("alduchov1996", "Improved Magnus form approximation of saturation vapor pressure", "Alduchov OA, Eskridge RE", 1996,
           "Journal of Applied Meteorology"),
    Source("periard2015", "Adaptations and mechanisms of human heat acclimation: applications for competitive athletes and sports",
           "Périard JD, Racinais S, Sawka MN", 2015, "Scandinavian Journal of Medicine & Science in Sports"),
    Source("racinais2015", "Consensus recommendations on training and competing in the heat", "Racinais S et al.", 2015,
           "British Journal of Sports Medicine"),
    Source("crampcheck-real", "Reading crampcheck's reports on the real files of shared/data/real", "crampcheck", None,
           "this project"),
)

CITATION = re.compile(r"\[([a-z][a-z0-9-]*(?:, [a-z][a-z0-9-]*)*)\]")


def cited_keys(text: str) -> list[str]:
    """Every key cited in ``text``, in order."""
    return [key for group in CITATION.findall(text) for key in group.split(", ")]


def reference(source: Source) -> str:
    """One line: author, year, title, where."""
    year = f" ({source.year})" if source.year else ""
    parts = (f"{source.author}{year}", source.title, source.where)
    return " ".join(part if part.endswith((".", "?", "!")) else part + "." for part in parts)


def source_rows() -> list[dict]:
    """Rows for ``crampcheck thresholds --sources``."""
    return [asdict(s) | {"reference": reference(s)} for s in SOURCES.values()]
