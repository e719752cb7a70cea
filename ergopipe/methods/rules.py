"""Rule settings: where the sources disagree, the original paper is the default and the alternative a name.

See docs/scoring.md for the sources of every default. A `RuleSettings` is immutable, so one job's settings can
never leak into the next on a warm worker.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Mapping

import numpy as np

from ergopipe.methods import _check

BOUNDARIES = ("lower_exclusive", "lower_inclusive")
REBA_TWIST_SIDE_BEND = ("single", "separate")
RULA_HEAVY_INTERMITTENT = (2, 3)


@dataclass(frozen=True)
class RuleSettings:
    """Named scoring decisions (angles in degrees, times in seconds).

    boundary: how a printed range "a–b" treats its ends. "lower_exclusive" (default, as ergo_tables.py):
        a < x <= b, so exactly 20.0° is still in "0–20°"; "lower_inclusive": a <= x < b (a value on a
        boundary gets the higher score for increasing ranges).
    neutral_band_deg: |angle| <= this counts as "upright"/"neutral"/"0°" (REBA trunk 1, RULA trunk 1, RULA
        wrist 1, neck not "in extension"). The papers give no number; 5° covers video angle noise.
    reba_twist_side_bend: "single" (H-REBA Table 42.2: one +1 if twisted or side-flexed) or "separate"
        (Ergo-Plus worksheet: +1 each; trunk can reach 6 and is clamped to Table A's 5 rows).
    rula_static_hold_s: RULA muscle use "held > 1 min" (60, curula/P-RULA reading) or 600 (Ergo-Plus:
        "> 10 min").
    rula_heavy_intermittent_load_score: RULA force for > 10 kg intermittent: 2 (P-RULA) or 3 (worksheets).
    *_threshold_deg: when a measured angle turns into a yes/no adjustment (absolute value > threshold).
    static_hold_s / static_band_deg: a body part held within ±band for longer than this is "static" (REBA).
    repeated_per_min / repetition_hysteresis_deg: actions per minute above which movement is "repeated", and
        the dead band around each threshold crossing so that noise is not counted as an action.
    owas_knee_bent_deg: knee flexion above which an OWAS knee counts as bent.
    """

    boundary: str = "lower_exclusive"
    neutral_band_deg: float = 5.0
    reba_twist_side_bend: str = "single"
    rula_static_hold_s: float = 60.0
    rula_heavy_intermittent_load_score: int = 2
    twist_threshold_deg: float = 10.0
    side_bend_threshold_deg: float = 10.0
    abduction_threshold_deg: float = 20.0
    shoulder_raise_threshold_deg: float = 10.0
    wrist_deviation_threshold_deg: float = 10.0
    static_hold_s: float = 60.0
    static_band_deg: float = 10.0
    repeated_per_min: float = 4.0
    repetition_hysteresis_deg: float = 2.5
    owas_knee_bent_deg: float = 30.0

    def __post_init__(self) -> None:
        # Validate even when constructed directly, so a bad setting cannot reach the number crunching.
        RuleSettings._validate(asdict(self), "rules")

    @staticmethod
    def _validate(m: Mapping[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in m.items():
            w = f"{where}.{key}"
            if key == "boundary":
                out[key] = _check.choice(value, BOUNDARIES, w)
            elif key == "reba_twist_side_bend":
                out[key] = _check.choice(value, REBA_TWIST_SIDE_BEND, w)
            elif key == "rula_heavy_intermittent_load_score":
                out[key] = int(_check.choice(value, RULA_HEAVY_INTERMITTENT, w))
            elif key == "neutral_band_deg":
                out[key] = _check.number(value, w, lo=0, hi=15)
            elif key.endswith("_threshold_deg") or key == "owas_knee_bent_deg":
                out[key] = _check.number(value, w, lo=0, hi=90)
            elif key in ("rula_static_hold_s", "static_hold_s"):
                out[key] = _check.number(value, w, lo=0, hi=3600, lo_open=True)
            elif key == "static_band_deg":
                out[key] = _check.number(value, w, lo=0, hi=45, lo_open=True)
            elif key == "repeated_per_min":
                out[key] = _check.number(value, w, lo=0, hi=600, lo_open=True)
            elif key == "repetition_hysteresis_deg":
                out[key] = _check.number(value, w, lo=0, hi=20)
            else:
                _check.no_unknown_keys({key: value}, SETTING_NAMES, where)
        return out

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any] | None, where: str = "rules") -> "RuleSettings":
        """Parse the job input's `rules` object; unknown keys and bad values raise InputError."""
        m = _check.mapping(m, where)
        _check.no_unknown_keys(m, SETTING_NAMES, where)
        return cls(**cls._validate(m, where))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def above(self, x: np.ndarray, threshold: float) -> np.ndarray:
        """True where `x` lies in the range that starts at `threshold` (the boundary convention).

        lower_exclusive: x > threshold; lower_inclusive: x >= threshold. NaN gives False (callers mask NaN).
        """
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            return x > threshold if self.boundary == "lower_exclusive" else x >= threshold


SETTING_NAMES = tuple(f.name for f in fields(RuleSettings))


def as_rules(rules: RuleSettings | Mapping[str, Any] | None) -> RuleSettings:
    if rules is None:
        return RuleSettings()
    if isinstance(rules, RuleSettings):
        return rules
    return RuleSettings.from_mapping(rules)
