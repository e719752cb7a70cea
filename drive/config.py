"""Drive settings, read once at worker start from an environment mapping (the only env reader here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ergopipe.errors import InputError

DEFAULT_TOKEN_DIR = Path("/runpod-volume/oauth")
UPLOAD_CHUNK_QUANTUM_BYTES = 256 * 1024  # resumable upload chunks must be multiples of 256 KiB
FOLDER_ENV = {
    "upload": "GOOGLE_DRIVE_FOLDER_UPLOAD",
    "processing": "GOOGLE_DRIVE_FOLDER_PROCESSING",
    "completed": "GOOGLE_DRIVE_FOLDER_COMPLETED",
    "archive": "GOOGLE_DRIVE_FOLDER_ARCHIVE",
    "logs": "GOOGLE_DRIVE_FOLDER_LOGS",
}


def _number(env: Mapping[str, str], name: str, default: float | None) -> float | None:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(
            f"Environment variable {name}={raw!r} is not a number; fix it on the endpoint."
        ) from None
    if value <= 0:
        raise InputError(f"Environment variable {name}={raw!r} must be > 0; fix it on the endpoint.")
    return value


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name)
    return Path(raw) if raw else None


def token_key_from_env(env: Mapping[str, str]) -> str | None:
    """The Fernet key for token encryption at rest (``OAUTH_TOKEN_KEY``), or None."""
    return env.get("OAUTH_TOKEN_KEY") or None


@dataclass(frozen=True)
class DriveSettings:
    """Operator settings of the Drive side; built once per worker process by :meth:`from_env`.

    Folder IDs may be None (not configured); a job can override them. Sizes are bytes, durations seconds.
    """

    folder_upload: str | None
    folder_processing: str | None
    folder_completed: str | None
    folder_archive: str | None
    folder_logs: str | None
    token_dir: Path
    credentials_path: Path | None
    token_key: str | None  # Fernet key (OAUTH_TOKEN_KEY); never logged
    api_endpoint: str | None  # root URL of the Drive API (tests, private endpoints)
    token_uri: str | None  # OAuth token refresh endpoint override
    ca_bundle: Path | None  # CA file trusted for both of the above
    max_video_bytes: int
    max_video_duration_s: float | None
    chunk_bytes: int  # download and upload chunk size, a multiple of 256 KiB
    retries: int  # attempts after the first for each transfer step

    def __repr__(self) -> str:  # keep the key out of any accidental log line
        return (
            f"DriveSettings(token_dir={str(self.token_dir)!r}, encrypted={self.token_key is not None}, ...)"
        )

    def folder(self, role: str) -> str | None:
        """The configured folder ID for ``role`` (one of :data:`FOLDER_ENV`)."""
        return getattr(self, f"folder_{role}")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DriveSettings:
        chunk_mib = _number(env, "GOOGLE_DRIVE_CHUNK_MB", 8.0)
        assert chunk_mib is not None
        quanta = max(1, round(chunk_mib * 1024 * 1024 / UPLOAD_CHUNK_QUANTUM_BYTES))
        retries_raw = env.get("GOOGLE_DRIVE_RETRIES", "6")
        if not retries_raw.isdigit():
            raise InputError(f"GOOGLE_DRIVE_RETRIES={retries_raw!r} must be a whole number >= 0.")
        max_bytes = _number(env, "MAX_VIDEO_BYTES", float(2 * 1024**3))
        assert max_bytes is not None
        return cls(
            folder_upload=env.get(FOLDER_ENV["upload"]) or None,
            folder_processing=env.get(FOLDER_ENV["processing"]) or None,
            folder_completed=env.get(FOLDER_ENV["completed"]) or None,
            folder_archive=env.get(FOLDER_ENV["archive"]) or None,
            folder_logs=env.get(FOLDER_ENV["logs"]) or None,
            token_dir=_path(env, "OAUTH_TOKEN_DIR") or DEFAULT_TOKEN_DIR,
            credentials_path=_path(env, "OAUTH_CREDENTIALS_PATH"),
            token_key=token_key_from_env(env),
            api_endpoint=env.get("GOOGLE_DRIVE_API_ENDPOINT") or None,
            token_uri=env.get("GOOGLE_OAUTH_TOKEN_URI") or None,
            ca_bundle=_path(env, "GOOGLE_DRIVE_CA_BUNDLE"),
            max_video_bytes=int(max_bytes),
            max_video_duration_s=_number(env, "MAX_VIDEO_DURATION_S", 30 * 60.0),
            chunk_bytes=quanta * UPLOAD_CHUNK_QUANTUM_BYTES,
            retries=int(retries_raw),
        )
