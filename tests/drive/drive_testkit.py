"""Helpers for Drive tests (also usable by a handler-level test): token files, env, a fake analyze."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.drive.fake_drive import FakeDrive


def token_info(fake: FakeDrive, token: str = "ya29.initial-access-token", expires_in_s: float = 3000) -> dict:
    """An authorized-user token dict for the fake's OAuth client; expiry ``expires_in_s`` from now."""
    expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=expires_in_s)
    return {
        "token": token,
        "refresh_token": fake.refresh_token,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "token_uri": "https://oauth2.googleapis.com/token",
        "scopes": ["https://www.googleapis.com/auth/drive"],
        "expiry": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def make_tree(fake: FakeDrive) -> dict[str, str]:
    """The five hot folders under one parent; role -> folder ID."""
    root = fake.folder("Ergonomie")
    return {
        role: fake.folder(name, [root])
        for role, name in [
            ("upload", "01-upload"),
            ("processing", "02-processing"),
            ("completed", "03-completed"),
            ("archive", "04-archive"),
            ("logs", "05-logs"),
        ]
    }


def make_env(fake: FakeDrive, token_dir: Path, tree: Mapping[str, str], **extra: str) -> dict[str, str]:
    """Worker environment pointing the Drive client, token refresh and TLS trust at the fake."""
    env = {f"GOOGLE_DRIVE_FOLDER_{role.upper()}": folder for role, folder in tree.items()}
    env.update(
        OAUTH_TOKEN_DIR=str(token_dir),
        GOOGLE_DRIVE_API_ENDPOINT=fake.root_url,
        GOOGLE_OAUTH_TOKEN_URI=fake.token_uri,
        GOOGLE_DRIVE_CA_BUNDLE=str(fake.ca_path),
        GOOGLE_DRIVE_CHUNK_MB="0.25",
        GOOGLE_DRIVE_RETRIES="4",
    )
    env.update(extra)
    return env


def video_bytes(n_bytes: int = 700_000, seed: int = 7) -> bytes:
    """Deterministic pseudo-random bytes standing in for an MP4 (several 256 KiB chunks)."""
    return random.Random(seed).randbytes(n_bytes)


class FakeAnalyze:
    """Stands in for the pipeline: writes small outputs derived from the video bytes, counts its calls."""

    def __init__(self, variant: str = "a", fail: BaseException | None = None) -> None:
        self.calls: list[Path] = []
        self.variant, self.fail = variant, fail

    def __call__(self, video: Path, out_dir: Path) -> dict[str, Any]:
        self.calls.append(video)
        if self.fail is not None:
            raise self.fail
        data = video.read_bytes()
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = video.stem
        files = {
            "xlsx": (f"{stem}_report.xlsx", data[:5000] + self.variant.encode()),
            "video": (f"{stem}_annotated.mp4", data[::-1][:600_000]),  # three 256 KiB upload chunks
            "csv": (f"{stem}_frames.csv", b"frame,trunk_flexion_deg\n0,12.5\n1,13.0\n"),
            "json": (f"{stem}_results.json", json.dumps({"variant": self.variant}).encode()),
            "png": (f"{stem}_trunk.png", b"\x89PNG\r\n\x1a\n" + data[:2000]),
        }
        outputs = {}
        for kind, (name, content) in files.items():
            (out_dir / name).write_bytes(content)
            outputs[kind] = str(out_dir / name)
        return {
            "summary": {"reba": {"max_score": 7}},
            "video": {"name": video.name, "frames_analysed": 100},
            "outputs": outputs,
            "warnings": [],
        }
