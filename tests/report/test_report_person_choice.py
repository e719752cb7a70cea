"""The multi-person model's note on which worker was analysed reads in the report's language."""

import pytest

from ergopipe import person_select as ps
from ergopipe.report.i18n_terms import person_choice_text

ENGLISH_WORDS = ("seen", "analysed", "tracked", "largest", "central", "brief", "ignored", "frames")


def _summary(track_id, n_frames, area_px2, centre_dist):
    return ps.TrackSummary(track_id, n_frames, n_frames / 60, area_px2, centre_dist)


@pytest.mark.parametrize("mode", ["auto", "largest", "central", "longest"])
def test_czech_note_has_the_same_facts_and_no_english(mode):
    summaries = [_summary(0, 60, 9e4, 0.05), _summary(1, 45, 4e4, 0.20), _summary(2, 2, 1e3, 0.4)]
    note = ps.choose_person(summaries, mode).reason
    assert note.startswith("2 people seen (+1 brief detection ignored); analysed person #1")  # the English
    cs = person_choice_text(note, "cs")
    assert cs.startswith("Osob v záběru: 2 (krátkých detekcí vynecháno: 1); analyzována osoba č. 1")
    assert f"(person={mode})" in cs and "sledována v 100 % snímků" in cs
    assert "největší" in cs and "nejblíže středu" in cs and "nejdéle sledovaná" in cs
    words = cs.replace(f"(person={mode})", "")  # the job's own option value stays as the user wrote it
    assert not [w for w in ENGLISH_WORDS if w in words]
    assert person_choice_text(note, "en") == note


def test_one_person_and_unknown_notes():
    note = ps.choose_person([_summary(0, 30, 9e4, 0.05)], "auto").reason
    assert person_choice_text(note, "cs") == "Osob v záběru: 1; analyzována osoba č. 1 (person=auto): sledována v 50 % snímků"
    assert person_choice_text("no person seen", "cs") == "Nebyla nalezena žádná osoba"
    assert person_choice_text("something new", "cs") == "something new"  # shown as written, not dropped
