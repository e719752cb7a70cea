"""Fitness check of a worker's configuration: `python -m ergopipe.doctor` (the Docker HEALTHCHECK).

Checks, without network access and without loading MediaPipe or torch: the OAuth token on the volume, the
Drive folder variables, the SMPL-X model files when the stage is enabled, the output destination. Prints one
JSON object; exits 1 when something a job would need is missing, with what to do about it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Mapping


def check(env: Mapping[str, str]) -> dict[str, Any]:
    from drive.config import FOLDER_ENV, DriveSettings
    from drive.tokenfile import ENCRYPTED_NAME, PLAIN_NAME
    from ergopipe.config import Settings

    problems: list[str] = []
    notes: list[str] = []
    settings = Settings.from_env(env)
    drive = DriveSettings.from_env(env)
    token = drive.token_dir / (ENCRYPTED_NAME if drive.token_key else PLAIN_NAME)
    if token.is_file():
        notes.append(f"OAuth token present: {token}")
    else:
        problems.append(f"No OAuth token at {token}: run `python -m drive.authorize --client-secrets "
                        f"oauth_credentials.json --out {token.name}` on a PC and copy it to {drive.token_dir}.")
    missing = [var for role, var in FOLDER_ENV.items() if role != "upload" and not env.get(var)]
    if missing:
        problems.append(f"Drive folder variables not set: {', '.join(missing)} (the hot folder needs them).")
    if settings.smplx_default != "off":
        from ergopipe.body_model import availability

        reason = availability(settings.smplx_model_dir)
        if reason is None:
            notes.append(f"SMPL-X model files usable in {settings.smplx_model_dir}")
        elif settings.smplx_default == "on":
            problems.append(f"SMPLX_DEFAULT=on but SMPL-X is not usable: {reason}")
        else:
            notes.append(f"SMPL-X stage off (optional): {reason}")
    if settings.bucket is None and not settings.output_dir_configured:
        notes.append("No bucket configured: URL/path jobs need 'output_folder_id' (Drive) for their results.")
    return {"ok": not problems, "problems": problems, "notes": notes}


def main(argv: list[str] | None = None) -> int:
    report = check(os.environ)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
