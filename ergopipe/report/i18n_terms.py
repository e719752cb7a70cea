"""Domain texts in Czech and English: action texts per method and level (column descriptions: i18n_columns),
rule settings, input values, exposure zones, and the pipeline's warnings.

The methods' tables hold English wording (ergopipe.methods.tables.action_text); English reports use it as
is, Czech reports use the translations here keyed by (method, level).
"""

from __future__ import annotations

import re
from typing import Any

from ergopipe.methods import tables
from ergopipe.report.i18n_columns import TERMS, describe_column, term

# Czech wording of each method's recommended action (English: ergopipe.methods.tables.action_text).
ACTION_TEXT_CS: dict[tuple[str, int], str] = {
    ("reba", 0): "Zanedbatelné riziko; opatření nejsou nutná",
    ("reba", 1): "Nízké riziko; opatření mohou být nutná",
    ("reba", 2): "Střední riziko; opatření jsou nutná",
    ("reba", 3): "Vysoké riziko; opatření jsou nutná brzy",
    ("reba", 4): "Velmi vysoké riziko; opatření jsou nutná ihned",
    ("rula", 1): "Přijatelné, pokud poloha není udržována ani opakována po dlouhou dobu",
    ("rula", 2): "Nutné další šetření; mohou být nutné změny",
    ("rula", 3): "Nutné šetření a brzké změny",
    ("rula", 4): "Nutné šetření a okamžité změny",
    ("owas", 1): "Nápravná opatření nejsou nutná",
    ("owas", 2): "Nápravná opatření jsou nutná v blízké budoucnosti",
    ("owas", 3): "Nápravná opatření jsou nutná co nejdříve",
    ("owas", 4): "Nápravná opatření jsou nutná okamžitě",
}

# Short traffic-light verdict per (method, level): (en, cs).
VERDICT: dict[tuple[str, int], tuple[str, str]] = {
    ("reba", 0): ("negligible risk", "zanedbatelné riziko"),
    ("reba", 1): ("low risk", "nízké riziko"),
    ("reba", 2): ("medium risk", "střední riziko"),
    ("reba", 3): ("high risk", "vysoké riziko"),
    ("reba", 4): ("very high risk", "velmi vysoké riziko"),
    ("rula", 1): ("acceptable", "přijatelné"),
    ("rula", 2): ("investigate", "prošetřit"),
    ("rula", 3): ("change soon", "brzy změnit"),
    ("rula", 4): ("change now", "změnit ihned"),
    ("owas", 1): ("no action", "bez opatření"),
    ("owas", 2): ("act in the near future", "opatření v blízké době"),
    ("owas", 3): ("act as soon as possible", "opatření co nejdříve"),
    ("owas", 4): ("act immediately", "opatření okamžitě"),
}


def action_text(method: str, level: int | None, language: str) -> str | None:
    """The method's recommended action for `level` in `language` (None when there is no level)."""
    if level is None:
        return None
    if language == "cs":
        return ACTION_TEXT_CS[(method, int(level))]
    return tables.action_text(method, int(level))


def verdict(method: str, level: int | None, language: str) -> str | None:
    if level is None:
        return None
    en, cs = VERDICT[(method, int(level))]
    return cs if language == "cs" else en


# Rule settings (ergopipe.methods.rules.RuleSettings): key -> (en, cs).
RULE_TEXT: dict[str, tuple[str, str]] = {
    "boundary": ("How a printed range a–b treats its ends", "Jak se počítají hranice rozsahu a–b"),
    "neutral_band_deg": (
        "|angle| up to this counts as neutral (°)",
        "|úhel| do této hodnoty je neutrální (°)",
    ),
    "reba_twist_side_bend": (
        "REBA: twist and side bend add one point or one each",
        "REBA: rotace a úklon přidávají jeden bod, nebo každý zvlášť",
    ),
    "rula_static_hold_s": (
        "RULA muscle use: posture held longer than (s)",
        "RULA svalová práce: poloha držená déle než (s)",
    ),
    "rula_heavy_intermittent_load_score": (
        "RULA force score for > 10 kg intermittent load",
        "RULA skóre síly pro přerušované zatížení > 10 kg",
    ),
    "twist_threshold_deg": ("Twist counts above (°)", "Rotace se počítá nad (°)"),
    "side_bend_threshold_deg": ("Side bend counts above (°)", "Úklon se počítá nad (°)"),
    "abduction_threshold_deg": ("Upper arm abduction counts above (°)", "Abdukce paže se počítá nad (°)"),
    "shoulder_raise_threshold_deg": ("Shoulder raised above (°)", "Rameno zvednuté nad (°)"),
    "wrist_deviation_threshold_deg": ("Wrist deviation counts above (°)", "Dukce zápěstí se počítá nad (°)"),
    "static_hold_s": ("Static posture: held longer than (s)", "Statická poloha: držena déle než (s)"),
    "static_band_deg": (
        "Static posture: angle stays within ± (°)",
        "Statická poloha: úhel se drží v rozmezí ± (°)",
    ),
    "repeated_per_min": ("Repeated: more actions per minute than", "Opakované: více pohybů za minutu než"),
    "repetition_hysteresis_deg": (
        "Dead band around each threshold crossing (°)",
        "Pásmo necitlivosti kolem každého překročení prahu (°)",
    ),
    "owas_knee_bent_deg": ("OWAS: knee counts as bent above (°)", "OWAS: koleno je pokrčené nad (°)"),
}

