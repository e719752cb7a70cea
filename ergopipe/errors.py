"""Errors a user can see. Each message says what went wrong *and* what to do about it.

The handler turns any `ErgoError` into ``{"error": str(err)}``; every other exception is a bug and
propagates (the RunPod SDK records the traceback).
"""


class ErgoError(Exception):
    """Base class of expected, user-facing failures."""

    code = "error"


class InputError(ErgoError):
    """The job input is malformed (unknown key, wrong type, impossible value)."""

    code = "bad_input"


class VideoError(ErgoError):
    """The file is not a readable video (not a video, corrupt, truncated, zero frames, too long)."""

    code = "bad_video"


class NoPersonError(ErgoError):
    """No person was detected in enough frames to assess."""

    code = "no_person"


class BodyModelError(ErgoError):
    """SMPL-X was requested explicitly but its code or licensed model files are missing or broken."""

    code = "smplx_unavailable"
