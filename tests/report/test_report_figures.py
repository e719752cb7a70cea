"""Pictures: PNGs that decode, have a sensible size, are not one flat colour, and carry no English text in
a Czech report."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from ergopipe.report import figures
from ergopipe.report.i18n import texts


@pytest.mark.parametrize("language", ["cs", "en"])
def test_pictures_are_non_trivial_pngs(case, tmp_path, language):
    files = figures.write_figures(
        tmp_path, "w", case.table.time_s, case.scores.frames, "w.mp4", language=language
    )
    assert set(files) == {"timeline_png", "bodymap_png"}
    for path in files.values():
        img = Image.open(path)
        assert img.format == "PNG"
        assert img.width >= 400 and img.height >= 400
        rgb = np.asarray(img.convert("RGB"), dtype=float)
        assert rgb.std() > 20  # not one flat colour
        assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50


def _texts_of(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_czech_pictures_have_no_english_labels(case):
    en, cs = texts("en"), texts("cs")
    english = {v for k, v in en.items() if v != cs[k] and "{" not in v}
    found = _texts_of(figures.timeline_figure(case.table.time_s, case.scores.frames, "x", "cs"))
    found += _texts_of(figures.body_map_figure(case.scores.frames, "cs"))
    assert cs["time_s"] in found and cs["body_map_title"] in found
    assert not [s for s in found if s in english or any(e in s for e in english if len(e) > 6)]


def test_body_map_colours_follow_time_at_risk():
    assert figures.time_at_risk_pct(np.array([1, 1, 2, 3, np.nan])) == 50.0
    assert np.isnan(figures.time_at_risk_pct(np.array([np.nan, np.nan])))
