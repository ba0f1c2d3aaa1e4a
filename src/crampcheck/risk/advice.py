"""Advice per risk factor and the fluid plan, in our own words.

Each text cites its sources by key (``[runners-blueprint]``; risk/sources.py resolves them).
The fluid figures are the cited articles' figures, shown in the report's one unit system
(ounces and pounds under miles, millilitres/litres and kilograms under km); the after-run rule is given twice, a coaching rule and ACSM's, with sources.
"""

from __future__ import annotations

from crampcheck.risk import fmt
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import FluidPlan
from crampcheck.risk.thresholds import Thresholds
from crampcheck.units import LB_PER_KG, ML_PER_US_FL_OZ

ADVICE: dict[str, str] = {
    "fast_start": (
        "Make the first {split} the slowest of the run, slower than the one you mean to finish "
        "with; check your watch at the first marker and ease off if you are ahead of plan, and practise "
        "that restraint on training runs [runners-blueprint, luff2022]."
    ),
    "fading_reps": (
        "The first reps were quicker than you could hold to the last: start the session at the pace you "
        "mean to finish it with, and count a set as done well when the last rep matches the first."
    ),
    "positive_split": (
        "Fading late usually means the early pace was more than today's fitness could carry: choose a "
        "pace you can hold to the end, and build it with race-pace and fast-finish sessions [runners-blueprint, two-cramps]."
    ),
    "no_warmup": (
        "Spend the first 5-10 minutes jogging slowly before settling into your running pace, so muscles, "
        "heart and lungs are ready; keep long static stretches for after the run [cramp-guide, runners-blueprint, luff2022]."
    ),
    "no_cooldown": (
        "Do not stop dead at full effort: ease down into a gentle jog, then walk for about 5 minutes "
        "before stretching or showering [runners-blueprint]."
    ),
    "long_run": (
        "On runs past an hour take electrolytes as well as water [weber]; past 90 minutes part of "
        "what you drink should be a sports drink with sodium [runners-blueprint, luff2022]. Lengthen long runs "
        "gradually so the duration is one your legs are trained for [two-cramps]."
    ),
    "long_run_race": (
        "In a race this long take electrolytes as well as water from the first hour [weber], and past 90 "
        "minutes make part of what you drink a sports drink with sodium [runners-blueprint, luff2022]; before "
        "the next one, build your long runs toward the race's duration so your legs are trained for it [two-cramps]."
    ),
    "heat": (
        "Heat adds sweat loss and fatigue: run slower on hot days, drink to a plan rather than to thirst, "
        "and check the air temperature, since a wrist sensor reads warm [cramp-guide, runners-blueprint]."
    ),
    "long_hot_run": (
        "Long and hot together is where fluid and sodium losses add up: carry a sports drink with sodium, "
        "drink on a schedule, and consider a shorter route or a cooler hour [runners-blueprint, weber]."
    ),
    "hot_time_of_day": (
        "In warm weather move the run to early morning or evening, away from the middle of the day [runners-blueprint]."
    ),
    "surges": (
        "Sudden speed-ups load tired muscles, more so late in a run: change pace gradually, and if your "
        "races need surges, train for them with strides or fast finishes at the end of long runs [two-cramps]."
    ),
    "hr_drift": (
        "Your heart worked harder for the same pace as the run went on, a sign of fatigue, heat or fluid "
        "loss: start easier, drink to a plan, and extend duration step by step."
    ),
    "downhill": (
        "Long descents load the calves and thighs while they lengthen under tension: shorten your stride "
        "downhill and add descents to your training gradually before a hilly race."
    ),
    "fluid_loss": (
        "Replace what you lost (see the fluid plan), and plan to drink more during similar runs; weighing "
        "yourself before and after tells you your own needs [runners-blueprint, weber]."
    ),
}



def advice(factor_id: str, units: str) -> str:
    """A factor's advice in the report's units: "the first km", "the first mile"."""
    return ADVICE[factor_id].format(split="mile" if units == "mi" else "km")


# Fluid figures (US fluid ounces), with their sources.
BEFORE_HOUR_OZ = (16, 24)  # about an hour before the start [luff2022]
BEFORE_START_OZ = (4, 8)  # right before the start [runners-blueprint, luff2022]
DURING_OZ = (6, 8)  # per drink [runners-blueprint, luff2022]
DURING_EVERY_MIN = (15, 20)  # minutes between drinks (15-20 [runners-blueprint], 20 [luff2022])
AFTER_OZ_PER_LB = 20  # per pound of body mass lost [runners-blueprint]
ACSM_L_PER_KG = (1.25, 1.5)  # per kg lost [sawka2007]
TYPICAL_SWEAT_L_H = (0.5, 2.0)  # typical runners
BAKER_SWEAT_L_H = (1.21, 0.68)  # mean, SD [baker2016]
SECONDS_PER_HOUR = 3600.0
ML_PER_L = 1000.0


def sweat_rate_l_h(weight_before_kg: float, weight_after_kg: float, fluid_l: float, hours: float, urine_l: float = 0.0) -> float:
    """Sweat rate, L/h = (mass before - mass after + fluid drunk - urine) / hours (1 kg of sweat ~ 1 L)."""
    if hours <= 0:
        raise ValueError("hours must be positive")
    return (weight_before_kg - weight_after_kg + fluid_l - urine_l) / hours


