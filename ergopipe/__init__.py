"""Ergonomic risk assessment (RULA, REBA, OWAS) from video of a person at work.

Importing this package is cheap: MediaPipe, torch and smplx are imported only by the stage that needs them.
"""

__version__ = "0.1.0"

_LAZY = {"score_reba", "score_rula", "score_owas"}


def __getattr__(name: str) -> object:
    # Lazy so that `import ergopipe` stays cheap (numpy is imported only when a scorer is first used).
    if name in _LAZY:
        from ergopipe.methods import api

        return getattr(api, name)
    raise AttributeError(f"module 'ergopipe' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))
