"""A thin Drive v3 client: metadata, search, folders, moves; transfers live in drive.transfer.

Every call passes ``supportsAllDrives=True`` and runs inside the :class:`~drive.errors.Backoff` retry loop
(googleapiclient's own ``num_retries`` stays 0, so exactly one retry policy applies).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import google_auth_httplib2
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from drive.config import DriveSettings
from drive.errors import Backoff, classify

log = logging.getLogger(__name__)
FOLDER_MIME = "application/vnd.google-apps.folder"
FILE_FIELDS = (
    "id,name,mimeType,size,md5Checksum,parents,trashed,appProperties,webViewLink,description,"
    "videoMediaMetadata(durationMillis,width,height)"
)
HTTP_TIMEOUT_S = 120


def build_http(settings: DriveSettings) -> httplib2.Http:
    """An httplib2.Http trusting ``settings.ca_bundle``.

    308 is not a redirect here: resumable uploads use it for "Resume Incomplete".
    """
    http = httplib2.Http(
        ca_certs=str(settings.ca_bundle) if settings.ca_bundle else None, timeout=HTTP_TIMEOUT_S
    )
    http.redirect_codes = http.redirect_codes - {308}
    return http


def api_base(endpoint: str) -> str:
    """The base for ``client_options``: a root URL (``https://host/``) gets Drive's ``drive/v3/`` path."""
    base = endpoint if endpoint.endswith("/") else endpoint + "/"
    return base if base.rstrip("/").endswith("/drive/v3") else base + "drive/v3/"


def folder_url(folder_id: str) -> str:
    return f"https://drive.google.com/drive/folders/{folder_id}"


def quote(value: str) -> str:
    """A string literal for a Drive ``q`` expression."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def app_properties_query(props: Mapping[str, str]) -> str:
    return " and ".join(
        f"appProperties has {{ key={quote(k)} and value={quote(v)} }}" for k, v in props.items()
    )


class DriveClient:
    """Drive v3 operations used by the hot folder; errors come out as :class:`drive.errors.DriveError`."""

    def __init__(self, service: Any, backoff: Backoff, chunk_bytes: int, http: Any = None) -> None:
        self.service = service
        self._http = http
        self.files = service.files()  # building the resource costs ~10 ms: once per client
        self.backoff = backoff
        self.chunk_bytes = chunk_bytes

    @classmethod
    def connect(
        cls, settings: DriveSettings, creds: Credentials, backoff: Backoff | None = None
    ) -> DriveClient:
        """Build the service offline (static discovery document) on an authorized httplib2 transport."""
        authed = google_auth_httplib2.AuthorizedHttp(creds, http=build_http(settings))
        options = {"api_endpoint": api_base(settings.api_endpoint)} if settings.api_endpoint else None
        service = build(
            "drive", "v3", http=authed, client_options=options, static_discovery=True, cache_discovery=False
        )
        return cls(service, backoff or Backoff(retries=settings.retries), settings.chunk_bytes, authed)

    def close(self) -> None:
        """Close pooled connections (a worker runs many jobs; each job builds its own client)."""
        if self._http is not None:
            self._http.close()

    def get(self, file_id: str, what: str = "reading file metadata") -> dict[str, Any]:
        return self.backoff.run(
            lambda: self.files.get(fileId=file_id, fields=FILE_FIELDS, supportsAllDrives=True).execute(), what
        )

    def get_or_none(self, file_id: str) -> dict[str, Any] | None:
        try:
            return self.files.get(fileId=file_id, fields=FILE_FIELDS, supportsAllDrives=True).execute()
        except HttpError as exc:
            if int(exc.resp.status) == 404:
                return None
            raise classify(exc, "reading file metadata") from exc

    def search(self, q: str, what: str = "searching Drive") -> list[dict[str, Any]]:
        """All non-paginated results of a ``q`` query (follows nextPageToken)."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:

            def page(token: str | None = token) -> dict[str, Any]:
                return self.files.list(
                    q=q,
                    fields=f"nextPageToken,files({FILE_FIELDS})",
                    pageSize=100,
                    pageToken=token,
                    supportsAllDrives=True,
                    includeItemsFromAllDrives=True,
                    spaces="drive",
                ).execute()

            answer = self.backoff.run(page, what)
            found.extend(answer.get("files", []))
            token = answer.get("nextPageToken")
            if not token:
                return found

    def find(
        self,
        parent: str | None,
        props: Mapping[str, str],
        *,
        name: str | None = None,
        mime: str | None = None,
    ) -> list[dict[str, Any]]:
        """Untrashed files carrying all ``props`` as appProperties (in ``parent`` when given)."""
        terms = ["trashed = false", app_properties_query(props)]
        if parent:
            terms.insert(0, f"{quote(parent)} in parents")
        if name is not None:
            terms.append(f"name = {quote(name)}")
        if mime is not None:
            terms.append(f"mimeType = {quote(mime)}")
        return self.search(" and ".join(terms))

    def generate_id(self) -> str:
        answer = self.backoff.run(
            lambda: self.files.generateIds(count=1, space="drive").execute(), "reserving a file ID"
        )
        return str(answer["ids"][0])

    def create(self, body: Mapping[str, Any], what: str) -> dict[str, Any]:
        """Create a metadata-only file (e.g. a folder) exactly once.

        The ID is reserved first, so a create that httplib2 silently re-sends, or that succeeded before an
        error, is recognised (the second attempt conflicts; the file is then fetched by ID).
        """
        body = {**body, "id": body.get("id") or self.generate_id()}

        def attempt() -> dict[str, Any]:
            try:
                return self.files.create(body=body, fields=FILE_FIELDS, supportsAllDrives=True).execute()
            except HttpError as exc:
                if int(exc.resp.status) in (400, 409):
                    existing = self.get_or_none(body["id"])
                    if existing is not None:
                        return existing
                raise

        return self.backoff.run(attempt, what)

    def ensure_folder(
        self, parent: str, name: str, props: Mapping[str, str], match: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The folder in ``parent`` tagged ``match`` (default ``props``), else a new one named ``name``."""
        found = self.find(parent, match if match is not None else props, mime=FOLDER_MIME)
        if found:
            if len(found) > 1:
                log.warning("Drive: %d folders carry the same tags; using the first", len(found))
            return found[0]
        return self.create(
            {"name": name, "mimeType": FOLDER_MIME, "parents": [parent], "appProperties": dict(props)},
            f"creating folder {name!r}",
        )

    def update(
        self,
        file_id: str,
        body: Mapping[str, Any] | None = None,
        *,
        add_parents: Iterable[str] = (),
        remove_parents: Iterable[str] = (),
        what: str = "updating a file",
    ) -> dict[str, Any]:
        """Metadata update and/or move (an idempotent PATCH: safe to repeat)."""
        kwargs: dict[str, Any] = {
            "fileId": file_id,
            "body": dict(body or {}),
            "fields": FILE_FIELDS,
            "supportsAllDrives": True,
        }
        if add_parents:
            kwargs["addParents"] = ",".join(add_parents)
        if remove_parents:
            kwargs["removeParents"] = ",".join(remove_parents)
        return self.backoff.run(lambda: self.files.update(**kwargs).execute(), what)

    def move(
        self, file_id: str, to_folder: str, body: Mapping[str, Any] | None = None, what: str = "moving a file"
    ) -> dict[str, Any]:
        """Put the file in ``to_folder`` only (removing all other parents), optionally updating metadata."""
        current = self.get(file_id, what)
        old = [p for p in current.get("parents", []) if p != to_folder]
        if not old and to_folder in current.get("parents", []) and not body:
            return current
        return self.update(
            file_id,
            body,
            add_parents=[to_folder] if to_folder not in current.get("parents", []) else [],
            remove_parents=old,
            what=what,
        )

    def trash(self, file_id: str) -> None:
        self.update(file_id, {"trashed": True}, what="removing a duplicate")
