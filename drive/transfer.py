"""Chunked download and resumable upload with our own retry loop around every chunk.

Why not googleapiclient's ``num_retries``: it does not retry a body cut mid-transfer
(``http.client.IncompleteRead``), and after a 5xx a resumable retry re-sends an already consumed chunk
stream and stalls. Here each ``next_chunk(num_retries=0)`` runs inside :meth:`Backoff.run`; a failed
resumable chunk puts the request in its error state, so the next call first asks the server how much it
holds and resumes from there.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from googleapiclient.http import MediaIoBaseDownload, MediaIoBaseUpload

from drive.client import FILE_FIELDS, DriveClient
from drive.errors import DriveError

log = logging.getLogger(__name__)


class _BytesChunkUpload(MediaIoBaseUpload):
    """Hands each chunk to httplib2 as bytes instead of a stream slice.

    httplib2 silently re-sends a request once when the connection drops before the answer; a stream slice is
    already consumed by then, so the re-send announces the chunk and sends nothing (a stall until timeout).
    Bytes can be sent again. Memory: one chunk (``chunk_bytes``).
    """

    def has_stream(self) -> bool:
        return False


def md5_hex(path: Path, block_bytes: int = 1 << 20) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(block_bytes), b""):
            digest.update(block)
    return digest.hexdigest()


def download(client: DriveClient, meta: Mapping[str, Any], dest: Path) -> int:
    """Download the file described by ``meta`` (from :meth:`DriveClient.get`) to ``dest``; return bytes.

    Verifies the byte count and, when Drive reports one, the MD5 checksum.
    """
    name = meta.get("name", meta["id"])
    request = client.files.get_media(fileId=meta["id"], supportsAllDrives=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as fh:
        downloader = MediaIoBaseDownload(fh, request, chunksize=client.chunk_bytes)
        done = False
        while not done:
            status, done = client.backoff.run(
                lambda: downloader.next_chunk(num_retries=0), f"downloading {name!r}"
            )
            log.debug("Drive: download %s %d%%", name, int(status.progress() * 100) if status else 100)
    size = dest.stat().st_size
    expected = meta.get("size")
    if expected is not None and int(expected) != size:
        raise DriveError(
            f"The download of {name!r} is incomplete ({size} of {expected} bytes); re-run the job."
        )
    if meta.get("md5Checksum") and md5_hex(dest) != meta["md5Checksum"]:
        raise DriveError(f"The download of {name!r} is corrupt (MD5 mismatch); re-run the job.")
    log.info("Drive: downloaded %s (%d bytes)", name, size)
    return size


def upload(
    client: DriveClient,
    path: Path,
    *,
    name: str,
    mime: str,
    parent: str,
    props: Mapping[str, str],
    replace_id: str | None = None,
) -> dict[str, Any]:
    """Resumable chunked upload of ``path``: a new file in ``parent``, or new content for ``replace_id``.

    A new file gets a reserved ID, so a completed upload whose answer was lost is recognised by ID instead of
    being created twice.
    """
    body: dict[str, Any] = {"name": name, "mimeType": mime, "appProperties": dict(props)}
    new_id = None
    if replace_id is None:
        new_id = client.generate_id()
        body.update(id=new_id, parents=[parent])
    with path.open("rb") as fh:
        media = _BytesChunkUpload(fh, mimetype=mime, chunksize=client.chunk_bytes, resumable=True)
        if replace_id is None:
            request = client.files.create(
                body=body, media_body=media, fields=FILE_FIELDS, supportsAllDrives=True
            )
        else:
            request = client.files.update(
                fileId=replace_id, body=body, media_body=media, fields=FILE_FIELDS, supportsAllDrives=True
            )
        response = None
        while response is None:
            try:
                status, response = client.backoff.run(
                    lambda: request.next_chunk(num_retries=0), f"uploading {name!r}"
                )
            except DriveError:
                # The upload may have completed despite the error (answer lost): look it up by ID once.
                done = client.get_or_none(new_id) if new_id else None
                if done is None or done.get("md5Checksum") not in (None, md5_hex(path)):
                    raise
                response = done
            else:
                if status is not None:
                    log.debug("Drive: upload %s %d%%", name, int(status.progress() * 100))
    log.info("Drive: uploaded %s (%d bytes)", name, path.stat().st_size)
    return response