def acsm_oz_per_lb() -> tuple[float, float]:
    """ACSM's 1.25-1.5 L per kg, expressed in oz per lb (about 19-23)."""
    return tuple(l_kg * ML_PER_L / ML_PER_US_FL_OZ / LB_PER_KG for l_kg in ACSM_L_PER_KG)


def fluid_plan(duration_s: float, profile: RunnerProfile, thresholds: Thresholds, units: str = "mi") -> FluidPlan:
    """Before / during / after lines for a run of ``duration_s`` (elapsed), in the user's
    ``units`` ("mi": ounces and pounds; "km": mL, L and kg).

    The sweat rate is given when weights before/after and the fluid drunk are known; it uses
    elapsed time because the body-mass change spans the whole session.
    """
    minutes = duration_s / 60
    before = [
        f"About an hour before: {fmt.volume_range(*BEFORE_HOUR_OZ, units)} of water or another caffeine-free drink [luff2022].",
        f"Just before the start: a further {fmt.volume_range(*BEFORE_START_OZ, units)} [runners-blueprint, luff2022].",
    ]
    during = [f"Every {DURING_EVERY_MIN[0]}-{DURING_EVERY_MIN[1]} min: {fmt.volume_range(*DURING_OZ, units)} [runners-blueprint, luff2022]."]
    if minutes >= thresholds.long_run_moderate_min:
        during.append(
            f"This run lasted {minutes:.0f} min (at least {thresholds.long_run_moderate_min:g}): make part of it a "
            f"sports drink with sodium [runners-blueprint, luff2022]."
        )
    elif minutes >= thresholds.long_run_note_min:
        during.append(
            f"This run lasted {minutes:.0f} min: electrolytes (sports drink or electrolyte spray) are advised from "
            f"{thresholds.long_run_note_min:g} min [weber], a sports drink from {thresholds.long_run_moderate_min:g} min "
            f"[runners-blueprint, luff2022]."
        )
    else:
        during.append(
            f"For runs of {thresholds.long_run_moderate_min:g} min or more, make part of it a sports drink with sodium "
            f"[runners-blueprint, luff2022]; electrolytes are advised from {thresholds.long_run_note_min:g} min [weber]."
        )
    if profile.heavy_sweater or profile.salty_sweater:
        during.append(
            "You sweat heavily or saltily: work out a sodium and fluid plan of your own and try it in training, "
            "not on race day [two-cramps]."
        )
    during.append("Do not drink so much plain water that you gain weight during a run [weber].")

    low, high = acsm_oz_per_lb()
    after_l_per_kg = AFTER_OZ_PER_LB * ML_PER_US_FL_OZ * LB_PER_KG / ML_PER_L
    if units == "mi":
        after = [
            f"Drink about {AFTER_OZ_PER_LB} oz per lb of body mass lost [runners-blueprint].",
            f"ACSM suggests about {low:.0f}-{high:.0f} oz per lb lost [sawka2007].",
        ]
    else:
        after = [
            f"Drink about {after_l_per_kg:.2f} L per kg of body mass lost [runners-blueprint].",
            f"ACSM suggests {ACSM_L_PER_KG[0]:g}-{ACSM_L_PER_KG[1]:g} L per kg lost [sawka2007].",
        ]
    lost_kg = _mass_lost_kg(profile)
    if lost_kg is not None and lost_kg > 0:
        after.append(
            f"You lost {fmt.mass(lost_kg, units)}: about {fmt.litres(lost_kg * after_l_per_kg, units)} by the coaching rule, "
            f"{fmt.litres(lost_kg * ACSM_L_PER_KG[0], units)} to {fmt.litres(lost_kg * ACSM_L_PER_KG[1], units)} by ACSM's."
        )
    after.append("Urine the colour of pale lemonade means you are well hydrated; dark yellow means keep drinking [luff2022].")

    rate = None
    if lost_kg is not None and profile.fluid_l is not None and duration_s > 0:
        rate = sweat_rate_l_h(
            profile.weight_before_kg, profile.weight_after_kg, profile.fluid_l, duration_s / SECONDS_PER_HOUR, profile.urine_l or 0.0
        )
        (lo, hi), (mean, sd) = TYPICAL_SWEAT_L_H, BAKER_SWEAT_L_H
        if units == "mi":  # per hour in ounces
            lo, hi, mean, sd = (x * ML_PER_L / ML_PER_US_FL_OZ for x in (lo, hi, mean, sd))
            typical, athletes = f"{lo:.0f}-{hi:.0f} oz/h", f"{mean:.0f} ± {sd:.0f} oz/h"
        else:
            typical, athletes = f"{lo:g}-{hi:g} L/h", f"{mean:g} ± {sd:g} L/h"
        after.append(
            f"Your sweat rate on this run: {fmt.litres(rate, units)} per hour (typical runners {typical}; "
            f"{athletes} in athletes [baker2016])."
        )
    return FluidPlan(before=before, during=during, after=after, sweat_rate_l_h=rate)


def _mass_lost_kg(profile: RunnerProfile) -> float | None:
    if profile.weight_before_kg is None or profile.weight_after_kg is None:
        return None
    return profile.weight_before_kg - profile.weight_after_kg
