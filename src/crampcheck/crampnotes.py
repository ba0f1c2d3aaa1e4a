"""Cramps in what the runner wrote: one text rule for activity names, descriptions and notes.

``read_cramp(text)`` says whether a text reports a cramp ("cramped at 35k", "Wadenkrampf bei
km 30", "calf went at mile 20"), reports none ("no cramps today!", "krampffrei"), or says
nothing about cramps; with where it struck when the text says so (a distance or a time into
the run) and which muscle. ``parse_at`` reads the ``--at`` of ``crampcheck cramp add``
("32km", "20mi", "2:45:00"). Words are those runners use in English, French, German, Spanish,
Italian, Portuguese, Dutch and the Scandinavian languages; matching is case-insensitive.

Imports nothing else of crampcheck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

M_PER_KM = 1000.0
M_PER_MILE = 1609.344
S_PER_MIN = 60.0
S_PER_H = 3600.0
MAX_H_IN_H_MM = 9  # "2:45" is h:mm when its first number is at most this, else mm:ss ("45:10")
NEGATION_REACH_WORDS = 4  # a negation this many words or fewer before the cramp word negates it

class _Lazy:
    """A regex compiled on its first use: this module loads with every `analyze`, and most runs'
    names never get past ``QUICK_RE``."""

    __slots__ = ("_args", "_rx")

    def __init__(self, *args: object) -> None:
        self._args, self._rx = args, None

    def __getattr__(self, name: str):
        if self._rx is None:
            self._rx = re.compile(*self._args)
        return getattr(self._rx, name)


# The cramp word itself: English, French, German, Dutch/Scandinavian, Spanish, Italian, Portuguese.
CRAMP_RE = _Lazy(
    r"(?<![^\W\d_])(?:\w*?(?:"
    r"cramp(?:s|ed|ing|y)?|crampes?|"  # en, fr (crampon/crampons, the spikes, do not match)
    r"kr[aä]mpf(?:e|en|t|te|ten|frei)?|"  # de: Krampf, Krämpfe, Wadenkrampf, krampfte, krampffrei
    r"kramp(?:e|en|er|ene|ar|a)?|"  # nl, sv, no, da
    r"calambres?|acalambrad[oa]s?|"  # es
    r"cramp[oi]|"  # it
    r"c[aã]ibras?|c[aâ]imbras?"  # pt
    r"))(?![^\W\d_])",
    re.IGNORECASE,
)
# "the calf went at mile 20": a muscle that went, seized or locked up, no cramp word needed.
MUSCLE_WORDS = {
    "calf": r"calf|calves|wade|waden|mollets?|gemelos?|pantorrillas?|kuit(?:en)?|polpacci[oi]|panturrilhas?|vad(?:en|er)?",
    "hamstring": r"hamstrings?|hammies|ischios?|ischio-jambiers?|isquiotibiales|isquios|hamstrings?",
    "quad": r"quads?|quadriceps|oberschenkel|cu[aá]driceps|quadricipit[ei]|quadr[ií]ceps",
    "foot": r"foot|feet|toes?|fu[sß]s?|f[uü][sß]e|pieds?|orteils?|pies?|voet(?:en)?|piedi|piede|p[eé]s?",
}
MUSCLE_RE = {m: _Lazy(rf"(?<![^\W\d_])(?:{w})(?![^\W\d_])", re.IGNORECASE) for m, w in MUSCLE_WORDS.items()}
_ANY_MUSCLE = "|".join(f"(?:{w})" for w in MUSCLE_WORDS.values())
SEIZED_RE = _Lazy(
    rf"(?<![^\W\d_])(?:{_ANY_MUSCLE})\s+(?:(?:just|totally|completely|then)\s+)?"
    r"(?:went|gone|seized(?:\s+up)?|locked(?:\s+up)?|grabbed|knotted(?:\s+up)?|spasm(?:ed)?|cramped|cramping)"
    r"(?![^\W\d_])"
    # "calf went fine", "toe went numb", "calf went pop" (a strain, not a cramp) say something else
    r"(?!\s+(?:fine|well|ok|okay|great|good|strong|better|numb|sore|tired|dead|heavy|pop|snap|ping|black|blue)\b)",
    re.IGNORECASE,
)
# "cramped" about a place, not a muscle: "a cramped start corral", "the start was too cramped"
CROWDED_RE = _Lazy(
    r"^\s+(?:(?:start|starting)\s+)?(?:room|space|quarters|corral|pen|area|streets?|roads?|paths?|trails?|course|car|bus|tent|"
    r"hotel|conditions|field|pack|wave)\b",
    re.IGNORECASE,
)
DEGREE_BEFORE_RE = _Lazy(r"\b(?:too|so|very|quite|pretty|rather|bit|really|super|extremely)\s+$", re.IGNORECASE)
NEGATION_RE = _Lazy(
    r"(?<![^\W\d_])(?:no|not|none|without|zero|never|nor|free\s+of|sans|pas\s+de|aucune?s?|ohne|kein(?:e|en|er)?|"
    r"nie|sin|ning[uú]n|ninguna|geen|zonder|senza|nessun[oa]?|niente|sem|nenhuma?|ingen|inga|uden|utan)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
FREE_RE = _Lazy(r"^[\s-]*(?:free|frei|fri|vrij)|^\s*(?:never\s+came|stayed\s+away)", re.IGNORECASE)
CLAUSE_BREAK_RE = _Lazy(
    r"[.;!?\n]|,\s*(?:but|then|until|aber|dann|mais|puis|pero|luego|maar|ma)\b"
    r"|\bbut\b|\buntil\b|\btill\b|\bbis\b|\bhasta\b|\bjusqu",
    re.IGNORECASE,
)
SENTENCE_BREAK_RE = _Lazy(r"[.;!?\n]")

_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_KM = r"k|km|kms|kilometers?|kilometres?|kil[oó]metros?|kilometern?|chilometri"
_MI = r"mi|miles?|meilen?|millas?|miglia"
DISTANCE_RES = (  # (regex, group of the number, group of the unit)
    _Lazy(rf"(?<![\w:]){_NUM}\s*(?:st|nd|rd|th|e|er|ème)?\s*({_KM}|{_MI})(?![^\W\d_])", re.IGNORECASE),
    _Lazy(rf"(?<![^\W\d_])({_KM}|{_MI})\.?\s*{_NUM}(?![\d:])", re.IGNORECASE),
)
FROM_END_RE = _Lazy(
    r"\s*(?:from\s+the\s+(?:finish|end)|to\s+go|left|before\s+the\s+(?:finish|end)|vor\s+dem\s+ziel|"
    r"avant\s+l'arriv[ée]e|de\s+la\s+meta|antes\s+de\s+la\s+meta|voor\s+de\s+finish|dalla\s+fine)",
    re.IGNORECASE,
)
TIME_RE = _Lazy(  # "2:45", "2:45:00" (not a pace: "4:30/km", "4:30 min per km"), "2h45"
    r"(?<![\d:.,])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\d:]|\s*/|\s*(?:min)?\s*(?:per|/))"
    r"|(?<![\w.,])(\d{1,2})\s*h\s*([0-5]\d)(?![\d])",
    re.IGNORECASE,
)


# Every mention above holds one of these stems: a text without any is passed over at once.
QUICK_RE = re.compile(r"cramp|kr[aä]mp|calambr|c[aã]ibr|c[aâ]imbr|went|gone|seiz|lock|grabb|knott|spasm", re.IGNORECASE)


@dataclass(frozen=True)
class CrampText:
    """What a text says about cramps: ``cramped`` True (a cramp) or False ("no cramps")."""

    cramped: bool
    phrase: str  # the words that said it
    at_m: float | None = None  # where, as a distance into the run, when the text says
    at_s: float | None = None  # where, as a time into the run, when the text says
    muscle: str | None = None  # calf | hamstring | quad | foot, when named
    from_end: bool = False  # at_m counts back from the finish ("5 miles from the finish")

    def at_distance_m(self, run_distance_m: float) -> float | None:
        """Where, as a distance from the start of a run this long (None when not said)."""
        if self.at_m is None:
            return None
        return max(run_distance_m - self.at_m, 0.0) if self.from_end else self.at_m


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _unit_m(unit: str) -> float:
    return M_PER_MILE if re.fullmatch(_MI, unit, re.IGNORECASE) else M_PER_KM


def _distance(m: re.Match) -> float:
    if m.re.pattern == DISTANCE_RES[0].pattern:
        return _number(m.group(1)) * _unit_m(m.group(2))
    return _number(m.group(2)) * _unit_m(m.group(1))


def _time(m: re.Match) -> float:
    if m.group(4) is not None:  # "2h45"
        return int(m.group(4)) * S_PER_H + int(m.group(5)) * S_PER_MIN
    a, b, c = int(m.group(1)), int(m.group(2)), m.group(3)
    if c is not None:
        return a * S_PER_H + b * S_PER_MIN + int(c)
    return a * S_PER_H + b * S_PER_MIN if a <= MAX_H_IN_H_MM else a * S_PER_MIN + b


def parse_at(text: str) -> tuple[float | None, float | None]:
    """``--at``: "32km", "32 k", "20mi", "20 miles" -> (metres, None); "2:45:00", "2:45", "2h45"
    -> (None, seconds). Raises ValueError for anything else."""
    t = text.strip()
    for rx in DISTANCE_RES:
        m = rx.fullmatch(t)
        if m:
            return _distance(m), None
    m = TIME_RE.fullmatch(t)
    if m:
        return None, _time(m)
    raise ValueError(f"{text!r}: give a distance (32km, 20mi) or a time into the run (2:45:00)")


def _span(text: str, start: int, end: int, breaks: re.Pattern) -> tuple[int, int]:
    """The clause (or sentence) of ``text`` around [start, end)."""
    lo = 0
    for b in breaks.finditer(text, 0, start):
        lo = b.end()
    nxt = breaks.search(text, end)
    return lo, nxt.start() if nxt else len(text)


def _negated(text: str, start: int, end: int) -> bool:
    lo, _ = _span(text, start, end, CLAUSE_BREAK_RE)
    before = text[lo:start]
    for neg in NEGATION_RE.finditer(before):
        if len(before[neg.end():].split()) <= NEGATION_REACH_WORDS:
            return True
    return text[start:end].lower().endswith("frei") or bool(FREE_RE.match(text[end:]))


def _where(text: str, start: int, end: int) -> tuple[float | None, float | None, bool]:
    """The distance (or time) the sentence of a mention gives: the first after it, else the
    last before it; and whether it counts from the finish."""
    lo, hi = _span(text, start, end, SENTENCE_BREAK_RE)
    after = [(m.start(), "m", _distance(m), m.end()) for rx in DISTANCE_RES for m in rx.finditer(text, end, hi)]
    after += [(m.start(), "s", _time(m), m.end()) for m in TIME_RE.finditer(text, end, hi)]
    before = [(m.start(), "m", _distance(m), m.end()) for rx in DISTANCE_RES for m in rx.finditer(text, lo, start)]
    before += [(m.start(), "s", _time(m), m.end()) for m in TIME_RE.finditer(text, lo, start)]
    pick = min(after) if after else max(before) if before else None
    if pick is None:
        return None, None, False
    if pick[1] == "s":
        return None, pick[2], False
    return pick[2], None, bool(FROM_END_RE.match(text, pick[3]))


def _muscle(text: str, start: int, end: int) -> str | None:
    """The muscle a compound names ("Wadenkrampf"), else the nearest named in the sentence."""
    for name, words in MUSCLE_WORDS.items():
        if re.match(rf"(?:{words})\w", text[start:end], re.IGNORECASE):
            return name
    lo, hi = _span(text, start, end, SENTENCE_BREAK_RE)
    best = None
    for name, rx in MUSCLE_RE.items():
        for m in rx.finditer(text, lo, hi):
            gap = abs(m.start() - start)
            if best is None or gap < best[0]:
                best = (gap, name)
    return best[1] if best else None


def may_mention(texts) -> bool:
    """True when any of ``texts`` could speak of a cramp (a cheap test before reading them)."""
    return any(text and QUICK_RE.search(text) for text in texts)


def read_cramp(text: str | None) -> CrampText | None:
    """What ``text`` says about cramps: the first mention that is not negated (a cramp), else
    a negated one (``cramped=False``), else None."""
    if not text or not QUICK_RE.search(text):
        return None
    mentions = sorted([*CRAMP_RE.finditer(text), *SEIZED_RE.finditer(text)], key=lambda m: m.start())
    denied = None
    for m in mentions:
        if m.group(0).lower() == "cramped" and (CROWDED_RE.match(text[m.end():]) or DEGREE_BEFORE_RE.search(text[:m.start()])):
            continue
        if _negated(text, m.start(), m.end()):
            denied = denied or CrampText(False, m.group(0))
            continue
        at_m, at_s, from_end = _where(text, m.start(), m.end())
        return CrampText(True, m.group(0), at_m, at_s, _muscle(text, m.start(), m.end()), from_end)
    return denied
