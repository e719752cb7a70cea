"""The annotated video in its own process (when the pose stage leaves a core idle) writes the same video as
the thread does; its errors reach the caller; it never outlives the job, whatever ends the job."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import psutil
import pytest

from ergopipe import video_process
from ergopipe.config import AnalysisOptions, Settings

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


def _children() -> list[psutil.Process]:
    return [c for c in psutil.Process().children(recursive=True)
            if not any("resource_tracker" in part for part in c.cmdline())]


def _frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)]).astype(np.int16)


@pytest.mark.slow
def test_process_and_thread_write_the_same_annotated_video(tmp_path, monkeypatch):
    from ergopipe.pipeline import analyze

    options = AnalysisOptions(analysis_fps=10, workers=1)
    videos = {}
    for in_process in (True, False):
        monkeypatch.setattr(video_process, "core_left_idle", lambda *_a, _v=in_process: _v)
        result = analyze(CLIP, options, tmp_path / str(in_process), settings=Settings.from_env({}))
        seconds = result.timings_s["video"]
        assert seconds > 0 and seconds == round(seconds, 3)  # milliseconds, like the other stages
        videos[in_process] = _frames(result.outputs["video"])
        assert not _children()
    assert videos[True].shape == videos[False].shape == (100, 960, 540, 3)
    # The same drawing and encoder settings; multi-threaded x264 may place a few bits differently.
    assert np.abs(videos[True] - videos[False]).mean() < 0.5


@pytest.mark.slow
def test_a_later_stage_failing_stops_the_video_process(tmp_path, monkeypatch):
    from ergopipe.pipeline import analyze
    from ergopipe.report import outputs

    def broken_report(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(video_process, "core_left_idle", lambda *_a: True)
    monkeypatch.setattr(outputs, "write_report", broken_report)
    with pytest.raises(OSError, match="disk full"):
        analyze(CLIP, AnalysisOptions(analysis_fps=10, workers=1), tmp_path, settings=Settings.from_env({}))
    assert not _children()


def test_an_error_in_the_video_process_is_raised_by_wait(tmp_path):
    proc = video_process.VideoProcess()
    try:
        proc.start(out_dir=tmp_path, stem="x", info=None, seq=None, table=None, scores=None, language="en",
                   face_blur=True, spool_dir=None)
        with pytest.raises(AttributeError):
            proc.wait()
    finally:
        proc.close()
    assert not _children()


def test_a_waiting_video_process_is_stopped_when_not_needed():
    proc = video_process.VideoProcess()
    proc.close()
    assert not _children()
