"""One-off: ``python -m drive.convert_pickle token.pickle --out token.json [--encrypt] [--client-secrets F]``.

Converts the old system's pickled google-auth Credentials to the JSON token the worker reads. Unpickling
runs whatever code the file contains: convert only a file you made yourself, then delete the pickle.
The worker never reads pickles.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from drive.authorize import write_token
from drive.config import token_key_from_env
from drive.tokenfile import DRIVE_SCOPES, REQUIRED_KEYS, client_info

WARNING = (
    "WARNING: a pickle file can run arbitrary code when loaded. Only convert a token.pickle that you "
    "created yourself, and delete it (and every copy) once token.json works."
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m drive.convert_pickle", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("pickle", type=Path, help="the old token.pickle")
    parser.add_argument("--out", type=Path, default=Path("token.json"))
    parser.add_argument(
        "--encrypt", action="store_true", help="encrypt with the Fernet key in OAUTH_TOKEN_KEY"
    )
    parser.add_argument(
        "--client-secrets", type=Path, help="supplies client_id/secret if the pickle lacks them"
    )
    return parser.parse_args(argv)


def main(
    argv: Sequence[str] | None = None,
    *,
    env: dict[str, str] | None = None,
    out: Callable[[str], None] | None = None,
) -> int:
    args = parse_args(argv)
    say = out or (lambda text: print(text, file=sys.stderr))
    say(WARNING)
    key = token_key_from_env(os.environ if env is None else env) if args.encrypt else None
    if args.encrypt and not key:
        say(
            "--encrypt needs the key in OAUTH_TOKEN_KEY "
            "(make one with `python -m drive.authorize --new-key`)."
        )
        return 2
    with args.pickle.open("rb") as fh:
        creds = pickle.load(fh)
    if not hasattr(creds, "to_json"):
        say(f"{args.pickle} does not hold google-auth Credentials ({type(creds).__name__}); nothing written.")
        return 1
    info = json.loads(creds.to_json())
    if args.client_secrets is not None:
        info = {**client_info(args.client_secrets), **{k: v for k, v in info.items() if v}}
    info.setdefault("scopes", DRIVE_SCOPES)
    missing = [k for k in REQUIRED_KEYS if not info.get(k)]
    if missing:
        say(
            f"The pickled credentials lack {', '.join(missing)}; pass --client-secrets or re-authorize with "
            "`python -m drive.authorize`."
        )
        return 1
    write_token(info, args.out, key)
    say(f"Token written to {args.out}{' (encrypted)' if key else ''}. Delete {args.pickle} now.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
