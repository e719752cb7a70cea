"""Score a table of measured postures: CSV in, the same CSV plus score columns out.

    python -m ergopipe.methods.cli postures.csv --out scores.csv [--method reba|rula|owas|all]
        [--task-json '{"load_kg": 8}'] [--rules-json '{"boundary": "lower_inclusive"}']

Columns are the posture keys of the scalar API (ergopipe.methods.POSTURE_KEYS); other columns are passed
through untouched. Empty cells take the API defaults. Booleans: true/false, 1/0, yes/no. Exit 2 on bad input,
with the row and column in the message.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ergopipe.errors import InputError
from ergopipe.methods.api import score_owas, score_reba, score_rula
from ergopipe.methods.posture import BOOL_DEFAULTS, POSTURE_KEYS
from ergopipe.methods.rules import RuleSettings
from ergopipe.methods.task import TaskFactors

log = logging.getLogger(__name__)
SCORERS: dict[str, Callable[..., dict[str, int]]] = {
    "reba": score_reba,
    "rula": score_rula,
    "owas": score_owas,
}
TRUE, FALSE = ("true", "1", "yes", "y"), ("false", "0", "no", "n")


def _cell(key: str, text: str, where: str) -> Any:
    text = text.strip()
    if text == "":
        return None
    if key in BOOL_DEFAULTS:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise InputError(f"{where}: expected true/false, got {text!r}")
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: expected a number of degrees, got {text!r}") from None


def score_rows(
    rows: Sequence[Mapping[str, str]], methods: list[str], task: TaskFactors, rules: RuleSettings
) -> list[dict[str, Any]]:
    """Score each CSV row (1-based data row numbers in error messages, header = row 1)."""
    out = []
    for i, row in enumerate(rows, start=2):
        posture = {k: _cell(k, v or "", f"row {i}, column {k}") for k, v in row.items() if k in POSTURE_KEYS}
        scored: dict[str, Any] = dict(row)
        for m in methods:
            try:
                result = SCORERS[m]({k: v for k, v in posture.items() if v is not None}, task, rules)
            except InputError as err:
                raise InputError(f"row {i}: {err}".replace("posture.", "column ")) from None
            scored.update({f"{m}_{k}": v for k, v in result.items()})
        out.append(scored)
    return out


def _json_arg(text: str | None, name: str) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{name}: not valid JSON ({err.msg} at character {err.pos})") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ergopipe.methods.cli", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "postures", type=Path, help="CSV with one posture per row (API posture keys as columns)"
    )
    parser.add_argument("--out", type=Path, required=True, help="CSV to write: input columns + score columns")
    parser.add_argument("--method", choices=("reba", "rula", "owas", "all"), default="all")
    parser.add_argument("--task-json", help='task factors, e.g. \'{"load_kg": 8, "coupling": "fair"}\'')
    parser.add_argument("--rules-json", help='rule settings, e.g. \'{"reba_twist_side_bend": "separate"}\'')
    args = parser.parse_args(argv)
    methods = list(SCORERS) if args.method == "all" else [args.method]
    try:
        task = TaskFactors.from_mapping(_json_arg(args.task_json, "--task-json"))
        rules = RuleSettings.from_mapping(_json_arg(args.rules_json, "--rules-json"))
        try:
            with args.postures.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                header = list(reader.fieldnames or [])
                rows = list(reader)
        except OSError as err:
            raise InputError(f"{args.postures}: cannot read ({err.strerror})") from None
        if not any(h in POSTURE_KEYS for h in header):
            raise InputError(
                f"{args.postures}: no posture column found; use some of {', '.join(POSTURE_KEYS)}"
            )
        if None in (k for row in rows for k in row):
            raise InputError(f"{args.postures}: a row has more cells than the header has columns")
        scored = score_rows(rows, methods, task, rules)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    fields = header + [k for k in (scored[0] if scored else {}) if k not in header]
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(scored)
    log.info("scored %d postures (%s) -> %s", len(scored), ", ".join(methods), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
