"""The only place that knows the stage order. Knows nothing about RunPod or Google Drive.

video -> pose -> clean (gravity frame) -> [SMPL-X fit] -> angles -> scores -> CSV, JSON, Excel, video.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ergopipe import __version__
from ergopipe.config import AnalysisOptions, Settings
from ergopipe.errors import BodyModelError, NoPersonError, VideoError
from ergopipe.types import AngleTable, CleanPose, VideoInfo, VideoScores

log = logging.getLogger(__name__)

MIN_DETECTED_FRACTION = 0.05  # below this there is nothing an ergonomist could trust
WARN_DETECTED_FRACTION = 0.90

# Stage weights for the overall percentage reported to RunPod and the terminal (pose dominates).
STAGE_WEIGHTS = {"probe": 1, "pose": 55, "clean": 1, "body_model": 8, "angles": 1, "scores": 1,
                 "tables": 2, "report": 6, "video": 25}

ProgressFn = Callable[[str, float], None]  # (stage name, overall fraction 0..1)


@dataclass
class AnalysisResult:
    summary: dict[str, Any]
    outputs: dict[str, Path]
    timings_s: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _Stages:
    """Times each stage, logs one INFO line per stage and reports overall progress."""

    def __init__(self, job_id: str, on_progress: ProgressFn | None) -> None:
        self.job_id, self.on_progress = job_id, on_progress
        self.timings_s: dict[str, float] = {}
        self._done = 0.0
        self._total = float(sum(STAGE_WEIGHTS.values()))
        self._on_failure: list[Callable[[], None]] = []

    def on_failure(self, cleanup: Callable[[], None]) -> None:
        """Run `cleanup` if any later stage raises (e.g. stop a background stage)."""
        self._on_failure.append(cleanup)

    @contextmanager
    def stage(self, name: str) -> Iterator[Callable[[float], None]]:
        start = time.perf_counter()
        base = self._done

        def within(fraction: float) -> None:
            if self.on_progress:
                self.on_progress(name, (base + STAGE_WEIGHTS[name] * fraction) / self._total)

        if self.on_progress:
            self.on_progress(name, base / self._total)
        try:
            yield within
        except BaseException:
            for cleanup in self._on_failure:
                cleanup()
            raise
        self.timings_s[name] = round(time.perf_counter() - start, 3)
        self._done += STAGE_WEIGHTS[name]
        log.info("job %s: stage %s done in %.2f s", self.job_id, name, self.timings_s[name])


def check_limits(info: VideoInfo, settings: Settings) -> None:
    if info.size_bytes > settings.max_video_bytes:
        raise VideoError(
            f"'{Path(info.path).name}' is {info.size_bytes / 1e6:.0f} MB; the limit is "
            f"{settings.max_video_bytes / 1e6:.0f} MB. Trim the video or raise MAX_VIDEO_BYTES."
        )
    if info.duration_s > settings.max_video_duration_s:
        raise VideoError(
            f"'{Path(info.path).name}' lasts {info.duration_s / 60:.1f} min; the limit is "
            f"{settings.max_video_duration_s / 60:.1f} min. Split the video or raise MAX_VIDEO_DURATION_S."
        )


def analyze(video_path: Path, options: AnalysisOptions, out_dir: Path, *, settings: Settings,
            job_id: str = "local", source_name: str | None = None,
            on_progress: ProgressFn | None = None, pose_processes: Any = None) -> AnalysisResult:
    """Run the whole assessment on one video and write the outputs into `out_dir`. `pose_processes`
    (ergopipe.pose_procs.PoseProcesses) are pose processes the caller started while it fetched the video."""
    # The pose stage keeps small pictures of the analysed frames for the report (ergopipe.spool); they are
    # not face-blurred yet, so they live exactly as long as the job.
    # `cleanup` stops helper processes (the annotated video's) however the job ends, before the spool goes.
    with tempfile.TemporaryDirectory(prefix="ergo-spool-") as spool_dir, ExitStack() as cleanup:
        return _analyze(video_path, options, out_dir, settings=settings, job_id=job_id,
                        source_name=source_name, on_progress=on_progress, spool_dir=Path(spool_dir),
                        pose_processes=pose_processes, cleanup=cleanup)


def _analyze(video_path: Path, options: AnalysisOptions, out_dir: Path, *, settings: Settings,
             job_id: str, source_name: str | None, on_progress: ProgressFn | None,
             spool_dir: Path, pose_processes: Any, cleanup: ExitStack) -> AnalysisResult:
    from ergopipe import background, methods, pose, video

    stages = _Stages(job_id, on_progress)
    warnings: list[str] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(source_name or video_path.name).stem

    with stages.stage("probe"):
        info = video.probe(video_path)
        check_limits(info, settings)
        task = methods.parse_task_input(options.task, options.task_ranges, options.rules)

    prewarm: list[threading.Thread] = []
    video_proc = None
    with stages.stage("pose") as progress:
        stride = video.stride_for(info, options.analysis_fps)
        workers = options.workers or pose.default_workers()
        if options.annotated_video and settings.pose_model_path is None:
            from ergopipe import video_process

            if video_process.core_left_idle(info, stride, workers):  # the video's process imports there
                video_proc = cleanup.enter_context(closing(video_process.VideoProcess()))
        if settings.pose_model_path is not None:
            # The Tasks API (heavy .task model) sees several people and analyses the chosen one.
            from ergopipe.pose_tasks import estimate_tasks

            seq = estimate_tasks(info, model_path=settings.pose_model_path, stride=stride,
                                 person=options.person, on_progress=progress, spool_dir=spool_dir)
        else:
            # MediaPipe runs in its own processes; this one imports the later stages' libraries meanwhile,
            # at the lowest priority so the imports do not take CPU from the model.
            seq = pose.estimate(info, stride=stride, workers=workers, on_progress=progress,
                                while_waiting=lambda: prewarm.append(background.prewarm_in_idle_time()),
                                spool_dir=spool_dir, video_spool=_video_spool(info, options, settings, spool_dir),
                                processes=pose_processes)
            if options.person != "auto":
                warnings.append(f"'person': '{options.person}' needs the multi-person model (POSE_MODEL_PATH); "
                                "the default model follows the one person it finds first.")
    for thread in prewarm:  # whatever the pose stage left of the imports (not timed as pose)
        thread.join()
    from ergopipe import angles as angles_mod  # imported (scipy, pandas) while the pose stage ran
    from ergopipe import clean
    from ergopipe.report import outputs

    if seq.n_frames == 0:
        raise VideoError(f"'{stem}' decoded to 0 frames; the file is corrupt or truncated. Re-export it.")
    if seq.n_frames < 0.9 * (-(-info.n_frames // stride)):
        warnings.append(f"Only {seq.n_frames} of about {info.n_frames // stride} frames could be decoded: "
                        "the file may be truncated.")
    detected = float(seq.detected.mean())
    if detected < MIN_DETECTED_FRACTION:
        raise NoPersonError(
            f"No person was found in '{stem}' ({detected:.0%} of {seq.n_frames} frames). Film the whole body "
            "of one worker, well lit, from the side or at an angle, and upload again."
        )
    if detected < WARN_DETECTED_FRACTION:
        warnings.append(f"A person was detected in only {detected:.0%} of the frames; the other frames are "
                        "not scored.")

    with stages.stage("clean"):
        cleaned = clean.clean_pose(seq, camera_pitch_deg=options.camera_pitch_deg)
        warnings.extend(cleaned.notes)

    body_files: dict[str, Path] = {}
    with stages.stage("body_model"):
        fit, body_note = _maybe_fit_body_model(cleaned, options, settings)
        if body_note:
            warnings.append(body_note)
        if fit is not None:
            from ergopipe import body_model

            body_files["smplx_npz"] = body_model.save_fit_npz(fit, out_dir / f"{stem}_smplx.npz")
            body_files["smplx_png"] = body_model.render_fit_check(
                fit, cleaned, out_dir / f"{stem}_smplx_check.png", _check_frames(fit))

    with stages.stage("angles"):
        table = angles_mod.compute_angles(cleaned)
        if fit is not None:
            table = _apply_fit_angles(table, fit)

    with stages.stage("scores"):
        scores = methods.score_video(table.columns, table.time_s, methods=options.methods, **task)
        scores = add_source_frames(scores, table.frame_index)

    summary = {
        "video": {"name": source_name or video_path.name, "duration_s": round(info.duration_s, 3),
                  "fps": info.fps, "width_px": info.width_px, "height_px": info.height_px,
                  "rotation_deg": info.rotation_deg, "frames_analysed": seq.n_frames,
                  "analysis_fps": round(seq.analysis_fps, 3), "detected_pct": round(100 * detected, 1)},
        **scores.summary,
        "gravity": {"camera_pitch_deg": round(cleaned.camera_pitch_deg, 2),
                    "camera_roll_deg": round(cleaned.camera_roll_deg, 2),
                    "confidence": round(cleaned.gravity_confidence, 3), "source": cleaned.gravity_source},
        "angle_sources": dict(table.sources),
        "pose": {"model": seq.model, "person_choice": list(seq.notes)},
    }
    provenance = {"software": f"ergopipe {__version__}", "pose_model": seq.model,
                  "options": _options_json(options), "source_file": source_name or video_path.name,
                  "job_id": job_id}

    # The annotated video runs beside tables and report: in its own process when one was started, else in a
    # thread (C-heavy, it releases the GIL for most of its work).
    video_task: Any = None
    if options.annotated_video:
        video_args = dict(out_dir=out_dir, stem=stem, info=info, seq=seq, table=table, scores=scores,
                          language=options.language, face_blur=options.face_blur, spool_dir=spool_dir)
        video_task = video_proc.start(**video_args) if video_proc is not None else background.BackgroundTask(
            lambda progress: outputs.write_video(**video_args, on_progress=progress), name="annotated-video").start()
        stages.on_failure(video_task.cancel)
    with stages.stage("tables"):
        files = outputs.write_tables(out_dir, stem, table, scores, summary, provenance, warnings)
    with stages.stage("report"):
        files.update(outputs.write_report(out_dir, stem, table, scores, summary, provenance, warnings,
                                          language=options.language, info=info, pose=seq,
                                          face_blur=options.face_blur, spool_dir=spool_dir))
    with stages.stage("video") as progress:
        if video_task is not None:
            files["video"] = video_task.wait(progress)
    if video_task is not None:
        # Its own run time, which overlapped tables and report (the stage line logged only the wait).
        stages.timings_s["video"] = round(video_task.elapsed_s, 3)
    files.update(body_files)
    return AnalysisResult(summary=summary, outputs=files, timings_s=stages.timings_s, warnings=warnings)


def _video_spool(info: VideoInfo, options: AnalysisOptions, settings: Settings,
                 spool_dir: Path) -> tuple[tuple[int, int], int | None] | None:
    """What the pose stage keeps of the annotated video's pictures (ergopipe.frame_spool); None: nothing."""
    if not options.annotated_video:
        return None
    from ergopipe.frame_spool import spool_frame_limit
    from ergopipe.report.overlay import output_size_px

    size = output_size_px(info)
    limit = spool_frame_limit(info, size, spool_dir, settings.frame_spool_mb)
    return None if limit == 0 else (size, limit)


