"""Drive failures as user-facing errors, which of them are retried, and jittered exponential backoff.

Google's HTTP errors (``googleapiclient.errors.HttpError``) and transport errors are mapped to
:class:`DriveError` subclasses (all ``ergopipe.errors.ErgoError``) whose messages say what to do.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httplib2
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError

from ergopipe.errors import ErgoError

log = logging.getLogger(__name__)
T = TypeVar("T")

# HTTP statuses that are always worth another try (Google's own retry guidance for Drive).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# 403 reasons that mean "slow down", not "forbidden".
RETRYABLE_403_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "backendError"})
# Transport failures: dropped connection, truncated body, timeouts.
RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    http.client.IncompleteRead,
    http.client.HTTPException,
    ConnectionError,
    socket.timeout,
    TimeoutError,
    ssl.SSLError,
    httplib2.HttpLib2Error,
)
REAUTHORIZE_HINT = (
    "Re-authorize once on a PC with a browser: `python -m drive.authorize --client-secrets "
    "oauth_credentials.json --out token.json` (add `--encrypt` when OAUTH_TOKEN_KEY is used, or `--console` "
    "on a machine without a browser), then copy the token file to OAUTH_TOKEN_DIR on the network volume."
)


class DriveError(ErgoError):
    """A Google Drive operation failed in an expected way."""

    code = "drive_error"


class DriveNotFound(DriveError):
    code = "drive_not_found"


class DrivePermissionDenied(DriveError):
    code = "drive_permission_denied"


class DriveQuotaExceeded(DriveError):
    code = "drive_quota_exceeded"


class DriveAuthError(DriveError):
    code = "drive_auth"


class DriveConfigError(DriveError):
    code = "drive_config"


class DriveTransientError(DriveError):
    """Retries were exhausted on an error that is normally temporary."""

    code = "drive_unavailable"


def http_reason(err: HttpError) -> str:
    """The first ``error.errors[].reason`` of a Google JSON error body, or ''."""
    try:
        body = json.loads(err.content.decode("utf-8", "replace"))
        errors = body.get("error", {}).get("errors") or []
        return str(errors[0].get("reason", "")) if errors else ""
    except (ValueError, AttributeError, IndexError):
        return ""


def is_retryable(exc: BaseException) -> bool:
    """True for failures that may succeed on another attempt (see the tables above)."""
    if isinstance(exc, HttpError):
        status = int(exc.resp.status)
        return status in RETRYABLE_STATUSES or (status == 403 and http_reason(exc) in RETRYABLE_403_REASONS)
    if isinstance(exc, auth_exceptions.RefreshError):
        return bool(getattr(exc, "retryable", False))
    if isinstance(exc, ssl.SSLCertVerificationError):  # a trust problem does not heal by waiting
        return False
    return isinstance(exc, RETRYABLE_EXCEPTIONS + (auth_exceptions.TransportError,))


def classify(exc: BaseException, what: str) -> DriveError:
    """Map an HttpError/transport error met while doing ``what`` to a user-facing DriveError."""
    if isinstance(exc, DriveError):
        return exc
    if isinstance(exc, auth_exceptions.RefreshError):
        return auth_error(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DriveConfigError(
            f"The TLS certificate of the Drive endpoint is not trusted while {what}. Check the machine's CA "
            "certificates, or GOOGLE_DRIVE_CA_BUNDLE / GOOGLE_DRIVE_API_ENDPOINT if they are set."
        )
    if not isinstance(exc, HttpError):
        return DriveTransientError(
            f"Google Drive could not be reached while {what} ({type(exc).__name__}). "
            "Try again in a few minutes."
        )
    status, reason = int(exc.resp.status), http_reason(exc)
    if status == 404:
        return DriveNotFound(
            f"Google Drive says the file or folder was not found while {what}. Check the ID, "
            "and that it is not in the bin and is shared with the authorized account."
        )
    if status == 401:
        return DriveAuthError(f"Google Drive rejected the credentials while {what}. {REAUTHORIZE_HINT}")
    if status == 403 and reason in {"storageQuotaExceeded", "quotaExceeded", "teamDriveFileLimitExceeded"}:
        return DriveQuotaExceeded(
            f"The Google Drive storage quota is full ({reason}) while {what}. Free space "
            "or buy storage for the authorized account, then re-run the job."
        )
    if status == 403 and reason in RETRYABLE_403_REASONS or status in RETRYABLE_STATUSES:
        return DriveTransientError(
            f"Google Drive kept failing (HTTP {status} {reason}) while {what}. Try again in a few minutes."
        )
    if status == 403:
        return DrivePermissionDenied(
            f"Google Drive denied access (HTTP 403 {reason}) while {what}. Share the "
            "file and the hot folders with the authorized account (editor rights)."
        )
    return DriveError(f"Google Drive answered HTTP {status} {reason} while {what}.")


def auth_error(exc: BaseException) -> DriveAuthError:
    """A refresh failure as an error that says how to re-authorize (no token text in the message)."""
    text = str(exc)
    if "invalid_grant" in text:
        return DriveAuthError(
            "The Google authorization was revoked or has expired (invalid_grant): the "
            "refresh token on the volume no longer works. " + REAUTHORIZE_HINT
        )
    if "invalid_client" in text or "unauthorized_client" in text:
        return DriveAuthError(
            "Google does not accept the OAuth client in the token (invalid_client): the "
            "client was deleted or its secret changed. " + REAUTHORIZE_HINT
        )
    return DriveAuthError(
        f"Refreshing the Google access token failed ({type(exc).__name__}). " + REAUTHORIZE_HINT
    )


@dataclass(frozen=True)
class Backoff:
    """Jittered exponential backoff: attempt n waits uniform(0.5, 1) * min(cap_s, base_s * 2**n)."""

    retries: int = 6
    base_s: float = 1.0
    cap_s: float = 32.0
    sleep: Callable[[float], None] = time.sleep
    rand: Callable[[], float] = field(default=random.random)

    def delay_s(self, attempt: int) -> float:
        return min(self.cap_s, self.base_s * 2**attempt) * (0.5 + 0.5 * self.rand())

    def run(
        self, fn: Callable[[], T], what: str, on_retry: Callable[[BaseException], None] | None = None
    ) -> T:
        """Call ``fn`` until it succeeds, retrying retryable errors; raise a DriveError when done trying.

        ``on_retry`` runs after a retryable failure and before the wait (e.g. to search again for a file
        whose create may have happened despite the error).
        """
        for attempt in range(self.retries + 1):
            try:
                return fn()
            except Exception as exc:
                expected = (HttpError, auth_exceptions.RefreshError, ssl.SSLCertVerificationError)
                if not is_retryable(exc) and not isinstance(exc, expected):
                    raise
                if not is_retryable(exc) or attempt == self.retries:
                    raise classify(exc, what) from exc
                delay = self.delay_s(attempt)
                log.warning(
                    "Drive: %s failed (%s); retry %d/%d in %.1f s",
                    what,
                    _brief(exc),
                    attempt + 1,
                    self.retries,
                    delay,
                )
                if on_retry is not None:
                    on_retry(exc)
                self.sleep(delay)
        raise AssertionError("unreachable")


def _brief(exc: BaseException) -> str:
    if isinstance(exc, HttpError):
        return f"HTTP {exc.resp.status} {http_reason(exc)}".strip()
    return type(exc).__name__
