"""HTTP side of the fake Drive: request routing, Drive's q language and fields selection, uploads.

State lives in :class:`tests.drive.fake_drive.FakeDrive`; the handler class gets it as ``drive``.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.drive.fake_drive import FakeDrive

QUANTUM = 256 * 1024


@dataclass
class Upload:
    meta: dict[str, Any]
    total: int | None
    file_id: str | None  # update of an existing file's content
    data: bytearray = field(default_factory=bytearray)
    result: dict[str, Any] | None = None


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """Parse a Drive q string literal starting at ``pos`` (a quote); return (value, index after it)."""
    assert text[pos] == "'", text[pos:]
    out, i = [], pos + 1
    while text[i] != "'":
        if text[i] == "\\":
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out), i + 1


def parse_q(q: str) -> list[tuple[str, ...]]:
    """Clauses of a conjunctive Drive query.

    ('parent', id), ('trashed', 'true'|'false'), ('name'|'mimeType', v), ('prop', k, v).
    """
    clauses: list[tuple[str, ...]] = []
    i = 0
    while i < len(q):
        if q.startswith(" and ", i):
            i += 5
            continue
        if q[i] == "'":
            value, i = _quoted(q, i)
            m = re.match(r"\s+in\s+parents", q[i:])
            assert m, q[i:]
            clauses.append(("parent", value))
            i += m.end()
            continue
        m = re.match(r"trashed\s*=\s*(true|false)", q[i:])
        if m:
            clauses.append(("trashed", m.group(1)))
            i += m.end()
            continue
        m = re.match(r"(name|mimeType)\s*=\s*", q[i:])
        if m:
            value, i = _quoted(q, i + m.end())
            clauses.append((m.group(1), value))
            continue
        m = re.match(r"appProperties\s+has\s+\{\s*key\s*=\s*", q[i:])
        if m:
            key, i = _quoted(q, i + m.end())
            m2 = re.match(r"\s+and\s+value\s*=\s*", q[i:])
            assert m2, q[i:]
            value, i = _quoted(q, i + m2.end())
            m3 = re.match(r"\s*\}", q[i:])
            assert m3, q[i:]
            i += m3.end()
            clauses.append(("prop", key, value))
            continue
        raise ValueError(f"unsupported q at {q[i:]!r}")
    return clauses


def _matches(meta: dict[str, Any], clauses: list[tuple[str, ...]]) -> bool:
    for clause in clauses:
        kind = clause[0]
        if kind == "parent" and clause[1] not in meta.get("parents", []):
            return False
        if kind == "trashed" and bool(meta.get("trashed")) != (clause[1] == "true"):
            return False
        if kind in ("name", "mimeType") and meta.get(kind) != clause[1]:
            return False
        if kind == "prop" and meta.get("appProperties", {}).get(clause[1]) != clause[2]:
            return False
    return True


def select_fields(meta: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Top-level field selection as Drive does it (nested selections return the whole sub-object)."""
    if not fields or fields == "*":
        return dict(meta)
    names = {re.sub(r"\(.*", "", part).strip() for part in _split_top(fields)}
    return {k: v for k, v in meta.items() if k in names}


def _split_top(fields: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(fields):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(fields[start:i])
            start = i + 1
    parts.append(fields[start:])
    return parts


def _list_item_fields(fields: str | None) -> str | None:
    if not fields:
        return None
    for part in _split_top(fields):
        m = re.fullmatch(r"\s*files\((.*)\)\s*", part)
        if m:
            return m.group(1)
    return None


def _error(status: int, reason: str, message: str = "fake error") -> tuple[int, dict[str, Any]]:
    return status, {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"reason": reason, "message": message, "domain": "global"}],
        }
    }