def _options_json(options: AnalysisOptions) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(options).items()}


def _maybe_fit_body_model(cleaned: CleanPose, options: AnalysisOptions,
                          settings: Settings) -> tuple[Any, str | None]:
    """SMPL-X fit when enabled and usable. Returns (fit or None, warning or None); raises BodyModelError
    when the job asked for it explicitly ('on') and it cannot run."""
    if options.smplx == "off":
        return None, None
    from ergopipe import body_model

    reason = body_model.availability(settings.smplx_model_dir)
    if reason is not None:
        if options.smplx == "on":
            raise BodyModelError(
                f"SMPL-X was requested (\"smplx\": \"on\") but cannot run: {reason.rstrip('.')}. Put the licensed model "
                f"files in {settings.smplx_model_dir} (see docs/smplx.md) or send \"smplx\": \"auto\"."
            )
        return None, f"SMPL-X body-model fit not used: {reason}"
    fit = body_model.fit_body_model(cleaned, model_dir=settings.smplx_model_dir)
    failed = int((~np.asarray(fit.ok)).sum())
    note = (f"SMPL-X fit failed in {failed} of {len(fit.ok)} frames; those frames use keypoint angles."
            if failed else None)
    return fit, note


def _apply_fit_angles(table: AngleTable, fit: Any) -> AngleTable:
    """Angles from the fitted body where the fit succeeded; keypoint angles elsewhere."""
    from ergopipe import body_model

    ok = np.asarray(fit.ok, bool)
    columns = dict(table.columns)
    sources = dict(table.sources)
    for name, values in body_model.angles_from_fit(fit).items():
        columns[name] = np.where(ok, values, columns[name])
        sources[name] = "smplx (keypoints where the fit failed)" if not ok.all() else "smplx"
    return replace(table, columns=columns, sources=sources)


def add_source_frames(scores: VideoScores, frame_index: np.ndarray) -> VideoScores:
    """Worst moments carry the analysed row; add the source video's frame number users look up."""
    summary = dict(scores.summary)
    for method, value in summary.items():
        if isinstance(value, dict) and "worst_moments" in value:
            moments = [{**w, "frame": int(frame_index[w["row"]])} for w in value["worst_moments"]]
            summary[method] = {**value, "worst_moments": moments}
    return replace(scores, summary=summary)


def _check_frames(fit: Any, n: int = 4) -> list[int]:
    """Frames for the visual check: spread over the clip, preferring successful fits."""
    ok = np.flatnonzero(np.asarray(fit.ok, bool))
    pool = ok if ok.size else np.arange(len(fit.ok))
    return sorted({int(pool[i]) for i in np.linspace(0, pool.size - 1, min(n, pool.size)).astype(int)})
