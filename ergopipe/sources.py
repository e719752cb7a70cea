"""Fetching a video given by URL: streamed to disk in the job's temp dir, size-limited, clear errors."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests

from ergopipe.errors import InputError, VideoError

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20
TIMEOUT_S = (10, 60)  # connect, read (between bytes)
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def file_name_from_url(url: str) -> str:
    """A safe local file name taken from the URL path (video.mp4 if none)."""
    name = SAFE_NAME.sub("_", unquote(Path(urlparse(url).path).name)).strip(" .")
    return name or "video.mp4"


def download_url(url: str, dest_dir: Path, *, max_bytes: int, session: requests.Session | None = None) -> Path:
    """Stream `url` into `dest_dir`; raise InputError/VideoError with advice on any failure."""
    http = session or requests.Session()
    target = dest_dir / file_name_from_url(url)
    try:
        with http.get(url, stream=True, timeout=TIMEOUT_S, allow_redirects=True) as resp:
            if resp.status_code in (401, 403):
                raise InputError(f"The video URL refused access (HTTP {resp.status_code}). Use a link that "
                                 "works without signing in (e.g. a pre-signed URL).")
            if resp.status_code == 404:
                raise InputError(f"The video URL was not found (HTTP 404): {url}. Check the link.")
            if resp.status_code >= 400:
                raise InputError(f"The video URL answered HTTP {resp.status_code}. Check the link or retry later.")
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype.startswith(("text/", "image/", "audio/")) or ctype in ("application/json",):
                raise VideoError(f"The URL returned '{ctype}', not a video. Link directly to the video file "
                                 "(not to a web page that shows it).")
            declared = int(resp.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise VideoError(_too_large(declared, max_bytes))
            written = 0
            with open(target, "wb") as out:
                for chunk in resp.iter_content(CHUNK_BYTES):
                    written += len(chunk)
                    if written > max_bytes:
                        raise VideoError(_too_large(written, max_bytes))
                    out.write(chunk)
    except requests.RequestException as exc:
        raise InputError(f"Could not download the video URL ({type(exc).__name__}). Check that the address is "
                         "reachable from the internet and retry.") from exc
    if declared and written < declared:
        raise VideoError(f"The download stopped after {written} of {declared} bytes; the file is truncated. Retry.")
    log.info("downloaded %d bytes from %s", written, urlparse(url).netloc)
    return target


def _too_large(n_bytes: int, max_bytes: int) -> str:
    return (f"The video is larger than the limit ({n_bytes / 1e6:.0f} MB > {max_bytes / 1e6:.0f} MB). Trim or "
            "compress it, or ask the operator to raise MAX_VIDEO_BYTES.")
