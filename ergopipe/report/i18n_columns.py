"""Descriptions of the per-frame columns (`<stem>_frames.csv`, the Frames sheet) in Czech and English,
composed from the words of the column names: side, method, body part, angle, unit."""

from __future__ import annotations

import re

# Words that make up the per-frame column names: token -> (en, cs).
TERMS: dict[str, tuple[str, str]] = {
    "frame": ("frame number in the source video", "číslo snímku ve zdrojovém videu"),
    "time_s": ("time from the start of the video", "čas od začátku videa"),
    "detected": ("person detected (1) or not (0)", "osoba nalezena (1) nebo ne (0)"),
    "trunk": ("trunk", "trup"),
    "neck": ("neck", "krk"),
    "legs": ("legs", "nohy"),
    "upper_arm": ("upper arm", "paže"),
    "lower_arm": ("lower arm", "předloktí"),
    "wrist": ("wrist", "zápěstí"),
    "wrist_twist": ("wrist twist", "rotace zápěstí"),
    "back": ("back", "záda"),
    "arms": ("arms", "horní končetiny"),
    "elbow": ("elbow", "loket"),
    "knee": ("knee", "koleno"),
    "shoulder": ("shoulder", "rameno"),
    "flexion": ("flexion", "flexe"),
    "side_bend": ("side bend", "úklon"),
    "twist": ("twist", "rotace"),
    "abduction": ("abduction", "abdukce"),
    "raise": ("raise", "zvednutí"),
    "deviation": ("radial/ulnar deviation", "radiální/ulnární dukce"),
    "load": ("load/force score", "skóre zatížení/síly"),
    "coupling": ("coupling score", "skóre úchopu"),
    "activity": ("activity score", "skóre aktivity"),
    "force": ("force/load score", "skóre síly/zatížení"),
    "muscle_a": ("muscle use score, arm group", "skóre svalové práce, skupina paže"),
    "muscle_b": ("muscle use score, neck/trunk group", "skóre svalové práce, skupina krk/trup"),
    "table_a": ("table A value", "hodnota tabulky A"),
    "table_b": ("table B value", "hodnota tabulky B"),
    "table_c": ("table C value", "hodnota tabulky C"),
    "score_a": ("score A", "skóre A"),
    "score_b": ("score B", "skóre B"),
    "score_c": ("score C", "skóre C"),
    "score_d": ("score D", "skóre D"),
    "score": ("final score", "výsledné skóre"),
    "worse_side": ("worse side (-1 left, 1 right, 0 both)", "horší strana (-1 levá, 1 pravá, 0 obě)"),
    "action_level": ("action level", "akční úroveň"),
    "action_category": ("action category", "akční kategorie"),
    "lower_arm_across_midline_or_out_to_side": (
        "lower arm across the midline or out to the side (1/0)",
        "předloktí přes střed těla nebo do strany (1/0)",
    ),
    "bilateral_weight_bearing": ("weight on both legs (1/0)", "váha na obou nohou (1/0)"),
    "seated": ("seated (1/0)", "vsedě (1/0)"),
    "walking": ("walking (1/0)", "chůze (1/0)"),
    "kneeling": ("kneeling (1/0)", "vkleče (1/0)"),
    "static_posture": ("static posture (1/0)", "statická poloha (1/0)"),
    "repeated_actions": ("repeated actions (1/0)", "opakované pohyby (1/0)"),
    "left": ("left", "levá strana"),
    "right": ("right", "pravá strana"),
    "part_score": ("part score", "skóre části"),
    "code": ("posture code", "kód polohy"),
}
_PART_WORDS = ("trunk", "neck", "legs", "upper_arm", "lower_arm", "wrist", "wrist_twist", "back", "arms")
_JOINT_ANGLE = re.compile(
    r"^(trunk|neck|upper_arm|shoulder|elbow|wrist|knee)_(flexion|side_bend|twist|abduction"
    r"|raise|deviation)$"
)


def term(key: str, language: str) -> str:
    en, cs = TERMS[key]
    return cs if language == "cs" else en


def describe_column(name: str, language: str) -> str | None:
    """Readable description of a per-frame column name (None if the name is not known)."""
    if name in ("frame", "time_s", "detected"):
        return term(name, language)
    side = None
    for s in ("left", "right"):
        if name.startswith(f"{s}_"):
            side, name = s, name[len(s) + 1 :]
        elif name.endswith(f"_{s}"):
            side, name = s, name[: -len(s) - 1]
    unit = ""
    if name.endswith("_deg"):
        name, unit = name[:-4], " (°)"
    method = None
    if name.split("_", 1)[0] in ("reba", "rula", "owas"):
        method, name = name.split("_", 1)
    text: str | None = None
    if method and name in _PART_WORDS:
        kind = "code" if method == "owas" else "part_score"
        text = f"{term(name, language)} – {term(kind, language)}"
    elif name in TERMS:
        text = term(name, language)
    elif (m := _JOINT_ANGLE.match(name)) is not None:
        text = f"{term(m.group(1), language)} – {term(m.group(2), language)}"
    if text is None:
        return None
    prefix = f"{method.upper()}: " if method else ""
    suffix = f", {term(side, language)}" if side else ""
    return f"{prefix}{text}{suffix}{unit}"
