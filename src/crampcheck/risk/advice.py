"""Advice per risk factor and the fluid plan, in our own words (facts from shared/seeds).

Articles: 000 (cramp guide), 001 (causes/prevention), 002 (Anna Weber), 003 (Verywell Fit),
004 (two kinds of cramp). The fluid figures are the articles' figures, shown in ounces and
in millilitres/litres; the after-run rule is given twice, article 001 and ACSM, with sources.
"""

from __future__ import annotations

from crampcheck.risk import fmt
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import FluidPlan
from crampcheck.risk.thresholds import Thresholds

ADVICE: dict[str, str] = {
    "fast_start": (
        "Make the first mile (or km) the slowest of the run, slower than the one you mean to finish "
        "with; check your watch at the first marker and ease off if you are ahead of plan, and practise "
        "that restraint on training runs (articles 001, 003)."
    ),
    "fading_reps": (
        "The first reps were quicker than you could hold to the last: start the session at the pace you "
        "mean to finish it with, and count a set as done well when the last rep matches the first."
    ),
    "positive_split": (
        "Fading late usually means the early pace was more than today's fitness could carry: choose a "
        "pace you can hold to the end, and build it with race-pace and fast-finish sessions (articles 001, 004)."
    ),
    "no_warmup": (
        "Spend the first 5-10 minutes jogging slowly before settling into your running pace, so muscles, "
        "heart and lungs are ready; keep long static stretches for after the run (articles 000, 001, 003)."
    ),
    "no_cooldown": (
        "Do not stop dead at full effort: ease down into a gentle jog, then walk for about 5 minutes "
        "before stretching or showering (article 001)."
    ),
    "long_run": (
        "On runs past an hour take electrolytes as well as water (article 002); past 90 minutes part of "
        "what you drink should be a sports drink with sodium (articles 001, 003). Lengthen long runs "
        "gradually so the duration is one your legs are trained for (article 004)."
    ),
    "heat": (
        "Heat adds sweat loss and fatigue: run slower on hot days, drink to a plan rather than to thirst, "
        "and check the air temperature, since a wrist sensor reads warm (articles 000, 001)."
    ),
    "long_hot_run": (
        "Long and hot together is where fluid and sodium losses add up: carry a sports drink with sodium, "
        "drink on a schedule, and consider a shorter route or a cooler hour (articles 001, 002)."
    ),
    "hot_time_of_day": (
        "In warm weather move the run to early morning or evening, away from the middle of the day (article 001)."
    ),
    "surges": (
        "Sudden speed-ups load tired muscles, more so late in a run: change pace gradually, and if your "
        "races need surges, train for them with strides or fast finishes at the end of long runs (article 004)."
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
        "yourself before and after tells you your own needs (articles 001, 002)."
    ),
}

# Fluid figures (US fluid ounces), with their sources.
BEFORE_HOUR_OZ = (16, 24)  # about an hour before the start (article 003)
BEFORE_START_OZ = (4, 8)  # right before the start (articles 001, 003)
DURING_OZ = (6, 8)  # per drink (articles 001, 003)
DURING_EVERY_MIN = (15, 20)  # minutes between drinks (article 001: 15-20, article 003: 20)
AFTER_OZ_PER_LB = 20  # per pound of body mass lost (article 001)
ACSM_L_PER_KG = (1.25, 1.5)  # per kg lost (ACSM position stand, Sawka 2007)
TYPICAL_SWEAT_L_H = (0.5, 2.0)  # typical runners
BAKER_SWEAT_L_H = (1.21, 0.68)  # mean, SD (Baker et al., as cited in docs/risk-model.md)
SECONDS_PER_HOUR = 3600.0
ML_PER_L = 1000.0


def sweat_rate_l_h(weight_before_kg: float, weight_after_kg: float, fluid_l: float, hours: float, urine_l: float = 0.0) -> float:
    """Sweat rate, L/h = (mass before - mass after + fluid drunk - urine) / hours (1 kg of sweat ~ 1 L)."""
    if hours <= 0:
        raise ValueError("hours must be positive")
    return (weight_before_kg - weight_after_kg + fluid_l - urine_l) / hours


def acsm_oz_per_lb() -> tuple[float, float]:
    """ACSM's 1.25-1.5 L per kg, expressed in oz per lb (about 19-23)."""
    return tuple(l_kg * ML_PER_L / fmt.ML_PER_US_FL_OZ / fmt.LB_PER_KG for l_kg in ACSM_L_PER_KG)


