"""Operator CLIs offline: argument parsing, the console copy-paste flow against the fake token endpoint,
the pickle converter."""

from __future__ import annotations

import json
import pickle
import re
import urllib.parse

import pytest
from cryptography.fernet import Fernet
from google.oauth2.credentials import Credentials

from drive import authorize, convert_pickle
from drive.auth import TokenStore
from drive.authorize import AuthorizeError, code_from_redirect, parse_args


def client_secrets(tmp_path, fake):
    path = tmp_path / "oauth_credentials.json"
    path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": fake.client_id,
                    "client_secret": fake.client_secret,
                    "project_id": "fake",
                    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                    "token_uri": fake.token_uri,
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    return path


def test_parse_args():
    args = parse_args(["--client-secrets", "c.json", "--out", "t.json", "--console", "--encrypt"])
    assert (str(args.client_secrets), str(args.out), args.console, args.encrypt) == (
        "c.json",
        "t.json",
        True,
        True,
    )
    with pytest.raises(SystemExit):
        parse_args([])


def test_code_from_redirect():
    url = "http://localhost:1/?state=abc&code=4/0Axyz&scope=https://www.googleapis.com/auth/drive"
    assert code_from_redirect(url, "abc") == "4/0Axyz"
    assert code_from_redirect("  4/0bare-code \n", "abc") == "4/0bare-code"
    with pytest.raises(AuthorizeError, match="state mismatch"):
        code_from_redirect(url, "other")
    with pytest.raises(AuthorizeError, match="access_denied"):
        code_from_redirect("http://localhost:1/?error=access_denied&state=abc", "abc")


@pytest.mark.parametrize("encrypt", [False, True])
def test_console_flow_writes_a_token_the_worker_loads(tmp_path, fake, encrypt):
    fake.auth_codes["4/0fake-code"] = fake.refresh_token
    printed: list[str] = []

    def paste(prompt: str) -> str:
        url = re.search(r"https://accounts\.google\.com/\S+", printed[0]).group(0)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        assert query["scope"] == ["https://www.googleapis.com/auth/drive"]
        assert query["access_type"] == ["offline"] and query["code_challenge_method"] == ["S256"]
        return f"{query['redirect_uri'][0]}?state={query['state'][0]}&code=4/0fake-code&scope=x"

    key = Fernet.generate_key().decode()
    out = tmp_path / ("token.json.enc" if encrypt else "token.json")
    argv = [
        "--client-secrets",
        str(client_secrets(tmp_path, fake)),
        "--out",
        str(out),
        "--console",
        "--ca-bundle",
        str(fake.ca_path),
    ] + (["--encrypt"] if encrypt else [])
    rc = authorize.main(argv, env={"OAUTH_TOKEN_KEY": key}, input_fn=paste, out=printed.append)
    assert rc == 0, printed
    assert fake.token_requests[-1]["grant_type"] == "authorization_code"
    creds = TokenStore(tmp_path, key if encrypt else None, token_uri=fake.token_uri).load()
    assert creds.refresh_token == fake.refresh_token and creds.token in fake.valid_tokens


def test_encrypt_without_key_and_from_token(tmp_path, fake):
    assert authorize.main(["--client-secrets", "x.json", "--encrypt"], env={}, out=lambda s: None) == 2
    plain = tmp_path / "plain.json"
    plain.write_text(
        json.dumps({"refresh_token": "1//r-abcdefghijk", "client_id": "c", "client_secret": "s"})
    )
    key = Fernet.generate_key().decode()
    enc = tmp_path / "out" / "token.json.enc"
    assert (
        authorize.main(
            ["--from-token", str(plain), "--out", str(enc), "--encrypt"],
            env={"OAUTH_TOKEN_KEY": key},
            out=lambda s: None,
        )
        == 0
    )
    assert json.loads(Fernet(key.encode()).decrypt(enc.read_bytes()))["refresh_token"] == "1//r-abcdefghijk"


def test_convert_pickle(tmp_path, fake):
    creds = Credentials(
        "ya29.old",
        refresh_token=fake.refresh_token,
        token_uri="https://oauth2.googleapis.com/token",
        client_id=fake.client_id,
        client_secret=fake.client_secret,
    )
    src = tmp_path / "token.pickle"
    src.write_bytes(pickle.dumps(creds))
    said: list[str] = []
    assert (
        convert_pickle.main([str(src), "--out", str(tmp_path / "token.json")], env={}, out=said.append) == 0
    )
    assert "arbitrary code" in said[0]
    loaded = TokenStore(tmp_path, token_uri=fake.token_uri).load()
    assert loaded.refresh_token == fake.refresh_token and loaded.client_secret == fake.client_secret
    src.write_bytes(pickle.dumps({"not": "credentials"}))
    assert convert_pickle.main([str(src), "--out", str(tmp_path / "x.json")], env={}, out=said.append) == 1


def test_browser_flow_with_a_scripted_browser(tmp_path, fake, monkeypatch):
    """run_local_server: the 'browser' follows the consent link's redirect back to the loopback server."""
    import threading
    import urllib.request
    import webbrowser

    fake.auth_codes["4/0browser-code"] = fake.refresh_token
    visited: list[str] = []

    class ScriptedBrowser:
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            visited.append(url)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
            back = f"{query['redirect_uri'][0]}?state={query['state'][0]}&code=4/0browser-code"
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            threading.Thread(target=lambda: opener.open(back, timeout=10).read(), daemon=True).start()
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a, **k: ScriptedBrowser())
    out = tmp_path / "token.json"
    argv = [
        "--client-secrets",
        str(client_secrets(tmp_path, fake)),
        "--out",
        str(out),
        "--ca-bundle",
        str(fake.ca_path),
    ]
    assert authorize.main(argv, env={}, out=lambda s: None) == 0
    assert visited and "prompt=consent" in visited[0] and "access_type=offline" in visited[0]
    assert TokenStore(tmp_path, token_uri=fake.token_uri).load().refresh_token == fake.refresh_token
