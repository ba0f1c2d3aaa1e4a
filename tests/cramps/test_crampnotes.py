"""The text rule: cramps (and their absence) in what runners write, in several languages."""

from __future__ import annotations

import pytest

from crampcheck.crampnotes import M_PER_MILE, parse_at, read_cramp


@pytest.mark.parametrize("text, at_m, at_s, muscle", [
    ("cramped at 35k", 35000.0, None, None),
    ("Wadenkrampf bei km 30", 30000.0, None, "calf"),
    ("calf went at mile 20", 20 * M_PER_MILE, None, "calf"),
    ("Great race, no cramps until km 38, then my hamstring cramped", 38000.0, None, "hamstring"),
    ("calambre en el km 32", 32000.0, None, None),
    ("crampe au mollet au 28e km", 28000.0, None, "calf"),
    ("Kramp in de kuit op 25 km", 25000.0, None, "calf"),
    ("At 2:45 the quads locked up", None, 2 * 3600 + 45 * 60, "quad"),
    ("Fußkrampf nach 2h10", None, 2 * 3600 + 10 * 60, "foot"),
    ("Marathon: cramped both calves at 40k, walked it in", 40000.0, None, "calf"),
    ("crampo al polpaccio al km 35", 35000.0, None, "calf"),
    ("cãibra na panturrilha", None, None, "calf"),
    ("Cramp!", None, None, None),
])
def test_a_cramp_with_its_place(text, at_m, at_s, muscle):
    found = read_cramp(text)
    assert found is not None and found.cramped
    assert found.at_m == (pytest.approx(at_m) if at_m is not None else None)
    assert found.at_s == at_s and found.muscle == muscle


@pytest.mark.parametrize("text", ["no cramps today!", "krampffrei!", "Cramp-free marathon", "sin calambres hoy",
                                  "Sans crampe cette fois", "ohne Krämpfe ins Ziel", "zero cramping, finally"])
def test_a_negation_says_no_cramp(text):
    found = read_cramp(text)
    assert found is not None and not found.cramped


@pytest.mark.parametrize("text", ["Easy run 4:30/km", "Easy 10K", "Crampons needed on the ridge", "Morning Run", "", None,
                                  "Scrambled up the ridge", "Crampton Road loop", "Krampus run", "calf went fine after the massage",
                                  "left toe went numb in the cold", "calf went pop at 5k, walked home", "a cramped start corral",
                                  "The start was too cramped to run the first km"])
def test_nothing_said_about_cramps(text):
    assert read_cramp(text) is None


def test_a_place_counted_from_the_finish():
    found = read_cramp("Rain, cramp in calf 5 miles from the finish")
    assert found.from_end and found.at_distance_m(42195.0) == pytest.approx(42195.0 - 5 * M_PER_MILE)
    assert read_cramp("cramped at 35k").at_distance_m(42195.0) == 35000.0


@pytest.mark.parametrize("text, expected", [
    ("32km", (32000.0, None)), ("32 k", (32000.0, None)), ("20mi", (20 * M_PER_MILE, None)),
    ("2:45:00", (None, 9900.0)), ("2:45", (None, 9900.0)), ("45:30", (None, 2730.0)), ("2h45", (None, 9900.0)),
])
def test_parse_at(text, expected):
    at_m, at_s = parse_at(text)
    assert (pytest.approx(at_m) if at_m is not None else None, at_s) == expected


@pytest.mark.parametrize("text", ["soon", "km", "32 furlongs", ""])
def test_parse_at_refuses_what_is_not_a_place(text):
    with pytest.raises(ValueError):
        parse_at(text)