# Values of settings, task factors and sources: value -> (en, cs).
VALUE_TEXT: dict[str, tuple[str, str]] = {
    "True": ("yes", "ano"),
    "False": ("no", "ne"),
    "lower_exclusive": ("a < x ≤ b", "a < x ≤ b"),
    "lower_inclusive": ("a ≤ x < b", "a ≤ x < b"),
    "single": ("one point", "jeden bod"),
    "separate": ("one point each", "bod za každý"),
    "intermittent": ("intermittent", "přerušované"),
    "static": ("static", "statické"),
    "repeated": ("repeated", "opakované"),
    "good": ("good", "dobrý"),
    "fair": ("fair", "přijatelný"),
    "poor": ("poor", "špatný"),
    "unacceptable": ("unacceptable", "nepřijatelný"),
    "keypoints": ("body keypoints (MediaPipe)", "klíčové body těla (MediaPipe)"),
    "smplx": ("SMPL-X body model", "model těla SMPL-X"),
    "estimated": ("estimated from the video", "odhadnuto z videa"),
    "declared": ("declared in the job", "zadáno v úloze"),
    "none": ("not corrected", "neopraveno"),
    "derived": ("derived from video", "odvozeno z videa"),
    "declared in part": ("declared in part", "zadáno zčásti"),
    "task": ("task", "úloha"),
    "task_ranges": ("task ranges", "časové úseky úlohy"),
}

TASK_TEXT: dict[str, tuple[str, str]] = {
    "load_kg": ("Load (kg)", "Břemeno (kg)"),
    "shock": ("Shock or rapid force", "Ráz nebo náhlá síla"),
    "load_pattern": ("Load pattern", "Charakter zatížení"),
    "coupling": ("Coupling (grip)", "Úchop"),
    "static_posture": ("Static posture", "Statická poloha"),
    "repeated_actions": ("Repeated actions", "Opakované pohyby"),
    "rapid_large_changes": ("Rapid large changes of posture", "Rychlé velké změny polohy"),
    "arm_supported": ("Arm supported", "Paže podepřená"),
    "wrist_twisted": ("Wrist twisted", "Zápěstí rotované"),
    "wrist_twist_end_of_range": ("Wrist twist near end of range", "Rotace zápěstí u krajní polohy"),
    "shoulder_raised": ("Shoulder raised", "Rameno zvednuté"),
    "wrist_deviated": ("Wrist deviated", "Zápěstí v dukci"),
}

