"""Token file format: Google's authorized-user JSON, optionally Fernet-encrypted; atomic writes.

Pure helpers shared by the worker (drive.auth) and the operator CLIs. Never pickle.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from drive.errors import REAUTHORIZE_HINT, DriveAuthError, DriveConfigError

PLAIN_NAME = "token.json"
ENCRYPTED_NAME = "token.json.enc"
LOCK_NAME = "token.json.lock"
DRIVE_SCOPES = ["https://www.googleapis.com/auth/drive"]
REQUIRED_KEYS = ("refresh_token", "client_id", "client_secret")


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise DriveConfigError(
            "OAUTH_TOKEN_KEY is not a valid Fernet key (44 URL-safe base64 characters). "
            "Generate one with `python -m drive.authorize --new-key`."
        ) from None


def encode_token(info: dict[str, Any], key: str | None) -> bytes:
    """Serialise an authorized-user dict; encrypt it when ``key`` (a Fernet key) is given."""
    data = json.dumps(info, indent=2, sort_keys=True).encode("utf-8")
    return _fernet(key).encrypt(data) if key else data


def decode_token(data: bytes, key: str | None, source: str) -> dict[str, Any]:
    """Inverse of :func:`encode_token`; errors name ``source`` and say what to do (never the content)."""
    if key:
        try:
            data = _fernet(key).decrypt(data)
        except InvalidToken:
            raise DriveAuthError(
                f"OAUTH_TOKEN_KEY does not decrypt {source}: it was encrypted with another key "
                "or is damaged. Set the key used at authorization, or " + REAUTHORIZE_HINT
            ) from None
    try:
        info = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DriveAuthError(f"{source} is not an OAuth token JSON file. " + REAUTHORIZE_HINT) from None
    if not isinstance(info, dict):
        raise DriveAuthError(f"{source} is not an OAuth token JSON object. " + REAUTHORIZE_HINT)
    return info


def client_info(client_secrets_path: Path) -> dict[str, str]:
    """``client_id``, ``client_secret``, ``token_uri`` from a client-secrets file ("installed"/"web")."""
    try:
        raw = json.loads(client_secrets_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DriveConfigError(
            f"Cannot read the OAuth client secrets {client_secrets_path} "
            f"({type(exc).__name__}); download it again from Google Cloud Console."
        ) from None
    section = raw.get("installed") or raw.get("web") or {}
    return {k: section[k] for k in ("client_id", "client_secret", "token_uri") if k in section}


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory + fsync + os.replace (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