class Handler(BaseHTTPRequestHandler):
    drive: FakeDrive
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # header and body are separate writes: avoid 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # ----- plumbing -----
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self,
        status: int,
        payload: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> None:
        data = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = re.sub(r"^/drive/v3(?=/)", "", url.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        body = self._body()
        self.drive.requests.append((method, self.path))
        op, route = self._route(method, path, query)
        if op != "token":
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.drive.valid_tokens:
                self._send(*_error(401, "authError", "Invalid Credentials"))
                return
        fault = self.drive.take_fault(op)
        if fault == "drop":
            self._drop()
            return
        if fault and fault not in ("drop_after", "cut"):
            status, reason = (
                (403, "userRateLimitExceeded") if fault == "403rate" else (int(fault), "backendError")
            )
            self._send(*_error(status, {429: "rateLimitExceeded", 401: "authError"}.get(status, reason)))
            return
        with self.drive.lock:
            status, payload, headers, raw = route(method, path, query, body, fault)
        if fault == "drop_after":
            self._drop()
            return
        if fault == "cut" and (raw is None or op == "upload_chunk"):
            self._drop()  # the upload chunk was (partly) received, the answer never comes
            return
        if fault == "cut":
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw[: len(raw) // 2])
            self._drop()
            return
        self._send(
            status,
            payload,
            headers,
            raw,
            "application/octet-stream" if raw is not None else "application/json",
        )

    def _route(self, method: str, path: str, query: dict[str, str]) -> tuple[str, Any]:
        if path == "/token" and method == "POST":
            return "token", self._token
        if path == "/files/generateIds":
            return "generate_ids", self._generate_ids
        if path.startswith("/upload/drive/v3/files"):
            if method == "PUT":
                return "upload_chunk", self._upload_chunk
            if query.get("uploadType") == "resumable":
                return "upload_init", self._upload_init
            return "create", self._multipart
        if path == "/files":
            return ("create", self._create) if method == "POST" else ("list", self._list)
        if path.startswith("/files/"):
            if method == "PATCH":
                return "update", self._update
            return ("media", self._media) if query.get("alt") == "media" else ("get", self._get)
        return "unknown", lambda *a: (*_error(404, "notFound", f"no route {method} {path}"), {}, None)

    # ----- routes: each returns (status, json payload, headers, raw body or None) -----
    def _token(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):  # requests-oauthlib sends the client as HTTP Basic auth
            user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
            form.setdefault("client_id", urllib.parse.unquote_plus(user))
            form.setdefault("client_secret", urllib.parse.unquote_plus(password))
        d = self.drive
        d.token_requests.append(form)
        if form.get("client_id") != d.client_id or form.get("client_secret") != d.client_secret:
            return (
                401,
                {"error": "invalid_client", "error_description": "The OAuth client was not found."},
                {},
                None,
            )
        if form.get("grant_type") == "authorization_code":
            refresh = d.auth_codes.pop(form.get("code", ""), None)
            if refresh is None or not form.get("code_verifier"):
                return 400, {"error": "invalid_grant", "error_description": "Malformed auth code."}, {}, None
            return (
                200,
                {
                    "access_token": d.issue_token(),
                    "refresh_token": refresh,
                    "expires_in": 3599,
                    "scope": "https://www.googleapis.com/auth/drive",
                    "token_type": "Bearer",
                },
                {},
                None,
            )
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != d.refresh_token
            or d.refresh_revoked
        ):
            return (
                400,
                {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                {},
                None,
            )
        return (
            200,
            {
                "access_token": d.issue_token(),
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": "https://www.googleapis.com/auth/drive",
            },
            {},
            None,
        )

    def _generate_ids(
        self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None
    ) -> Any:
        ids = [self.drive.new_id() for _ in range(int(query.get("count", "10")))]
        self.drive.generated.update(ids)
        return 200, {"kind": "drive#generatedIds", "space": "drive", "ids": ids}, {}, None

    def _file_or_404(self, file_id: str) -> dict[str, Any] | None:
        return self.drive.files.get(file_id)

    def _get(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        meta = self._file_or_404(path.split("/")[2])
        if meta is None:
            return (*_error(404, "notFound", "File not found."), {}, None)
        if meta.get("forbidden"):
            return (*_error(403, "insufficientFilePermissions", "No access."), {}, None)
        return 200, select_fields(meta, query.get("fields")), {}, None

    def _media(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        file_id = path.split("/")[2]
        if file_id not in self.drive.content:
            return (*_error(404, "notFound", "File not found."), {}, None)
        data = self.drive.content[file_id]
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not m:
            return 200, None, {}, data
        start = int(m.group(1))
        end = min(int(m.group(2)) if m.group(2) else len(data) - 1, len(data) - 1)
        if start >= len(data):
            return 416, None, {"Content-Range": f"bytes */{len(data)}"}, b""
        return 206, None, {"Content-Range": f"bytes {start}-{end}/{len(data)}"}, data[start : end + 1]

    def _list(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        clauses = parse_q(query.get("q", ""))
        hits = [m for m in self.drive.files.values() if _matches(m, clauses)]
        size = int(query.get("pageSize", "100"))
        start = int(query.get("pageToken") or 0)
        page = hits[start : start + size]
        answer: dict[str, Any] = {
            "files": [select_fields(m, _list_item_fields(query.get("fields"))) for m in page]
        }
        if start + size < len(hits):
            answer["nextPageToken"] = str(start + size)
        return 200, answer, {}, None

    def _new_file(self, meta: dict[str, Any], content: bytes | None) -> tuple[int, Any]:
        file_id = meta.get("id")
        if file_id is not None:
            if file_id in self.drive.files:
                return _error(409, "fileIdInUse", "A file already exists with the provided ID.")
            if file_id not in self.drive.generated:
                return _error(400, "fileIdNotUsable", "The provided file ID is not usable.")
        else:
            file_id = self.drive.new_id()
        if not meta.get("parents"):
            meta = {**meta, "parents": ["root"]}
        meta.setdefault("mimeType", "application/octet-stream")
        return 200, self.drive._store(file_id, meta, content)

    def _create(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        status, payload = self._new_file(json.loads(body or b"{}"), None)
        return status, select_fields(payload, query.get("fields")) if status == 200 else payload, {}, None

    def _multipart(
        self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None
    ) -> Any:
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        parts = [p.get_payload(decode=True) for p in message.iter_parts()]
        meta, content = json.loads(parts[0]), parts[1]
        file_id = path.rstrip("/").split("/")[-1]
        if method == "PATCH":
            return self._apply_update(file_id, meta, query, content)
        status, payload = self._new_file(meta, content)
        return status, select_fields(payload, query.get("fields")) if status == 200 else payload, {}, None

    def _update(self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None) -> Any:
        return self._apply_update(path.split("/")[2], json.loads(body or b"{}"), query, None)

    def _apply_update(
        self, file_id: str, meta: dict[str, Any], query: dict[str, str], content: bytes | None
    ) -> Any:
        record = self.drive.files.get(file_id)
        if record is None:
            return (*_error(404, "notFound", "File not found."), {}, None)
        for key, value in meta.items():
            if key == "appProperties":
                props = {**record["appProperties"], **value}
                record["appProperties"] = {k: v for k, v in props.items() if v is not None}
            elif key in ("name", "description", "trashed", "mimeType"):
                record[key] = value
        parents = [p for p in record["parents"] if p not in query.get("removeParents", "").split(",")]
        parents += [p for p in query.get("addParents", "").split(",") if p and p not in parents]
        record["parents"] = parents
        if content is not None:
            self.drive.content[file_id] = content
            record.update(size=str(len(content)), md5Checksum=hashlib.md5(content).hexdigest())
        return 200, select_fields(record, query.get("fields")), {}, None

    def _upload_init(
        self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None
    ) -> Any:
        total = self.headers.get("X-Upload-Content-Length")
        file_id = path.rstrip("/").split("/")[-1] if method == "PATCH" else None
        if file_id is not None and file_id not in self.drive.files:
            return (*_error(404, "notFound", "File not found."), {}, None)
        session = f"up{self.drive.new_id()}"
        upload = Upload(json.loads(body or b"{}"), int(total) if total else None, file_id)
        upload.meta["_query"] = query
        if file_id is None and "mimeType" not in upload.meta and self.headers.get("X-Upload-Content-Type"):
            upload.meta["mimeType"] = self.headers["X-Upload-Content-Type"]
        self.drive.uploads[session] = upload
        location = f"{self.drive.root_url}upload/drive/v3/files?uploadType=resumable&upload_id={session}"
        return 200, None, {"Location": location}, b""

    def _upload_chunk(
        self, method: str, path: str, query: dict[str, str], body: bytes, fault: str | None
    ) -> Any:
        upload = self.drive.uploads.get(query.get("upload_id", ""))
        if upload is None:
            return (*_error(404, "notFound", "Upload session not found."), {}, None)
        m = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)", self.headers.get("Content-Range", "bytes */*"))
        if m is None:
            return (*_error(400, "badRequest", "Bad Content-Range."), {}, None)
        if m.group(3) != "*":
            upload.total = int(m.group(3))
        if upload.result is not None:
            return 200, upload.result, {}, None
        if m.group(1) is not None:
            start = int(m.group(1))
            if start > len(upload.data):
                return (*_error(400, "badRequest", "Chunk starts after the received bytes."), {}, None)
            del upload.data[start:]
            if fault == "cut":
                # The connection died mid-chunk: keep whole 256 KiB units of what arrived, answer nothing.
                keep = (len(body) // 2) // QUANTUM * QUANTUM
                upload.data += body[:keep]
                return 308, None, {}, None
            upload.data += body
        if upload.total is not None and len(upload.data) >= upload.total:
            query = upload.meta.pop("_query")
            meta = {k: v for k, v in upload.meta.items()}
            if upload.file_id is not None:
                status, payload, _, _ = self._apply_update(upload.file_id, meta, query, bytes(upload.data))
            else:
                status, payload = self._new_file(meta, bytes(upload.data))
                payload = select_fields(payload, query.get("fields")) if status == 200 else payload
            if status == 200:
                upload.result = payload
            return status, payload, {}, None
        headers = {"Range": f"bytes=0-{len(upload.data) - 1}"} if upload.data else {}
        return 308, None, headers, b""
