"""Worker settings (read once from the environment at start) and the validated job input.

Nothing else in the project reads ``os.environ``: settings are passed down as explicit arguments.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ergopipe.errors import InputError
from ergopipe.sinks import BucketSettings

LANGUAGES = ("cs", "en")
METHODS = ("reba", "rula", "owas")
SMPLX_MODES = ("auto", "on", "off")
PERSON_MODES = ("auto", "largest", "central", "longest")
FILE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{10,200}$")


@dataclass(frozen=True)
class Settings:
    """Operator settings for one worker process."""

    local_mode: bool  # True when RUNPOD_WEBHOOK_GET_JOB is unset (python handler.py, --rp_serve_api)
    allowed_video_root: Path | None  # production: video_path only under this directory
    default_language: str
    default_output_dir: Path
    output_dir_configured: bool  # ERGO_OUTPUT_DIR set: a production worker may write results there (volume)
    bucket: BucketSettings | None  # RunPod bucket upload configured (BUCKET_* variables)
    max_video_bytes: int
    max_video_duration_s: float
    smplx_model_dir: Path
    smplx_default: str  # "auto" | "on" | "off" when the job does not say
    pose_model_path: Path | None
    default_workers: int | None  # None = usable CPUs
    log_level: str
    # Disk the pose stage may fill with the annotated video's pictures so the video is decoded once
    # (ergopipe.frame_spool; at most half the free space; 0 = decode twice).
    frame_spool_mb: float = 4096.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        def number(name: str, default: float) -> float:
            raw = env.get(name)
            if raw in (None, ""):
                return default
            try:
                return float(raw)
            except ValueError:
                raise InputError(f"Environment variable {name}={raw!r} is not a number.") from None

        language = env.get("ERGO_LANGUAGE", "cs").lower()
        if language not in LANGUAGES:
            raise InputError(f"ERGO_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {language!r}.")
        smplx_default = env.get("SMPLX_DEFAULT", "auto").lower()
        if smplx_default not in SMPLX_MODES:
            raise InputError(f"SMPLX_DEFAULT must be one of {', '.join(SMPLX_MODES)}, not {smplx_default!r}.")
        workers = env.get("ERGO_WORKERS")
        return cls(
            local_mode=not env.get("RUNPOD_WEBHOOK_GET_JOB"),
            allowed_video_root=Path(env["ALLOWED_VIDEO_ROOT"]) if env.get("ALLOWED_VIDEO_ROOT") else None,
            default_language=language,
            default_output_dir=Path(env.get("ERGO_OUTPUT_DIR", "output")),
            output_dir_configured=bool(env.get("ERGO_OUTPUT_DIR")),
            bucket=BucketSettings.from_env(env),
            max_video_bytes=int(number("MAX_VIDEO_BYTES", 2 * 1024**3)),
            max_video_duration_s=number("MAX_VIDEO_DURATION_S", 30 * 60),
            smplx_model_dir=Path(env.get("SMPLX_MODEL_DIR", "/runpod-volume/models/smplx")),
            smplx_default=smplx_default,
            pose_model_path=Path(env["POSE_MODEL_PATH"]) if env.get("POSE_MODEL_PATH") else None,
            default_workers=int(workers) if workers else None,
            log_level=env.get("RUNPOD_LOG_LEVEL", "INFO").upper(),
            frame_spool_mb=number("ERGO_FRAME_SPOOL_MB", 4096),
        )


@dataclass(frozen=True)
class AnalysisOptions:
    """What to compute and how; independent of where the video comes from or results go."""

    methods: tuple[str, ...] = METHODS
    analysis_fps: float | None = None  # None = every frame
    workers: int | None = None  # None = settings.default_workers or usable CPUs
    language: str = "cs"
    smplx: str = "auto"
    camera_pitch_deg: float | None = None
    person: str = "auto"
    face_blur: bool = True
    annotated_video: bool = True
    task: Mapping[str, Any] = field(default_factory=dict)  # validated by ergopipe.methods
    task_ranges: tuple[Mapping[str, Any], ...] = ()
    rules: Mapping[str, Any] = field(default_factory=dict)


def _typed(inp: Mapping[str, Any], key: str, kinds: type | tuple[type, ...], what: str) -> Any:
    value = inp[key]
    # bool is an int in Python; a JSON true is never a valid number here.
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
        raise InputError(f"'{key}' must be {what}, got {json_type(value)} {value!r}.")
    if not isinstance(value, kinds):
        raise InputError(f"'{key}' must be {what}, got {json_type(value)} {value!r}.")
    return value


def json_type(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}.get(type(value), type(value).__name__)


def _choice(inp: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    if key not in inp or inp[key] is None:
        return default
    value = _typed(inp, key, str, "a string")
    if value.lower() not in choices:
        raise InputError(f"'{key}' must be one of {', '.join(choices)}; got {value!r}.")
    return value.lower()


def parse_options(inp: Mapping[str, Any], settings: Settings) -> AnalysisOptions:
    """Validate the analysis part of a job input (keys already checked for spelling by the caller)."""
    methods: tuple[str, ...] = METHODS
    if inp.get("methods") is not None:
        raw = _typed(inp, "methods", list, 'a list such as ["reba", "rula", "owas"]')
        bad = [m for m in raw if not isinstance(m, str) or m.lower() not in METHODS]
        if bad or not raw:
            raise InputError(f"'methods' must list some of {', '.join(METHODS)}; got {raw!r}.")
        methods = tuple(dict.fromkeys(m.lower() for m in raw))
    fps = None
    if inp.get("analysis_fps") is not None:
        fps = float(_typed(inp, "analysis_fps", (int, float), "a number of frames per second"))
        if not math.isfinite(fps) or fps <= 0:
            raise InputError(f"'analysis_fps' must be > 0 (e.g. 15), got {fps!r}; omit it to analyse every frame.")
    workers = None
    if inp.get("workers") is not None:
        workers = _typed(inp, "workers", int, "a whole number >= 1")
        if workers < 1:
            raise InputError(f"'workers' must be >= 1, got {workers}.")
    pitch = None
    if inp.get("camera_pitch_deg") is not None:
        pitch = float(_typed(inp, "camera_pitch_deg", (int, float), "a number of degrees"))
        if not -60 <= pitch <= 60:
            raise InputError(f"'camera_pitch_deg' must be between -60 and 60 degrees, got {pitch}.")
    flags = {}
    for key in ("face_blur", "annotated_video"):
        flags[key] = True if inp.get(key) is None else _typed(inp, key, bool, "true or false")
    task = _typed(inp, "task", dict, "an object of task factors") if inp.get("task") is not None else {}
    ranges = _typed(inp, "task_ranges", list, "a list of objects") if inp.get("task_ranges") is not None else []
    rules = _typed(inp, "rules", dict, "an object of rule settings") if inp.get("rules") is not None else {}
    return AnalysisOptions(
        methods=methods, analysis_fps=fps, workers=workers or settings.default_workers,
        language=_choice(inp, "language", LANGUAGES, settings.default_language),
        smplx=_choice(inp, "smplx", SMPLX_MODES, settings.smplx_default),
        camera_pitch_deg=pitch, person=_choice(inp, "person", PERSON_MODES, "auto"),
        face_blur=flags["face_blur"], annotated_video=flags["annotated_video"],
        task=dict(task), task_ranges=tuple(ranges), rules=dict(rules),
    )
