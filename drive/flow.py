"""One job's state and steps on Drive: result folder, uploads, manifest, archive, restore, log.

Used by :func:`drive.hotfolder.run_drive_job`, which owns credentials, error handling and the job log text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from drive.client import DriveClient, folder_url
from drive.config import DriveSettings
from drive.job import DriveJob
from drive.results import (
    FAILED_PREFIX,
    FOLDER_KIND,
    JOB,
    KIND,
    LOG_KIND,
    MANIFEST_KIND,
    MANIFEST_SCHEMA,
    SOURCE,
    check_video,
    file_entry,
    publish,
    stored_result,
    tags,
)
from drive.transfer import download

log = logging.getLogger(__name__)
DESCRIPTION_TAG = "ergopipe:"  # starts the paragraph a failed job writes into the original's description
RESERVED_KINDS = frozenset({FOLDER_KIND, MANIFEST_KIND, LOG_KIND})
Analyze = Callable[[Path, Path], Mapping[str, Any]]


def _safe(text: str, fallback: str) -> str:
    """A file-system-safe name part (no path separators or control characters)."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", text).strip(" .")
    return cleaned[:150] or fallback


def _original_name(name: str) -> str:
    return name.removeprefix(FAILED_PREFIX)


def _user_description(description: str) -> str:
    """The user's own part of a description, without the paragraph a failed job put in front of it."""
    if not description.startswith(DESCRIPTION_TAG):
        return description
    return description.partition("\n\n")[2]


