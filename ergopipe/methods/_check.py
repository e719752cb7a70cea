"""Small validators that raise `InputError` naming the offending key (e.g. ``task.coupling``)."""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from ergopipe.errors import InputError


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(f"{where}: expected an object (mapping), got {type(value).__name__}")
    return value


def no_unknown_keys(m: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    allowed = tuple(allowed)
    for key in m:
        if key not in allowed:
            raise InputError(f"{where}.{key}: unknown key; expected one of {', '.join(allowed)}")


def number(
    value: Any, where: str, *, lo: float | None = None, hi: float | None = None, lo_open: bool = False
) -> float:
    """A finite real number (bool is rejected) within [lo, hi] (or (lo, hi] when lo_open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: expected a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"{where}: expected a finite number, got {value!r}")
    if lo is not None and (x < lo or (lo_open and x == lo)):
        bound = f"greater than {lo:g}" if lo_open else f"at least {lo:g}"
        raise InputError(f"{where}: must be {bound}, got {value!r}")
    if hi is not None and x > hi:
        raise InputError(f"{where}: must be at most {hi:g}, got {value!r}")
    return x


def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{where}: expected true or false, got {value!r}")
    return value


def choice(value: Any, options: tuple[Any, ...], where: str) -> Any:
    if isinstance(value, bool) or value not in options:
        raise InputError(f"{where}: {value!r} is not one of {', '.join(str(o) for o in options)}")
    return value
