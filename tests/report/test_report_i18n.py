"""Both languages complete: same label keys, every action level translated, every column described, the
pipeline's English warnings and assumed-input reasons translated."""

from __future__ import annotations

import pytest

from ergopipe.errors import InputError
from ergopipe.methods.rules import SETTING_NAMES
from ergopipe.methods.summary import LEVELS
from ergopipe.report import outputs
from ergopipe.report.i18n import TEXTS, texts
from ergopipe.report.i18n_terms import (
    ACTION_TEXT_CS,
    RULE_TEXT,
    VERDICT,
    action_text,
    assumed_text,
    describe_column,
    warning_text,
)


def test_both_languages_have_the_same_keys():
    assert TEXTS["cs"].keys() == TEXTS["en"].keys()
    same = [k for k in TEXTS["en"] if TEXTS["en"][k] == TEXTS["cs"][k]]
    assert set(same) <= {"video"}  # "Video" is Czech too


def test_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="cs, en"):
        texts("de")


@pytest.mark.parametrize("method", sorted(LEVELS))
def test_every_action_level_has_a_czech_text_and_a_verdict(method):
    for level in LEVELS[method]:
        assert ACTION_TEXT_CS[(method, level)]
        assert action_text(method, level, "cs") != action_text(method, level, "en")
        assert set(VERDICT) >= {(method, level)}


def test_every_rule_setting_is_described():
    assert set(SETTING_NAMES) == set(RULE_TEXT)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_frames_column_is_described(case, language):
    columns = outputs.frames_table(case.table, case.scores).columns
    missing = [c for c in columns if not describe_column(c, language)]
    assert not missing
    assert describe_column("left_upper_arm_flexion_deg", "cs") == "paže – flexe, levá strana (°)"
    assert describe_column("reba_score", "en") == "REBA: final score"


def test_assumed_reasons_from_the_scoring_summary_are_translated(case):
    reasons = case.summary["inputs"]["assumed"].values()
    assert reasons
    for reason in reasons:
        cs = assumed_text(reason, "cs")
        assert cs != reason and "(" in cs, reason
    assert (
        assumed_text("False in 12.5% of frames (not measured there)", "cs")
        == "ne v 12.5 % snímků (tam neměřeno)"
    )


def test_pipeline_warnings_are_translated_and_unknown_ones_kept(case):
    for w in case.warnings:
        assert warning_text(w, "cs") != w
    assert (
        warning_text(
            "A person was detected in only 42% of the frames; the other frames are not scored.", "cs"
        )
        == "Osoba byla nalezena jen v 42% snímků; ostatní snímky nejsou hodnoceny"
    )
    assert warning_text("something new", "cs") == "something new"


def test_report_language_defaults_from_the_worker_environment():
    from ergopipe.config import Settings, parse_options

    settings = Settings.from_env({"ERGO_LANGUAGE": "en"})
    assert parse_options({}, settings).language == "en"
    assert parse_options({"language": "cs"}, settings).language == "cs"
