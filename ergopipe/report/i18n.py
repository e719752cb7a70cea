"""Labels of every report (workbook, video overlay, pictures) in Czech and English.

`texts(language)` gives the short labels; longer domain texts (action texts, column and rule descriptions,
warnings) are in `ergopipe.report.i18n_terms`. Both languages must have exactly the same keys (tested).
"""

from __future__ import annotations

from ergopipe.errors import InputError

LANGUAGES = ("cs", "en")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # sheets
        "summary": "Summary", "frames": "Frames", "method": "Method", "charts": "Charts", "columns": "Columns",
        # summary sheet
        "title": "Ergonomic risk assessment", "video": "Video", "duration_s": "Duration (s)",
        "frames_analysed": "Frames analysed", "analysis_fps": "Analysis rate (frames/s)",
        "detected_pct": "Frames with a person (%)", "max_score": "Maximum score", "worse_side": "Worse side",
        "median_score": "Median score", "max_action_level": "Highest action level", "verdict": "Verdict",
        "action": "Recommended action", "time_by_level": "Time per action level (%)", "level": "Action level",
        "category": "Action category", "verdict_heading": "Verdict per method (traffic light = highest level)",
        "worst_moments": "Worst moments", "time_s": "Time (s)", "frame": "Frame", "score": "Score",
        "side": "Side", "left": "left", "right": "right", "both": "both",
        "coverage": "Coverage (% of analysed time)", "exposure": "Exposure (% of measured time per angle zone)",
        "body_part": "Body part", "zone": "Zone", "time_pct": "Time (%)", "longest_hold_s": "Longest hold (s)",
        "static_pct": "Static hold (% of time)", "actions_per_min": "Max. actions per minute",
        "measured": "Measured from video", "declared": "Declared in the job", "assumed": "Assumed (default)",
        "derived": "Derived from video", "inputs": "Inputs: measured, declared, assumed",
        "scorable": "Scorable (%)", "both_sides_scorable": "Both sides scorable (%)",
        "part_coverage": "Body parts measurable (% of time)", "method_coverage": "Method scorable (% of time)",
        "moment_caption": "{time} s · score {score}", "thumbnail_missing": "picture not available",
        "no_moments": "no scorable frame", "pictures": "Pictures", "generated": "Generated",
        "source_frame": "Video frame", "frames_with_person": "Frames with a person",
        "none": "none", "yes": "yes", "no": "no",
        # method sheet
        "setting": "Setting", "value": "Value", "description": "Description", "software": "Software",
        "pose_model": "Pose model", "source_file": "Source file", "options": "Options", "job_id": "Job ID",
        "versions": "Software and model versions", "rules": "Rule settings", "tables": "Scoring tables used",
        "gravity": "Gravity / camera tilt estimate", "angle_sources": "Angle sources",
        "camera_pitch": "Camera pitch removed (deg)", "camera_roll": "Camera roll removed (deg)",
        "gravity_confidence": "Estimate confidence (0–1)", "gravity_source": "Source of the tilt",
        "warnings": "Warnings", "provenance": "Reproducibility", "rows": "rows", "columns_axis": "columns",
        "activity": "Activity (static / repeated)", "activity_source": "Source",
        "table_note": "Lookup tables as used by the software (rows × columns as named).",
        "library": "Library", "column": "Column", "unit": "Unit",
        "frames_note": "Column names are the same as in the CSV file; descriptions are in the sheet '{sheet}'.",
        # body parts and states (also used by the video overlay)
        "trunk": "Trunk", "neck": "Neck", "upper_arm": "Upper arm", "lower_arm": "Lower arm", "wrist": "Wrist",
        "legs": "Legs", "no_person": "no person", "not_scorable": "not scorable", "risk_timeline": "Risk over time",
        "low": "low", "medium": "medium", "high": "high", "very_high": "very high", "negligible": "negligible",
        "acceptable": "acceptable", "investigate": "investigate", "change_soon": "change soon",
        "change_now": "change now",
        # charts and pictures
        "score_over_time": "{method} score over time", "zones_chart": "Time per angle zone per body part (%)",
        "levels_chart": "{method}: time per action level (%)",
        "categories_chart": "{method}: time per action category (%)", "body_map": "Body map",
        "body_map_title": "Share of time with a part score above neutral (REBA)",
        "body_map_legend": "% of time with a raised part score", "not_measured": "not measured",
        "level_n": "Level {n}", "category_n": "Category {n}",
    },
    "cs": {
        "summary": "Souhrn", "frames": "Snímky", "method": "Metodika", "charts": "Grafy", "columns": "Sloupce",
        "title": "Hodnocení ergonomických rizik", "video": "Video", "duration_s": "Délka (s)",
        "frames_analysed": "Analyzované snímky", "analysis_fps": "Frekvence analýzy (snímků/s)",
        "detected_pct": "Snímky s osobou (%)", "max_score": "Maximální skóre", "worse_side": "Horší strana",
        "median_score": "Medián skóre", "max_action_level": "Nejvyšší akční úroveň", "verdict": "Verdikt",
        "action": "Doporučené opatření", "time_by_level": "Čas v akčních úrovních (%)", "level": "Akční úroveň",
        "category": "Akční kategorie", "verdict_heading": "Verdikt podle metody (semafor = nejvyšší úroveň)",
        "worst_moments": "Nejhorší okamžiky", "time_s": "Čas (s)", "frame": "Snímek", "score": "Skóre",
        "side": "Strana", "left": "levá", "right": "pravá", "both": "obě",
        "coverage": "Pokrytí (% analyzovaného času)", "exposure": "Expozice (% měřeného času v úhlovém pásmu)",
        "body_part": "Část těla", "zone": "Pásmo", "time_pct": "Čas (%)", "longest_hold_s": "Nejdelší výdrž (s)",
        "static_pct": "Statická výdrž (% času)", "actions_per_min": "Max. počet pohybů za minutu",
        "measured": "Změřeno z videa", "declared": "Zadáno v úloze", "assumed": "Předpokládáno (výchozí)",
        "derived": "Odvozeno z videa", "inputs": "Vstupy: změřené, zadané, předpokládané",
        "scorable": "Hodnotitelné (%)", "both_sides_scorable": "Obě strany hodnotitelné (%)",
        "part_coverage": "Měřitelné části těla (% času)", "method_coverage": "Hodnotitelnost metody (% času)",
        "moment_caption": "{time} s · skóre {score}", "thumbnail_missing": "obrázek není k dispozici",
        "no_moments": "žádný hodnotitelný snímek", "pictures": "Obrázky", "generated": "Vytvořeno",
        "source_frame": "Snímek videa", "frames_with_person": "Snímky s osobou",
        "none": "žádné", "yes": "ano", "no": "ne",
        "setting": "Nastavení", "value": "Hodnota", "description": "Popis", "software": "Program",
        "pose_model": "Model pózy", "source_file": "Zdrojový soubor", "options": "Volby", "job_id": "ID úlohy",
        "versions": "Verze programu a modelů", "rules": "Nastavení pravidel", "tables": "Použité tabulky metod",
        "gravity": "Odhad gravitace / sklonu kamery", "angle_sources": "Zdroje úhlů",
        "camera_pitch": "Odstraněný sklon kamery (°)", "camera_roll": "Odstraněný náklon kamery (°)",
        "gravity_confidence": "Spolehlivost odhadu (0–1)", "gravity_source": "Původ sklonu",
        "warnings": "Upozornění", "provenance": "Reprodukovatelnost", "rows": "řádky", "columns_axis": "sloupce",
        "activity": "Aktivita (statická / opakovaná)", "activity_source": "Původ",
        "table_note": "Vyhledávací tabulky tak, jak je program používá (řádky × sloupce podle názvů).",
        "library": "Knihovna", "column": "Sloupec", "unit": "Jednotka",
        "frames_note": "Názvy sloupců jsou stejné jako v souboru CSV; popisy jsou na listu „{sheet}“.",
        "trunk": "Trup", "neck": "Krk", "upper_arm": "Paže", "lower_arm": "Předloktí", "wrist": "Zápěstí",
        "legs": "Nohy", "no_person": "bez osoby", "not_scorable": "nelze hodnotit", "risk_timeline": "Riziko v čase",
        "low": "nízké", "medium": "střední", "high": "vysoké", "very_high": "velmi vysoké",
        "negligible": "zanedbatelné", "acceptable": "přijatelné", "investigate": "prošetřit",
        "change_soon": "brzy změnit", "change_now": "změnit ihned",
        "score_over_time": "Skóre {method} v čase", "zones_chart": "Čas v úhlových pásmech podle části těla (%)",
        "levels_chart": "{method}: čas v akčních úrovních (%)",
        "categories_chart": "{method}: čas v akčních kategoriích (%)", "body_map": "Mapa těla",
        "body_map_title": "Podíl času se zvýšeným skóre části těla (REBA)",
        "body_map_legend": "% času se zvýšeným skóre části", "not_measured": "neměřeno",
        "level_n": "Úroveň {n}", "category_n": "Kategorie {n}",
    },
}


def check_language(language: str) -> str:
    """`language` if it is supported, else InputError naming the choices."""
    if language not in TEXTS:
        raise InputError(f"Report language must be one of {', '.join(LANGUAGES)}, not {language!r}.")
    return language


def texts(language: str) -> dict[str, str]:
    """All short labels for `language` ("cs" or "en")."""
    return TEXTS[check_language(language)]