ZONE_TEXT: dict[str, tuple[str, str]] = {
    "< 0 (extension)": ("< 0° (extension)", "< 0° (extenze)"),
    "0-20": ("0–20°", "0–20°"),
    "20-60": ("20–60°", "20–60°"),
    "> 60": ("> 60°", "> 60°"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "cs" else pair[0]


def value_text(value: Any, language: str) -> Any:
    """A setting or input value in words where it is a known word (numbers stay numbers)."""
    key = str(value) if isinstance(value, (bool, str)) else None
    return _pick(VALUE_TEXT[key], language) if key in VALUE_TEXT else value


def rule_text(key: str, language: str) -> str:
    return _pick(RULE_TEXT[key], language) if key in RULE_TEXT else key


def zone_text(zone: str, language: str) -> str:
    return _pick(ZONE_TEXT[zone], language) if zone in ZONE_TEXT else zone


def input_name(key: str, language: str) -> str:
    """Name of an input factor (task factor, unmeasurable flag or per-frame column) in words."""
    bare = key.removeprefix("task.")
    if bare in TASK_TEXT:
        return _pick(TASK_TEXT[bare], language)
    return describe_column(bare, language) or key


# The assumed-input reasons written by ergopipe.methods (English) -> (en, cs) with the value re-inserted.
_ASSUMED = [
    (
        re.compile(r"^(.*) \(video cannot measure it\)$"),
        ("{0} (video cannot measure it)", "{0} (z videa nelze změřit)"),
    ),
    (
        re.compile(r"^(.*) \(not declared in the job\)$"),
        ("{0} (not declared in the job)", "{0} (nezadáno v úloze)"),
    ),
    (re.compile(r"^0 deg \(not provided by the angle stage\)$"), ("0° (not measured)", "0° (neměřeno)")),
    (
        re.compile(r"^(True|False) in ([\d.]+)% of frames \(not measured there\)$"),
        ("{0} in {1} % of frames (not measured there)", "{0} v {1} % snímků (tam neměřeno)"),
    ),
]
# Warnings of the pipeline (English, from ergopipe.pipeline / ergopipe.clean) -> (en, cs).
_WARNINGS = [
    (
        re.compile(r"^left/right labels swapped back in (\d+) frames$"),
        ("Left/right labels swapped back in {0} frames", "Označení levá/pravá opraveno v {0} snímcích"),
    ),
    (
        re.compile(r"^camera tilt not corrected: (\d+) upright frames, confidence ([\d.]+);.*$"),
        (
            (
                "Camera tilt not corrected ({0} upright frames, confidence {1}): declare camera_pitch_deg "
                "or film a few seconds of upright standing"
            ),
            (
                "Sklon kamery nebyl opraven ({0} snímků ve vzpřímeném stoji, spolehlivost {1}): zadejte "
                "camera_pitch_deg nebo natočte několik sekund vzpřímeného stoje"
            ),
        ),
    ),
    (
        re.compile(r"^Only (\d+) of about (\d+) frames could be decoded.*$"),
        (
            "Only {0} of about {1} frames could be decoded: the file may be truncated",
            "Dekódovat šlo jen {0} z přibližně {1} snímků: soubor může být useknutý",
        ),
    ),
    (
        re.compile(r"^A person was detected in only (\d+%) of the frames.*$"),
        (
            "A person was detected in only {0} of the frames; the other frames are not scored",
            "Osoba byla nalezena jen v {0} snímků; ostatní snímky nejsou hodnoceny",
        ),
    ),
]


def _translate(text: str, patterns: list[tuple[re.Pattern[str], tuple[str, str]]], language: str) -> str:
    for pattern, pair in patterns:
        m = pattern.match(text)
        if m:
            groups = [value_text(g, language) for g in m.groups()]
            return _pick(pair, language).format(*groups)
    return text  # unknown text: shown as written rather than dropped


def assumed_text(reason: str, language: str) -> str:
    return _translate(str(reason), _ASSUMED, language)


def warning_text(warning: str, language: str) -> str:
    return _translate(str(warning), _WARNINGS, language)


# The multi-person model's choice (ergopipe.person_select._reason, English) -> the report language.
_PERSON_CHOICE = re.compile(
    r"^(\d+) (?:person|people) seen(?: \(\+(\d+) brief detections? ignored\))?; "
    r"analysed person #(\d+) \(person=(\w+)\): tracked in (\d+)% of frames((?:, [a-z ]+)*)$"
)
_TRAITS = {
    "largest": ("largest", "největší"),
    "most central": ("most central", "nejblíže středu"),
    "longest tracked": ("longest tracked", "nejdéle sledovaná"),
}


def person_choice_text(note: str, language: str) -> str:
    """Which person was analysed and why, in the report language (unknown text is shown as written)."""
    if note == "no person seen":
        return _pick(("No person seen", "Nebyla nalezena žádná osoba"), language)
    m = _PERSON_CHOICE.match(note)
    if m is None or language == "en":
        return note
    seen, brief, number, mode, share_pct, traits = m.groups()
    people = f"Osob v záběru: {seen}" + (f" (krátkých detekcí vynecháno: {brief})" if brief else "")
    words = [f"sledována v {share_pct} % snímků"]
    words += [_pick(_TRAITS[t], language) for t in traits.split(", ") if t in _TRAITS]
    return f"{people}; analyzována osoba č. {number} (person={mode}): {', '.join(words)}"


def axis_text(axis: str, language: str) -> str:
    """A table axis such as 'upper_arm 1..6' or 'score_c 1..8 (8 = 8+)' in words."""
    name, _, rest = axis.partition(" ")
    return f"{term(name, language) if name in TERMS else name} {rest}".strip()
