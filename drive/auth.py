"""OAuth user credentials from the network volume: load, refresh when needed, write back safely.

Several workers share the volume: reads need no lock (writes are atomic replaces); refresh and write-back
happen under a ``filelock`` lock, and the file is re-read under it so only one worker refreshes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import filelock
from google.auth import exceptions as auth_exceptions
from google.auth.transport import Request
from google.oauth2.credentials import Credentials

from drive.config import DriveSettings
from drive.errors import REAUTHORIZE_HINT, DriveAuthError, auth_error
from drive.tokenfile import (
    DRIVE_SCOPES,
    ENCRYPTED_NAME,
    LOCK_NAME,
    PLAIN_NAME,
    REQUIRED_KEYS,
    client_info,
    decode_token,
    encode_token,
    write_atomic,
)

log = logging.getLogger(__name__)


def _fingerprint(creds: Credentials) -> tuple[Any, ...]:
    """What must be persisted when it changes (compared, never logged)."""
    return (creds.token, creds.refresh_token, creds.expiry)


class TokenStore:
    """The token file in ``token_dir`` (``token.json``, or ``token.json.enc`` when a key is set)."""

    def __init__(
        self,
        token_dir: Path,
        key: str | None = None,
        credentials_path: Path | None = None,
        token_uri: str | None = None,
        lock_timeout_s: float = 120.0,
    ) -> None:
        self.token_dir = token_dir
        self._key = key
        self._credentials_path = credentials_path
        self._token_uri = token_uri
        self._lock = filelock.FileLock(str(token_dir / LOCK_NAME), timeout=lock_timeout_s)
        self._saved: tuple[Any, ...] | None = None

    @classmethod
    def from_settings(cls, settings: DriveSettings) -> TokenStore:
        return cls(settings.token_dir, settings.token_key, settings.credentials_path, settings.token_uri)

    @property
    def path(self) -> Path:
        return self.token_dir / (ENCRYPTED_NAME if self._key else PLAIN_NAME)

    def _read_info(self) -> dict[str, Any]:
        if not self.path.is_file():
            plain = self.token_dir / PLAIN_NAME
            if self._key and plain.is_file():
                raise DriveAuthError(
                    f"OAUTH_TOKEN_KEY is set but {self.token_dir} holds an unencrypted {PLAIN_NAME}"
                    f". Encrypt it: `python -m drive.authorize --from-token {PLAIN_NAME} --out "
                    f"{ENCRYPTED_NAME} --encrypt`, copy it there and delete {PLAIN_NAME}."
                )
            raise DriveAuthError(f"No OAuth token at {self.path}. " + REAUTHORIZE_HINT)
        info = decode_token(self.path.read_bytes(), self._key, str(self.path))
        if self._credentials_path is not None and not all(
            info.get(k) for k in ("client_id", "client_secret")
        ):
            # Tokens converted from old pickles may lack the client; the client secrets file supplies it.
            info = {**client_info(self._credentials_path), **{k: v for k, v in info.items() if v}}
        missing = [k for k in REQUIRED_KEYS if not info.get(k)]
        if missing:
            raise DriveAuthError(
                f"The OAuth token {self.path} lacks {', '.join(missing)}. " + REAUTHORIZE_HINT
            )
        return info

    def load(self) -> Credentials:
        """Credentials from the file, pointed at the configured token URI; not refreshed."""
        info = self._read_info()
        try:
            creds = Credentials.from_authorized_user_info(info, scopes=info.get("scopes") or DRIVE_SCOPES)
        except ValueError as exc:
            raise DriveAuthError(
                f"The OAuth token {self.path} is malformed ({exc}). " + REAUTHORIZE_HINT
            ) from None
        if self._token_uri:
            # from_authorized_user_info always sets Google's token URI; tests and private endpoints
            # override it.
            expiry = creds.expiry
            creds = creds.with_token_uri(self._token_uri)
            creds.expiry = (
                expiry  # google-auth 2.63's copy drops the expiry (an expired token would look valid)
            )
        self._saved = _fingerprint(creds)
        return creds

    def save(self, creds: Credentials) -> None:
        """Write the credentials atomically under the lock (the lock is taken by the caller or here)."""
        info = json.loads(creds.to_json())
        with self._lock:
            write_atomic(self.path, encode_token(info, self._key))
        self._saved = _fingerprint(creds)
        log.info("Drive: OAuth token written back to %s", self.path)

    def save_if_changed(self, creds: Credentials) -> bool:
        """Persist ``creds`` when the token changed since load/save (e.g. refreshed during the job)."""
        if self._saved is not None and _fingerprint(creds) == self._saved:
            return False
        self.save(creds)
        return True

    def load_valid(self, request: Request) -> Credentials:
        """Credentials with a usable access token.

        Refreshes under the lock when expired and writes the token back if it changed.
        """
        creds = self.load()
        if creds.valid:
            return creds
        try:
            with self._lock:
                creds = self.load()  # another worker may have refreshed while we waited for the lock
                if not creds.valid:
                    self._refresh(creds, request)
        except filelock.Timeout:
            raise DriveAuthError(
                f"Another worker has held {self.token_dir / LOCK_NAME} for too long while refreshing the "
                "token. Try again; if no worker is running, delete that lock file."
            ) from None
        return creds

    def _refresh(self, creds: Credentials, request: Request) -> None:
        log.info("Drive: access token expired; refreshing")
        try:
            creds.refresh(request)
        except auth_exceptions.RefreshError as exc:
            raise auth_error(exc) from None
        except auth_exceptions.TransportError as exc:
            raise DriveAuthError(
                f"The Google token endpoint could not be reached ({type(exc).__name__}); "
                "try again in a few minutes."
            ) from None
        try:
            self.save_if_changed(creds)
        except OSError as exc:  # e.g. a read-only volume: the refreshed token still works for this job
            log.warning(
                "Drive: could not write the refreshed token to %s (%s)", self.path, type(exc).__name__
            )


def load_credentials(store: TokenStore, settings: DriveSettings) -> Credentials:
    """Valid credentials from `store`, refreshed when needed over this worker's transport (CA bundle, token URI)."""
    import google_auth_httplib2

    from drive.client import build_http  # client does not import auth; imported here to keep it that way

    refresh_http = build_http(settings)
    try:
        return store.load_valid(google_auth_httplib2.Request(refresh_http))
    finally:
        refresh_http.close()

