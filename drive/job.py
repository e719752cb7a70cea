"""The Drive part of a job input: which file, optional name and folder overrides (validated)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from drive.config import FOLDER_ENV, DriveSettings
from drive.errors import DriveConfigError
from ergopipe.config import FILE_ID_RE  # one definition of a valid Drive ID for the job input and drive/
from ergopipe.errors import InputError

FOLDER_ROLES = tuple(FOLDER_ENV)  # upload, processing, completed, archive, logs


def _file_id(value: Any, key: str) -> str:
    if not isinstance(value, str) or not FILE_ID_RE.match(value):
        raise InputError(
            f"'{key}' must be a Google Drive ID (10-200 letters, digits, '-' or '_'), got {value!r}. "
            "Copy it from the file's link: https://drive.google.com/file/d/<ID>/view."
        )
    return value


@dataclass(frozen=True)
class DriveJob:
    """One hot-folder job: the source video's Drive ID plus optional overrides."""

    file_id: str
    file_name: str | None = None  # informative (from the Apps Script); Drive's own name wins
    folders: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_input(cls, inp: Mapping[str, Any]) -> DriveJob:
        """Read ``file_id``, ``file_name`` and ``folders`` from a job input; other keys are ignored here."""
        if "file_id" not in inp:
            raise InputError("The job input needs 'file_id' (the Google Drive ID of the video).")
        file_id = _file_id(inp["file_id"], "file_id")
        name = inp.get("file_name")
        if name is not None and (not isinstance(name, str) or len(name) > 1000):
            raise InputError(f"'file_name' must be a string (the video's name), got {name!r}.")
        raw = inp.get("folders") or {}
        if not isinstance(raw, Mapping):
            raise InputError(f"'folders' must be an object with keys {', '.join(FOLDER_ROLES)}, got {raw!r}.")
        unknown = sorted(set(raw) - set(FOLDER_ROLES))
        if unknown:
            raise InputError(
                f"'folders' has unknown key(s) {', '.join(map(str, unknown))}; "
                f"allowed: {', '.join(FOLDER_ROLES)}."
            )
        folders = {
            role: _file_id(value, f"folders.{role}") for role, value in raw.items() if value is not None
        }
        return cls(file_id=file_id, file_name=name, folders=MappingProxyType(folders))

    def folder(self, role: str, settings: DriveSettings) -> str | None:
        """The folder ID for ``role``: the job's override, else the worker setting, else None."""
        return self.folders.get(role) or settings.folder(role)

    def required_folder(self, role: str, settings: DriveSettings) -> str:
        folder = self.folder(role, settings)
        if folder is None:
            raise DriveConfigError(
                f"No '{role}' folder: set {FOLDER_ENV[role]} on the endpoint or pass "
                f"folders.{role} in the job input."
            )
        return folder
