"""Labels and texts of every report (workbook, video overlay, pictures) in Czech and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary", "frames": "Frames", "method": "Method", "charts": "Charts",
        "title": "Ergonomic risk assessment", "video": "Video", "duration_s": "Duration (s)",
        "frames_analysed": "Frames analysed", "analysis_fps": "Analysis rate (fps)",
        "detected_pct": "Frames with a person (%)", "max_score": "Maximum score", "worse_side": "Worse side",
        "median_score": "Median score", "max_action_level": "Highest action level", "verdict": "Verdict",
        "action": "Recommended action", "time_by_level": "Time per action level (%)", "level": "Action level",
        "worst_moments": "Worst moments", "time_s": "Time (s)", "frame": "Frame", "score": "Score",
        "side": "Side", "left": "left", "right": "right", "both": "both", "coverage": "Coverage (% of frames scorable)",
        "exposure": "Exposure (% of time per zone)", "body_part": "Body part", "zone": "Zone",
        "time_pct": "Time (%)", "longest_hold_s": "Longest hold (s)", "measured": "Measured from video",
        "declared": "Declared in the job", "assumed": "Assumed (default)", "setting": "Setting", "value": "Value",
        "software": "Software", "pose_model": "Pose model", "source_file": "Source file", "options": "Options",
        "generated": "Generated", "camera_pitch": "Camera pitch removed (deg)", "warnings": "Warnings",
        "trunk": "Trunk", "neck": "Neck", "upper_arm": "Upper arm", "lower_arm": "Lower arm", "wrist": "Wrist",
        "legs": "Legs", "no_person": "no person", "not_scorable": "not scorable", "risk_timeline": "Risk over time",
        "low": "low", "medium": "medium", "high": "high", "very_high": "very high", "negligible": "negligible",
        "acceptable": "acceptable", "investigate": "investigate", "change_soon": "change soon",
        "change_now": "change now",
    },
    "cs": {
        "summary": "Souhrn", "frames": "Snímky", "method": "Metodika", "charts": "Grafy",
        "title": "Hodnocení ergonomických rizik", "video": "Video", "duration_s": "Délka (s)",
        "frames_analysed": "Analyzované snímky", "analysis_fps": "Frekvence analýzy (snímků/s)",
        "detected_pct": "Snímky s osobou (%)", "max_score": "Maximální skóre", "worse_side": "Horší strana",
        "median_score": "Medián skóre", "max_action_level": "Nejvyšší akční úroveň", "verdict": "Verdikt",
        "action": "Doporučené opatření", "time_by_level": "Čas v akčních úrovních (%)", "level": "Akční úroveň",
        "worst_moments": "Nejhorší okamžiky", "time_s": "Čas (s)", "frame": "Snímek", "score": "Skóre",
        "side": "Strana", "left": "levá", "right": "pravá", "both": "obě",
        "coverage": "Pokrytí (% hodnotitelných snímků)", "exposure": "Expozice (% času v pásmu)",
        "body_part": "Část těla", "zone": "Pásmo", "time_pct": "Čas (%)", "longest_hold_s": "Nejdelší výdrž (s)",
        "measured": "Změřeno z videa", "declared": "Zadáno v úloze", "assumed": "Předpokládáno (výchozí)",
        "setting": "Nastavení", "value": "Hodnota", "software": "Software", "pose_model": "Model pózy",
        "source_file": "Zdrojový soubor", "options": "Volby", "generated": "Vytvořeno",
        "camera_pitch": "Odstraněný sklon kamery (°)", "warnings": "Upozornění",
        "trunk": "Trup", "neck": "Krk", "upper_arm": "Paže", "lower_arm": "Předloktí", "wrist": "Zápěstí",
        "legs": "Nohy", "no_person": "bez osoby", "not_scorable": "nelze hodnotit", "risk_timeline": "Riziko v čase",
        "low": "nízké", "medium": "střední", "high": "vysoké", "very_high": "velmi vysoké",
        "negligible": "zanedbatelné", "acceptable": "přijatelné", "investigate": "prošetřit",
        "change_soon": "brzy změnit", "change_now": "změnit ihned",
    },
}


def texts(language: str) -> dict[str, str]:
    """All labels for `language` ("cs" or "en")."""
    return TEXTS[language]
