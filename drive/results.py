"""Idempotent publishing of job outputs, the result manifest, source checks and secret redaction.

Tags (Drive ``appProperties``) on everything the worker writes:
``ergopipe_source`` (source file ID), ``ergopipe_job`` (the job that last wrote it), ``ergopipe_kind``
(xlsx, video, csv, ..., ``result_folder``, ``manifest``, ``log``). Outputs are found by source + kind, so a
re-run replaces or reuses them instead of adding a second copy.
"""

from __future__ import annotations

import io
import json
import logging
import mimetypes
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from googleapiclient.http import MediaIoBaseDownload

from drive.client import DriveClient
from drive.config import DriveSettings
from drive.transfer import md5_hex, upload
from ergopipe.errors import VideoError

log = logging.getLogger(__name__)
SOURCE, JOB, KIND = "ergopipe_source", "ergopipe_job", "ergopipe_kind"
MANIFEST_KIND, FOLDER_KIND, LOG_KIND = "manifest", "result_folder", "log"
MANIFEST_SCHEMA = 1
FAILED_PREFIX = "FAILED - "
_SECRET_PATTERNS = (
    re.compile(r"ya29\.[0-9A-Za-z._-]+"),
    re.compile(r"1//[0-9A-Za-z._-]{10,}"),
    re.compile(r"GOCSPX-[0-9A-Za-z_-]+"),
)


def tags(source_id: str, job_id: str, kind: str) -> dict[str, str]:
    return {SOURCE: source_id, JOB: job_id, KIND: kind}


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` without the given secret strings and anything shaped like a Google token or client secret."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, "[redacted]")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub("[redacted]", text)
    return text


def check_video(meta: Mapping[str, Any], settings: DriveSettings) -> None:
    """Raise VideoError unless the Drive metadata says: a video, within size and duration limits."""
    name, mime = meta.get("name", meta.get("id")), str(meta.get("mimeType", ""))
    if meta.get("trashed"):
        raise VideoError(f"{name!r} is in the Drive bin; restore it and upload it again.")
    if not mime.startswith("video/"):
        raise VideoError(f"{name!r} is not a video (Drive type {mime!r}); upload an MP4 or MOV video file.")
    size = int(meta.get("size") or 0)
    if size > settings.max_video_bytes:
        raise VideoError(
            f"{name!r} is {size / 1e6:.0f} MB, more than the {settings.max_video_bytes / 1e6:.0f} MB "
            "limit; trim or compress the video (or raise MAX_VIDEO_BYTES)."
        )
    millis = (meta.get("videoMediaMetadata") or {}).get("durationMillis")
    if millis is not None and settings.max_video_duration_s is not None:
        duration_s = int(millis) / 1000.0
        if duration_s > settings.max_video_duration_s:
            raise VideoError(
                f"{name!r} lasts {duration_s:.0f} s, more than the {settings.max_video_duration_s:.0f} s "
                "limit; cut it into shorter clips (or raise MAX_VIDEO_DURATION_S)."
            )


def mime_of(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def file_entry(meta: Mapping[str, Any], kind: str) -> dict[str, str]:
    return {
        "kind": kind,
        "name": str(meta.get("name")),
        "id": str(meta["id"]),
        "url": str(meta.get("webViewLink") or f"https://drive.google.com/file/d/{meta['id']}/view"),
    }


def find_one(client: DriveClient, parent: str | None, props: Mapping[str, str]) -> dict[str, Any] | None:
    """The single file tagged ``props``; extra copies (from an old crash or race) are moved to the bin."""
    found = client.find(parent, props)
    for extra in found[1:]:
        log.warning("Drive: trashing duplicate %s (%s)", extra.get("name"), extra["id"])
        client.trash(extra["id"])
    return found[0] if found else None


def publish(
    client: DriveClient,
    path: Path,
    *,
    parent: str,
    name: str,
    props: Mapping[str, str],
    match: Mapping[str, str],
) -> dict[str, Any]:
    """Put ``path`` in ``parent`` as ``name`` exactly once: reuse an identical copy, replace a different one.

    ``match`` is the subset of ``props`` that identifies the output across re-runs.
    """
    existing = find_one(client, parent, match)
    if existing is not None and existing.get("md5Checksum") == md5_hex(path) and existing.get("name") == name:
        log.info("Drive: %s already uploaded (identical); reusing %s", name, existing["id"])
        current = existing.get("appProperties") or {}
        if any(current.get(k) != v for k, v in props.items()):
            existing = client.update(existing["id"], {"appProperties": dict(props)}, what=f"tagging {name!r}")
        return existing
    return upload(
        client,
        path,
        name=name,
        mime=mime_of(path),
        parent=parent,
        props=props,
        replace_id=existing["id"] if existing else None,
    )


def read_json_file(client: DriveClient, file_id: str) -> Any:
    """Download a small JSON file from Drive into memory."""
    buf = io.BytesIO()
    downloader = MediaIoBaseDownload(buf, client.files.get_media(fileId=file_id, supportsAllDrives=True))
    done = False
    while not done:
        _, done = client.backoff.run(
            lambda: downloader.next_chunk(num_retries=0), "reading the result manifest"
        )
    return json.loads(buf.getvalue().decode("utf-8"))


def stored_result(client: DriveClient, result_folder: str, source_id: str) -> dict[str, Any] | None:
    """The manifest of a finished earlier run when every file it lists is still there, else None."""
    manifest_meta = find_one(client, result_folder, {SOURCE: source_id, KIND: MANIFEST_KIND})
    if manifest_meta is None:
        return None
    try:
        manifest = read_json_file(client, manifest_meta["id"])
    except ValueError:
        log.warning("Drive: result manifest %s is unreadable; re-analysing", manifest_meta["id"])
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        return None
    entries = []
    for entry in manifest.get("files", []):
        meta = client.get_or_none(entry["id"])
        if meta is None or meta.get("trashed") or result_folder not in meta.get("parents", []):
            log.info("Drive: earlier result %s is missing; re-analysing", entry.get("name"))
            return None
        entries.append(file_entry(meta, entry["kind"]))
    return {**manifest, "files": entries, "manifest_file": file_entry(manifest_meta, MANIFEST_KIND)}
