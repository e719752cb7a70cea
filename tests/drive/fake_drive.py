"""A local fake of the Google Drive v3 REST API (and Google's OAuth token endpoint) over TLS.

Serves what drive/ uses, through the real googleapiclient + httplib2 stack: files get/list/create/update,
generateIds, ``alt=media`` with Range, multipart and resumable uploads (308 + Range), parents,
appProperties, and ``POST /token`` (refresh_token and authorization_code grants). TLS uses a ``trustme``
CA because googleapiclient sends resumable uploads to ``https://`` whatever the endpoint says.

Fault injection: :meth:`FakeDrive.inject` makes the n-th matching request answer an HTTP error, drop the
connection before or after doing the work, or cut a download / upload body in the middle.
"""

from __future__ import annotations

import hashlib
import itertools
import ssl
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

from tests.drive.fake_drive_http import Handler, Upload, parse_q, select_fields

__all__ = ["FOLDER_MIME", "FakeDrive", "Fault", "parse_q", "select_fields"]
FOLDER_MIME = "application/vnd.google-apps.folder"


@dataclass
class Fault:
    op: str  # get, list, create, update, media, upload_init, upload_chunk, generate_ids, token
    action: str  # "429", "500", "503", "403rate", "401", "drop", "drop_after", "cut"
    skip: int = 0  # matching requests to let through first
    times: int = 1


class FakeDrive:
    """State + server. Use as a context manager or call :meth:`start`/:meth:`stop`."""

    def __init__(
        self,
        workdir: Path,
        client_id: str = "fake-client.apps.googleusercontent.com",
        client_secret: str = "GOCSPX-fakeclientsecret",
        refresh_token: str = "1//fake-refresh-token-abc",
    ):
        self.files: dict[str, dict[str, Any]] = {}
        self.content: dict[str, bytes] = {}
        self.uploads: dict[str, Upload] = {}
        self.faults: list[Fault] = []
        self.seen: dict[str, int] = {}
        self.requests: list[tuple[str, str]] = []
        self.generated: set[str] = set()
        self.valid_tokens: set[str] = set()
        self.client_id, self.client_secret, self.refresh_token = client_id, client_secret, refresh_token
        self.refresh_revoked = False
        self.auth_codes: dict[str, str] = {}  # code -> refresh token handed out for it
        self.token_requests: list[dict[str, str]] = []
        self._ids = itertools.count(1)
        self.lock = threading.RLock()
        self.ca = trustme.CA()
        self.ca_path = workdir / "fake-drive-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_path))
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    # ----- lifecycle -----
    def start(self) -> FakeDrive:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
        handler = type("Handler", (Handler,), {"drive": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self._server, self.port = server, server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeDrive:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    @property
    def token_uri(self) -> str:
        return f"{self.root_url}token"

    # ----- state helpers for tests -----
    def new_id(self) -> str:
        return f"fake{next(self._ids):08d}abcdef"

    def issue_token(self) -> str:
        token = f"ya29.fake-access-{next(self._ids)}"
        self.valid_tokens.add(token)
        return token

    def add(
        self,
        name: str,
        parents: list[str],
        *,
        mime: str,
        content: bytes | None = None,
        video_ms: int | None = None,
        **extra: Any,
    ) -> str:
        with self.lock:
            file_id = self.new_id()
            self._store(file_id, {"name": name, "mimeType": mime, "parents": list(parents), **extra}, content)
            if video_ms is not None:
                self.files[file_id]["videoMediaMetadata"] = {"durationMillis": str(video_ms)}
            return file_id

    def folder(self, name: str, parents: list[str] | None = None) -> str:
        return self.add(name, parents or ["root"], mime=FOLDER_MIME)

    def children(self, folder_id: str, include_trashed: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            return [
                m
                for m in self.files.values()
                if folder_id in m.get("parents", []) and (include_trashed or not m.get("trashed"))
            ]

    def inject(self, op: str, action: str, *, skip: int = 0, times: int = 1) -> None:
        with self.lock:
            self.faults.append(Fault(op, action, skip, times))

    def _store(self, file_id: str, meta: dict[str, Any], content: bytes | None) -> dict[str, Any]:
        meta = {k: v for k, v in meta.items() if k != "id"}
        record = {
            "id": file_id,
            "trashed": False,
            "appProperties": {},
            "description": "",
            **meta,
            "webViewLink": f"https://drive.google.com/file/d/{file_id}/view",
        }
        if content is not None:
            self.content[file_id] = content
            record.update(size=str(len(content)), md5Checksum=hashlib.md5(content).hexdigest())
        self.files[file_id] = record
        return record

    def take_fault(self, op: str) -> str | None:
        with self.lock:
            self.seen[op] = self.seen.get(op, 0) + 1
            for fault in self.faults:
                if fault.op == op and fault.times > 0:
                    if fault.skip > 0:
                        fault.skip -= 1
                        return None
                    fault.times -= 1
                    return fault.action
            return None
