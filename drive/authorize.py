"""One-time operator authorization: ``python -m drive.authorize --client-secrets oauth_credentials.json
--out token.json [--console] [--encrypt]``.

Runs Google's installed-app flow (full ``drive`` scope) and writes the token JSON the worker reads from
OAUTH_TOKEN_DIR. With a browser on this machine the flow uses a loopback redirect; ``--console`` prints
the consent link for any browser and asks for the address that browser ends on (copy-paste).
Also: ``--from-token token.json --out token.json.enc --encrypt`` re-writes an existing token encrypted,
``--new-key`` prints a fresh Fernet key for OAUTH_TOKEN_KEY.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from google_auth_oauthlib.flow import InstalledAppFlow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests import RequestException

from drive.config import token_key_from_env
from drive.errors import DriveError
from drive.tokenfile import DRIVE_SCOPES, decode_token, encode_token, write_atomic

log = logging.getLogger(__name__)
CONSOLE_REDIRECT_URI = "http://localhost:1/"  # nothing listens there: the browser shows an error page


class AuthorizeError(DriveError):
    code = "authorize"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m drive.authorize", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--client-secrets", type=Path, help="OAuth client JSON (Desktop app) from Google Cloud"
    )
    parser.add_argument("--out", type=Path, default=Path("token.json"), help="where to write the token")
    parser.add_argument("--console", action="store_true", help="no browser here: copy-paste the consent link")
    parser.add_argument(
        "--encrypt", action="store_true", help="encrypt with the Fernet key in OAUTH_TOKEN_KEY"
    )
    parser.add_argument("--port", type=int, default=0, help="loopback port for the browser flow (0 = any)")
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        help="CA file for a private token endpoint (tests); ignores proxy/CA environment",
    )
    parser.add_argument(
        "--from-token", type=Path, help="re-write this plain token JSON instead of authorizing"
    )
    parser.add_argument("--new-key", action="store_true", help="print a new Fernet key for OAUTH_TOKEN_KEY")
    args = parser.parse_args(argv)
    if not (args.new_key or args.from_token or args.client_secrets):
        parser.error("--client-secrets is required (or --from-token / --new-key)")
    return args


def code_from_redirect(pasted: str, state: str) -> str:
    """The authorization code from the pasted browser address (or a bare code); checks ``state``."""
    pasted = pasted.strip()
    if not pasted.startswith("http"):
        if not pasted:
            raise AuthorizeError("Nothing was pasted; run the command again and paste the whole address.")
        return pasted
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(pasted).query)
    if "error" in query:
        raise AuthorizeError(
            f"Google refused the authorization ({query['error'][0]}); run the command again and "
            "allow access to Google Drive."
        )
    if query.get("state", [None])[0] != state:
        raise AuthorizeError(
            "The pasted address belongs to another authorization attempt (state mismatch); "
            "use the link printed by this run."
        )
    if "code" not in query:
        raise AuthorizeError("The pasted address has no 'code='; paste the full address the browser shows.")
    return query["code"][0]


def console_flow(
    flow: InstalledAppFlow,
    input_fn: Callable[[str], str],
    out: Callable[[str], None],
) -> Any:
    """Copy-paste variant of the installed-app flow for a machine without a browser."""
    flow.redirect_uri = CONSOLE_REDIRECT_URI
    url, state = flow.authorization_url(access_type="offline", prompt="consent")
    out(
        "1. Open this link in a browser on any computer and allow access to Google Drive:\n\n"
        f"{url}\n\n2. The browser then fails to open a 'localhost' page. That is expected: copy the whole "
        "address from its address bar.\n"
    )
    code = code_from_redirect(input_fn("3. Paste the address here: "), state)
    flow.fetch_token(code=code)
    return flow.credentials


def _token_info(creds: Any) -> dict[str, Any]:
    info = json.loads(creds.to_json())
    if not info.get("refresh_token"):
        raise AuthorizeError(
            "Google returned no refresh token. Remove the app's access at "
            "https://myaccount.google.com/permissions and run the command again."
        )
    return info


def write_token(info: dict[str, Any], out_path: Path, key: str | None) -> None:
    write_atomic(out_path, encode_token(info, key))


def main(
    argv: Sequence[str] | None = None,
    *,
    env: dict[str, str] | None = None,
    input_fn: Callable[[str], str] = input,
    out: Callable[[str], None] | None = None,
) -> int:
    args = parse_args(argv)
    say = out or (lambda text: print(text, file=sys.stderr))
    if args.new_key:
        print(Fernet.generate_key().decode())
        return 0
    key = token_key_from_env(os.environ if env is None else env) if args.encrypt else None
    if args.encrypt and not key:
        say(
            "--encrypt needs the key in OAUTH_TOKEN_KEY "
            "(make one with `python -m drive.authorize --new-key`)."
        )
        return 2
    try:
        if args.from_token:
            info = decode_token(args.from_token.read_bytes(), None, str(args.from_token))
        else:
            flow = InstalledAppFlow.from_client_secrets_file(str(args.client_secrets), scopes=DRIVE_SCOPES)
            if args.ca_bundle:
                # The token request goes through requests; REQUESTS_CA_BUNDLE in the environment would win
                # over the session's verify, so the session stops reading the environment.
                flow.oauth2session.verify = str(args.ca_bundle)
                flow.oauth2session.trust_env = False
            if args.console:
                creds = console_flow(flow, input_fn, say)
            else:
                creds = flow.run_local_server(port=args.port, access_type="offline", prompt="consent")
            info = _token_info(creds)
        write_token(info, args.out, key)
    except (DriveError, OSError, OAuth2Error, RequestException, ValueError) as exc:
        say(f"Authorization failed: {exc}")
        return 1
    say(
        f"Token written to {args.out}{' (encrypted)' if key else ''}. "
        "Copy it to OAUTH_TOKEN_DIR on the network "
        f"volume as {'token.json.enc' if key else 'token.json'} and keep it private."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
