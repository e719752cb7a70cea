"""Fixtures: a running fake Drive over TLS, the hot-folder tree, a token on a temp 'volume', settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drive.config import DriveSettings
from drive.errors import Backoff
from tests.drive.drive_testkit import make_env, make_tree, token_info
from tests.drive.fake_drive import FakeDrive


@pytest.fixture
def fake(tmp_path: Path):
    with FakeDrive(tmp_path) as server:
        yield server


@pytest.fixture
def volume(tmp_path: Path, fake: FakeDrive) -> Path:
    """OAUTH_TOKEN_DIR with a valid plain token.json whose access token the fake accepts."""
    token_dir = tmp_path / "volume" / "oauth"
    token_dir.mkdir(parents=True)
    info = token_info(fake)
    fake.valid_tokens.add(info["token"])
    (token_dir / "token.json").write_text(json.dumps(info))
    return token_dir


@pytest.fixture
def tree(fake: FakeDrive) -> dict[str, str]:
    return make_tree(fake)


@pytest.fixture
def settings(fake: FakeDrive, volume: Path, tree: dict[str, str]) -> DriveSettings:
    return DriveSettings.from_env(make_env(fake, volume, tree))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def backoff(sleeps: list[float]) -> Backoff:
    """Retry policy that records its waits instead of sleeping."""
    return Backoff(retries=4, sleep=sleeps.append)
