"""Results of a job whose video did not come from Drive (a URL or a local path), published to a Drive folder.

The same idempotent upload as the hot folder: a sub-folder per source, every file tagged with appProperties,
so a re-run replaces or reuses instead of duplicating. The source key is the source's name plus a digest of
the source string (URL or path), which is stable across re-runs of the same job.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Mapping

from drive.auth import TokenStore, load_credentials
from drive.client import DriveClient, folder_url
from drive.config import DriveSettings
from drive.results import FOLDER_KIND, KIND, SOURCE, file_entry, publish, tags

log = logging.getLogger(__name__)


def source_key(source: str) -> str:
    """A stable appProperties value (Drive limits a property to 124 bytes) for a URL or path source."""
    return "ext-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]


def publish_results(outputs: Mapping[str, Path], *, folder_id: str, source: str, source_name: str, job_id: str,
                    settings: DriveSettings) -> dict[str, Any]:
    """Upload `outputs` into `<folder_id>/<source stem>/`; return the Drive IDs and links written."""
    store = TokenStore.from_settings(settings)
    creds = load_credentials(store, settings)
    key = source_key(source)
    client = DriveClient.connect(settings, creds)
    try:
        folder = client.ensure_folder(folder_id, Path(source_name).stem, tags(key, job_id, FOLDER_KIND),
                                      match={SOURCE: key, KIND: FOLDER_KIND})
        drive: dict[str, Any] = {"result_folder_id": folder["id"], "result_folder_url": folder_url(folder["id"]),
                                 "files": []}
        for kind, path in outputs.items():
            meta = publish(client, Path(path), parent=folder["id"], name=Path(path).name,
                           props=tags(key, job_id, kind), match={SOURCE: key, KIND: kind})
            drive["files"].append(file_entry(meta, kind))
    finally:
        client.close()
        store.save_if_changed(creds)
    log.info("job %s: %d result files published to Drive folder %s", job_id, len(drive["files"]), folder_id)
    return drive
