"""The real pipeline once on the Pose2Sim clip (MediaPipe + encoding): the annotated video decodes as H.264
with every source frame at the source rate, and the workbook carries thumbnails of the real worst moments."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from openpyxl import load_workbook

from ergopipe.config import AnalysisOptions, Settings
from ergopipe.report.i18n import texts

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from ergopipe.pipeline import analyze

    out = tmp_path_factory.mktemp("pipeline_report")
    options = AnalysisOptions(analysis_fps=10, language="cs", workers=1)
    return analyze(CLIP, options, out, settings=Settings.from_env({}), job_id="report-test")


def test_annotated_video_is_h264_with_every_source_frame(run):
    with av.open(str(CLIP)) as src:
        source_frames = sum(1 for _ in src.decode(video=0))
        source_fps = float(src.streams.video[0].average_rate)
    with av.open(str(run.outputs["video"])) as out:
        stream = out.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert float(stream.average_rate) == pytest.approx(source_fps, rel=1e-3)
        assert not out.streams.audio
        assert sum(1 for _ in out.decode(video=0)) == source_frames


def test_workbook_has_thumbnails_of_the_worst_moments(run):
    wb = load_workbook(run.outputs["xlsx"])
    summary = json.loads(Path(run.outputs["json"]).read_text("utf-8"))["summary"]
    ws = wb[texts("cs")["summary"]]
    moments = sum(len(summary[m]["worst_moments"]) for m in ("reba", "rula", "owas"))
    assert moments > 0
    assert len(ws._images) == 2 + moments
    assert all(p.exists() for k, p in run.outputs.items() if k.endswith("_png"))
