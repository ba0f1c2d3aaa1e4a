"""Names that say a run was a race (or training): one rule for the run report and the history.

Imports nothing else of crampcheck.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# Words that name a race, matched as whole words, case-insensitive (English first, then
# common French, German, Spanish, Italian, Dutch, Portuguese, Scandinavian forms).
RACE_WORDS = (
    r"race", r"racing", r"marathon", r"half", r"parkrun", r"\d{1,3}\s?k", r"\d{1,3}\s?miler",
    r"semi", r"halbmarathon", r"wettkampf", r"volkslauf", r"marat[oó]n", r"maratona",
    r"mezza", r"gara", r"wedstrijd", r"halve", r"meia", r"carrera popular", r"lopp(?:et)?",
)
RACE_NAME_RE = re.compile(r"\b(?:" + "|".join(RACE_WORDS) + r")\b", re.IGNORECASE)
# Words that say a run was training even when its name holds a distance ("Easy 10K",
# "Half marathon training: long run"); only "race" and "parkrun" outrank them.
TRAINING_WORDS = (
    r"easy", r"recovery", r"tempo", r"training", r"workout", r"long run", r"jog(?:ging)?", r"intervals?",
    r"shake-?out", r"warm-?up", r"cool-?down", r"fartlek", r"drills?", r"progression",
)
TRAINING_NAME_RE = re.compile(r"\b(?:" + "|".join(TRAINING_WORDS) + r")\b", re.IGNORECASE)
SURE_RACE_NAME_RE = re.compile(r"\b(?:race|parkrun)\b", re.IGNORECASE)

def name_says_race(name: str | None) -> bool:
    """True when an activity name holds a race word (whole word, any case) and does not say
    it was training ("Easy 10K"), unless it says race or parkrun outright."""
    if not name or not RACE_NAME_RE.search(name):
        return False
    return not TRAINING_NAME_RE.search(name) or bool(SURE_RACE_NAME_RE.search(name))


def says_race(name: str | None, source: str) -> bool:
    """The activity name says race; or it names nothing of training and the file name says race."""
    if name_says_race(name):
        return True
    return not (name and TRAINING_NAME_RE.search(name)) and file_name_says_race(source)


def file_name_says_race(source: str) -> bool:
    """The rule applied to a file's own name ("Berlin_Marathon_2024.fit"): runners often name
    the files they keep; separators count as spaces. Export members ("zip!…/12345.fit") and
    numeric names say nothing."""
    stem = PurePath(source.rsplit("!", 1)[-1]).name.split(".", 1)[0]
    return name_says_race(re.sub(r"[_\-.]+", " ", stem))
