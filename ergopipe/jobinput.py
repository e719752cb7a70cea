"""The job input schema: one validated request from the `input` object of a RunPod job.

Validation happens here, before anything is downloaded: unknown keys are named, types and values checked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlparse

from ergopipe.config import FILE_ID_RE, AnalysisOptions, Settings, json_type, parse_options
from ergopipe.errors import InputError

SOURCE_KEYS = ("file_id", "video_url", "video_path")
OPTION_KEYS = ("methods", "analysis_fps", "workers", "language", "smplx", "camera_pitch_deg", "person",
               "face_blur", "annotated_video", "task", "task_ranges", "rules")
OUTPUT_KEYS = ("output_dir", "output_folder_id", "file_name", "folders")
KNOWN_KEYS = SOURCE_KEYS + OPTION_KEYS + OUTPUT_KEYS
FOLDER_KEYS = ("upload", "processing", "completed", "archive", "logs")


@dataclass(frozen=True)
class JobRequest:
    source: str  # "drive" | "url" | "path"
    options: AnalysisOptions
    file_id: str | None = None
    video_url: str | None = None
    video_path: Path | None = None
    file_name: str | None = None
    folders: Mapping[str, str] = field(default_factory=dict)
    output_folder_id: str | None = None
    output_dir: Path | None = None


def _unknown_key_message(unknown: list[str]) -> str:
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hints.append(f"'{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    return (f"Unknown input key(s): {', '.join(hints)}. Allowed keys: {', '.join(KNOWN_KEYS)}. "
            "See the README section 'Job input'.")


def _string(inp: Mapping[str, Any], key: str) -> str:
    value = inp[key]
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"'{key}' must be a non-empty string, got {json_type(value)} {value!r}.")
    return value.strip()


def _drive_id(inp: Mapping[str, Any], key: str, value: Any) -> str:
    if not isinstance(value, str) or not FILE_ID_RE.match(value):
        raise InputError(
            f"'{key}' must be a Google Drive ID (10-200 letters, digits, '-' or '_'), got {value!r}. "
            "Copy it from the file's or folder's Drive link (…/d/<ID>/… or …/folders/<ID>)."
        )
    return value


def parse_job(inp: Any, settings: Settings) -> JobRequest:
    """Validate a job's `input` object. Raises InputError with a message that says what to fix."""
    if not isinstance(inp, Mapping):
        raise InputError(f"The job 'input' must be a JSON object, got {json_type(inp)}. "
                         'Example: {"input": {"file_id": "..."}}')
    unknown = sorted(k for k in inp if k not in KNOWN_KEYS)
    if unknown:
        raise InputError(_unknown_key_message(unknown))
    given = [k for k in SOURCE_KEYS if inp.get(k) is not None]
    if len(given) != 1:
        raise InputError(
            "Give exactly one video source: 'file_id' (Google Drive), 'video_url' (http/https) or "
            f"'video_path' (local runs); got {', '.join(given) if given else 'none'}."
        )
    options = parse_options(inp, settings)
    from ergopipe.methods import parse_task_input

    parse_task_input(options.task, options.task_ranges, options.rules)  # validate now, before any download
    folders: dict[str, str] = {}
    if inp.get("folders") is not None:
        if not isinstance(inp["folders"], Mapping):
            raise InputError(f"'folders' must be an object of folder IDs, got {json_type(inp['folders'])}.")
        for key, value in inp["folders"].items():
            if key not in FOLDER_KEYS:
                raise InputError(f"Unknown key 'folders.{key}'. Allowed: {', '.join(FOLDER_KEYS)}.")
            folders[key] = _drive_id(inp, f"folders.{key}", value)
    common = dict(
        options=options,
        file_name=_string(inp, "file_name") if inp.get("file_name") is not None else None,
        folders=folders,
        output_folder_id=(_drive_id(inp, "output_folder_id", inp["output_folder_id"])
                          if inp.get("output_folder_id") is not None else None),
        output_dir=_output_dir(inp, settings),
    )
    source = given[0]
    if source == "file_id":
        return JobRequest(source="drive", file_id=_drive_id(inp, "file_id", inp["file_id"]), **common)
    if source == "video_url":
        return JobRequest(source="url", video_url=_video_url(_string(inp, "video_url")), **common)
    return JobRequest(source="path", video_path=_video_path(_string(inp, "video_path"), settings), **common)


def _output_dir(inp: Mapping[str, Any], settings: Settings) -> Path | None:
    if inp.get("output_dir") is None:
        return None
    if not settings.local_mode:
        raise InputError("'output_dir' is only available in local runs; a RunPod worker uploads its results "
                         "to Google Drive ('file_id' / 'output_folder_id') or to the configured bucket.")
    return Path(_string(inp, "output_dir"))


def _video_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputError(f"'video_url' must be an http:// or https:// address, got {url!r}.")
    return url


def _video_path(raw: str, settings: Settings) -> Path:
    path = Path(raw).expanduser()
    if settings.local_mode:
        return path
    root = settings.allowed_video_root
    if root is None:
        raise InputError("'video_path' is not accepted by this worker (it would read files on the server). "
                         "Send 'file_id' or 'video_url', or ask the operator to set ALLOWED_VIDEO_ROOT.")
    resolved = (root / path).resolve() if not path.is_absolute() else path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise InputError(f"'video_path' must lie under {root} on this worker; {raw!r} does not.")
    return resolved
