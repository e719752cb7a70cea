"""analysis_fps end to end on the real clip: pose at the lower rate, annotated video at the source rate, and
the rate used stated in the JSON results and the Excel report."""

import json
from pathlib import Path

import av
import pytest

from ergopipe.config import AnalysisOptions, Settings
from ergopipe.pipeline import analyze
from ergopipe.report.i18n import texts

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"  # 100 frames, 60 fps


@pytest.mark.slow
def test_analysis_rate_lower_than_source(tmp_path):
    settings = Settings.from_env({})
    options = AnalysisOptions(analysis_fps=15, workers=1, language="en", smplx="off")
    result = analyze(CLIP, options, tmp_path, settings=settings, job_id="rate")
    assert result.summary["video"]["analysis_fps"] == pytest.approx(15)
    assert result.summary["video"]["frames_analysed"] == 25  # every 4th of 100 frames

    with av.open(str(result.outputs["video"])) as c:
        s = c.streams.video[0]
        assert float(s.average_rate) == pytest.approx(60)
        assert sum(1 for _ in c.decode(s)) == 100  # every source frame, not just the analysed ones

    saved = json.loads(result.outputs["json"].read_text(encoding="utf-8"))
    assert saved["summary"]["video"]["analysis_fps"] == pytest.approx(15)

    import openpyxl

    label = texts("en")["analysis_fps"]
    book = openpyxl.load_workbook(result.outputs["xlsx"], read_only=True)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) if label in row]
    assert rows, f"the workbook does not state '{label}'"
    assert any(isinstance(v, (int, float)) and v == pytest.approx(15) for v in rows[0])