def fluid_plan(duration_s: float, profile: RunnerProfile, thresholds: Thresholds) -> FluidPlan:
    """Before / during / after lines for a run of ``duration_s`` (elapsed), both unit systems.

    The sweat rate is given when weights before/after and the fluid drunk are known; it uses
    elapsed time because the body-mass change spans the whole session.
    """
    minutes = duration_s / 60
    before = [
        f"About an hour before: {fmt.volume_range(*BEFORE_HOUR_OZ)} of water or another caffeine-free drink (article 003).",
        f"Just before the start: a further {fmt.volume_range(*BEFORE_START_OZ)} (articles 001, 003).",
    ]
    during = [f"Every {DURING_EVERY_MIN[0]}-{DURING_EVERY_MIN[1]} min: {fmt.volume_range(*DURING_OZ)} (articles 001, 003)."]
    if minutes >= thresholds.long_run_moderate_min:
        during.append(
            f"This run lasted {minutes:.0f} min (at least {thresholds.long_run_moderate_min:g}): make part of it a "
            f"sports drink with sodium (articles 001, 003)."
        )
    elif minutes >= thresholds.long_run_note_min:
        during.append(
            f"This run lasted {minutes:.0f} min: article 002 advises electrolytes (sports drink or electrolyte "
            f"spray) from {thresholds.long_run_note_min:g} min; articles 001 and 003 put the sports-drink mark at "
            f"{thresholds.long_run_moderate_min:g} min."
        )
    else:
        during.append(
            f"For runs of {thresholds.long_run_moderate_min:g} min or more, make part of it a sports drink with sodium "
            f"(articles 001, 003); article 002 advises electrolytes from {thresholds.long_run_note_min:g} min."
        )
    if profile.heavy_sweater or profile.salty_sweater:
        during.append(
            "You sweat heavily or saltily: work out a sodium and fluid plan of your own and try it in training, "
            "not on race day (article 004)."
        )
    during.append("Do not drink so much plain water that you gain weight during a run (article 002).")

    low, high = acsm_oz_per_lb()
    after = [
        f"Drink about {AFTER_OZ_PER_LB} oz per lb of body mass lost ({AFTER_OZ_PER_LB * fmt.ML_PER_US_FL_OZ * fmt.LB_PER_KG / ML_PER_L:.2f} L per kg) (article 001).",
        f"ACSM suggests {ACSM_L_PER_KG[0]:g}-{ACSM_L_PER_KG[1]:g} L per kg lost (about {low:.0f}-{high:.0f} oz per lb) "
        f"(ACSM position stand, Sawka 2007).",
    ]
    lost_kg = _mass_lost_kg(profile)
    if lost_kg is not None and lost_kg > 0:
        article_l = lost_kg * fmt.LB_PER_KG * AFTER_OZ_PER_LB * fmt.ML_PER_US_FL_OZ / ML_PER_L
        after.append(
            f"You lost {fmt.mass(lost_kg)}: about {fmt.litres(article_l)} by article 001's rule, "
            f"{fmt.litres(lost_kg * ACSM_L_PER_KG[0])} to {fmt.litres(lost_kg * ACSM_L_PER_KG[1])} by ACSM's."
        )
    after.append("Urine the colour of pale lemonade means you are well hydrated; dark yellow means keep drinking (article 003).")

    rate = None
    if lost_kg is not None and profile.fluid_l is not None and duration_s > 0:
        rate = sweat_rate_l_h(
            profile.weight_before_kg, profile.weight_after_kg, profile.fluid_l, duration_s / SECONDS_PER_HOUR, profile.urine_l or 0.0
        )
        after.append(
            f"Your sweat rate on this run: {fmt.litres(rate)} per hour (typical runners {TYPICAL_SWEAT_L_H[0]:g}-"
            f"{TYPICAL_SWEAT_L_H[1]:g} L/h; Baker: {BAKER_SWEAT_L_H[0]} ± {BAKER_SWEAT_L_H[1]} L/h)."
        )
    return FluidPlan(before=before, during=during, after=after, sweat_rate_l_h=rate)


def _mass_lost_kg(profile: RunnerProfile) -> float | None:
    if profile.weight_before_kg is None or profile.weight_after_kg is None:
        return None
    return profile.weight_before_kg - profile.weight_after_kg
