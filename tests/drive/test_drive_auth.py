"""Token store: load (plain/encrypted), refresh under a lock, atomic write-back only when changed."""

from __future__ import annotations

import contextlib
import json
import os
import threading

import google_auth_httplib2
import httplib2
import pytest
from cryptography.fernet import Fernet

from drive import tokenfile
from drive.auth import TokenStore
from drive.errors import DriveAuthError, DriveConfigError
from tests.drive.drive_testkit import token_info


@contextlib.contextmanager
def refresh_request(fake):
    http = httplib2.Http(ca_certs=str(fake.ca_path))
    try:
        yield google_auth_httplib2.Request(http)
    finally:
        http.close()


def store_for(fake, token_dir, key=None, **kw):
    return TokenStore(token_dir, key, token_uri=fake.token_uri, **kw)


def test_valid_token_is_not_refreshed_nor_rewritten(fake, volume):
    before = os.stat(volume / "token.json")
    with refresh_request(fake) as request:
        creds = store_for(fake, volume).load_valid(request)
    assert creds.valid and creds.token == "ya29.initial-access-token"
    assert fake.token_requests == []
    after = os.stat(volume / "token.json")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_expired_token_is_refreshed_and_written_atomically(fake, volume, monkeypatch):
    (volume / "token.json").write_text(json.dumps(token_info(fake, expires_in_s=-10)))
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(tokenfile.os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b)))
    with refresh_request(fake) as request:
        creds = store_for(fake, volume).load_valid(request)
    assert creds.valid and creds.token in fake.valid_tokens
    stored = json.loads((volume / "token.json").read_text())
    assert stored["token"] == creds.token and stored["refresh_token"] == fake.refresh_token
    assert stored["token_uri"] == fake.token_uri
    assert len(replaced) == 1 and str(replaced[0][1]) == str(volume / "token.json")
    assert oct((volume / "token.json").stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in volume.iterdir()) == ["token.json", "token.json.lock"]


def test_encrypted_token_round_trip(fake, volume):
    key = Fernet.generate_key().decode()
    (volume / "token.json").unlink()
    info = token_info(fake, expires_in_s=-10)
    (volume / "token.json.enc").write_bytes(tokenfile.encode_token(info, key))
    with refresh_request(fake) as request:
        creds = store_for(fake, volume, key).load_valid(request)
    raw = (volume / "token.json.enc").read_bytes()
    assert fake.refresh_token.encode() not in raw and b"refresh_token" not in raw
    assert tokenfile.decode_token(raw, key, "x")["token"] == creds.token
    assert not (volume / "token.json").exists()


def test_wrong_key_plain_file_with_key_and_bad_key(fake, volume):
    with pytest.raises(DriveAuthError, match="unencrypted token.json.*--encrypt"):
        store_for(fake, volume, Fernet.generate_key().decode()).load()
    (volume / "token.json.enc").write_bytes(
        tokenfile.encode_token(token_info(fake), Fernet.generate_key().decode())
    )
    with pytest.raises(DriveAuthError, match="does not decrypt"):
        store_for(fake, volume, Fernet.generate_key().decode()).load()
    with pytest.raises(DriveConfigError, match="not a valid Fernet key"):
        store_for(fake, volume, "not-a-key").load()


def test_missing_token_says_how_to_authorize(fake, tmp_path):
    with pytest.raises(DriveAuthError, match=r"No OAuth token at .*python -m drive\.authorize"):
        store_for(fake, tmp_path).load()


def test_client_filled_from_client_secrets(fake, volume, tmp_path):
    info = token_info(fake)
    del info["client_id"], info["client_secret"]
    (volume / "token.json").write_text(json.dumps(info))
    with pytest.raises(DriveAuthError, match="lacks client_id, client_secret"):
        store_for(fake, volume).load()
    secrets = tmp_path / "oauth_credentials.json"
    secrets.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": fake.client_id,
                    "client_secret": fake.client_secret,
                    "token_uri": "https://oauth2.googleapis.com/token",
                }
            }
        )
    )
    creds = TokenStore(volume, None, secrets, fake.token_uri).load()
    assert creds.client_id == fake.client_id and creds.token_uri == fake.token_uri


def test_concurrent_workers_refresh_once(fake, volume):
    """Two workers sharing the volume find the token expired: the lock makes only one of them refresh."""
    (volume / "token.json").write_text(json.dumps(token_info(fake, expires_in_s=-10)))
    tokens, errors = [], []

    def worker():
        try:
            with refresh_request(fake) as request:
                tokens.append(store_for(fake, volume).load_valid(request).token)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(fake.token_requests) == 1 and len(set(tokens)) == 1


def test_save_if_changed(fake, volume):
    store = store_for(fake, volume)
    creds = store.load()
    assert store.save_if_changed(creds) is False
    creds.token = "ya29.changed-token-value"
    assert store.save_if_changed(creds) is True
    assert json.loads((volume / "token.json").read_text())["token"] == "ya29.changed-token-value"


def test_lock_held_too_long_gives_a_clear_error(fake, volume):
    import filelock

    (volume / "token.json").write_text(json.dumps(token_info(fake, expires_in_s=-10)))
    holder = filelock.FileLock(str(volume / "token.json.lock"), thread_local=False)
    holder.acquire()
    try:
        done: list[BaseException] = []

        def other_worker():  # another thread = another lock owner, like another worker process
            try:
                with refresh_request(fake) as request:
                    store_for(fake, volume, lock_timeout_s=0.2).load_valid(request)
            except BaseException as exc:  # noqa: BLE001 - inspected below
                done.append(exc)

        t = threading.Thread(target=other_worker)
        t.start()
        t.join()
    finally:
        holder.release()
    assert isinstance(done[0], DriveAuthError) and "delete that lock file" in str(done[0])