class Recorder(logging.Handler):
    """Collects this package's log lines for the job log when the caller provides none."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class JobRun:
    """State of one run: what has been written so far (reported also on failure)."""

    def __init__(
        self, job: DriveJob, settings: DriveSettings, client: DriveClient, job_id: str, work_dir: Path
    ) -> None:
        self.job = job
        self.settings = settings
        self.client = client
        self.job_id = job_id
        self.work_dir = work_dir
        self.meta: dict[str, Any] | None = None
        self.drive: dict[str, Any] = {"source_file_id": job.file_id, "files": []}

    @property
    def stem(self) -> str:
        name = (self.meta or {}).get("name") or self.job.file_name or self.job.file_id
        return Path(_original_name(str(name))).stem or self.job.file_id

    def folder(self, role: str) -> str | None:
        return self.job.folder(role, self.settings)

    def result_folder(self) -> str:
        completed = self.job.required_folder("completed", self.settings)
        folder = self.client.ensure_folder(
            completed,
            self.stem,
            tags(self.job.file_id, self.job_id, FOLDER_KIND),
            match={SOURCE: self.job.file_id, KIND: FOLDER_KIND},
        )
        self.drive.update(result_folder_id=folder["id"], result_folder_url=folder_url(folder["id"]))
        return str(folder["id"])

    def run(self, analyze: Analyze) -> dict[str, Any]:
        self.meta = self.client.get(self.job.file_id, "reading the video's metadata")
        self.drive["source_name"] = self.meta.get("name")
        self.job.required_folder("completed", self.settings)  # fail before any work when unconfigured
        archive = self.folder("archive")
        if archive and archive in self.meta.get("parents", []):
            reused = self._reuse()
            if reused is not None:
                return reused
        check_video(self.meta, self.settings)
        video = self.work_dir / "source" / _safe(_original_name(str(self.meta.get("name"))), "video.mp4")
        download(self.client, self.meta, video)
        analysis = analyze(video, self.work_dir / "results")
        outputs = analysis.get("outputs") or {}
        parent = self.result_folder()
        links: dict[str, str] = {}
        for kind, local in outputs.items():
            if kind in RESERVED_KINDS:
                raise ValueError(f"analyze() returned an output kind reserved for the Drive flow: {kind!r}")
            path = Path(local)
            meta = publish(
                self.client,
                path,
                parent=parent,
                name=path.name,
                props=tags(self.job.file_id, self.job_id, kind),
                match={SOURCE: self.job.file_id, KIND: kind},
            )
            self.drive["files"].append(file_entry(meta, kind))
            links[kind] = self.drive["files"][-1]["url"]
        result = {
            "status": "success",
            "job_id": self.job_id,
            **{k: v for k, v in analysis.items() if k not in ("outputs", "status", "job_id", "drive")},
            "outputs": links,
        }
        self._write_manifest(parent, result)
        self._archive()
        return result

    def _reuse(self) -> dict[str, Any] | None:
        """The stored result when the source is already archived with a complete result folder."""
        completed = self.job.required_folder("completed", self.settings)
        folders = self.client.find(completed, {SOURCE: self.job.file_id, KIND: FOLDER_KIND})
        if not folders:
            return None
        stored = stored_result(self.client, folders[0]["id"], self.job.file_id)
        if stored is None:
            return None
        log.info(
            "Drive: %s is already archived with complete results; returning them without re-analysis",
            self.meta.get("name") if self.meta else self.job.file_id,
        )
        self.drive.update(
            result_folder_id=folders[0]["id"],
            result_folder_url=folder_url(folders[0]["id"]),
            files=stored["files"],
            manifest_file_id=stored["manifest_file"]["id"],
            archived_file_id=self.job.file_id,
            reused=True,
        )
        return {**stored["result"], "job_id": self.job_id, "reused_from_job": stored.get("job_id")}

    def _write_manifest(self, parent: str, result: Mapping[str, Any]) -> None:
        manifest = {
            "schema": MANIFEST_SCHEMA,
            "source_file_id": self.job.file_id,
            "job_id": self.job_id,
            "result": result,
            "files": [{"kind": f["kind"], "id": f["id"], "name": f["name"]} for f in self.drive["files"]],
        }
        path = self.work_dir / "manifest" / f"{_safe(self.stem, 'video')}.ergopipe.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
        meta = publish(
            self.client,
            path,
            parent=parent,
            name=path.name,
            props=tags(self.job.file_id, self.job_id, MANIFEST_KIND),
            match={SOURCE: self.job.file_id, KIND: MANIFEST_KIND},
        )
        self.drive["manifest_file_id"] = meta["id"]

    def _archive(self) -> None:
        archive = self.folder("archive")
        assert self.meta is not None
        body = {
            "name": _original_name(str(self.meta.get("name"))),
            "appProperties": {"ergopipe_status": "done", JOB: self.job_id},
        }
        description = str(self.meta.get("description") or "")
        if description.startswith(DESCRIPTION_TAG):
            body["description"] = _user_description(description)
        if archive is None:
            log.warning(
                "Drive: no archive folder configured (GOOGLE_DRIVE_FOLDER_ARCHIVE); original left in place"
            )
            self.client.update(self.job.file_id, body, what="marking the original as done")
            return
        self.client.move(self.job.file_id, archive, body, what="moving the original to the archive")
        self.drive["archived_file_id"] = self.job.file_id

    def restore(self, reason: str) -> None:
        """Put the original where the user sees it, named FAILED - ..., with the reason (best effort)."""
        if self.meta is None:
            return
        name = str(self.meta.get("name"))
        body = {
            "name": FAILED_PREFIX + _original_name(name),
            "description": "\n\n".join(
                part
                for part in (
                    f"{DESCRIPTION_TAG} job {self.job_id} failed: {reason}"[:3000],
                    _user_description(str(self.meta.get("description") or "")),
                )
                if part
            ),
            "appProperties": {"ergopipe_status": "failed", JOB: self.job_id},
        }
        upload_folder = self.folder("upload")
        if upload_folder:
            self.client.move(
                self.job.file_id, upload_folder, body, what="returning the original to the upload folder"
            )
        else:
            self.client.update(self.job.file_id, body, what="marking the original as failed")
        self.drive.update(
            restored_file_id=self.job.file_id, restored_name=body["name"], restored_to_folder_id=upload_folder
        )

    def write_log(self, text: str) -> None:
        logs = self.folder("logs")
        if logs is None:
            log.warning("Drive: no logs folder configured (GOOGLE_DRIVE_FOLDER_LOGS); job log not uploaded")
            return
        path = self.work_dir / "log" / f"{_safe(self.stem, 'video')}_{_safe(self.job_id, 'job')}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        meta = publish(
            self.client,
            path,
            parent=logs,
            name=path.name,
            props=tags(self.job.file_id, self.job_id, LOG_KIND),
            match={SOURCE: self.job.file_id, JOB: self.job_id, KIND: LOG_KIND},
        )
        self.drive.update(log_file_id=meta["id"], log_file_url=file_entry(meta, LOG_KIND)["url"])
