"""Exact ergonomic scoring: RULA, REBA, OWAS and exposure over time (pure numpy; tables as data).

Scalar API (one posture): score_reba, score_rula, score_owas. Video API: score_video(columns, time_s, ...).
Rule settings and task factors: RuleSettings, TaskFactors, TaskRange, parse_task_input. See docs/scoring.md.
"""

from ergopipe.methods.api import score_owas, score_reba, score_rula
from ergopipe.methods.posture import POSTURE_KEYS, parse_posture
from ergopipe.methods.rules import RuleSettings
from ergopipe.methods.task import TASK_KEYS, TaskFactors, TaskRange, parse_task_input, parse_task_ranges
from ergopipe.methods.video import METHODS, score_video

__all__ = [
    "METHODS",
    "POSTURE_KEYS",
    "TASK_KEYS",
    "RuleSettings",
    "TaskFactors",
    "TaskRange",
    "parse_posture",
    "parse_task_input",
    "parse_task_ranges",
    "score_owas",
    "score_reba",
    "score_rula",
    "score_video",
]
