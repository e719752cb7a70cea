"""Command line for people who run the assessment on their own computer, without RunPod.

    ergopipe analyze VIDEO [--out DIR] [--methods reba,rula] [--fps 15] [--language en] ...
    ergopipe score postures.csv --out scores.csv         (scoring without video; see docs/scoring.md)
    ergopipe doctor                                      (checks a worker's configuration)

`analyze` builds the same job input as the RunPod handler and prints the same JSON status.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def _analyze_parser(sub: Any) -> None:
    p = sub.add_parser("analyze", help="assess one video and write the report files")
    p.add_argument("video", help="path of the video file")
    p.add_argument("--out", default="output", help="output directory (default: ./output)")
    p.add_argument("--methods", help="comma-separated: reba,rula,owas (default: all)")
    p.add_argument("--fps", type=float, dest="analysis_fps", help="analysis rate in frames/s (default: every frame)")
    p.add_argument("--workers", type=int, help="pose processes (default: usable CPUs)")
    p.add_argument("--language", choices=["cs", "en"], help="report language")
    p.add_argument("--smplx", choices=["auto", "on", "off"], help="SMPL-X body-model fit")
    p.add_argument("--camera-pitch-deg", type=float, dest="camera_pitch_deg", help="declared camera pitch")
    p.add_argument("--no-face-blur", action="store_false", dest="face_blur", default=None,
                   help="do not blur faces in the annotated video")
    p.add_argument("--no-video", action="store_false", dest="annotated_video", default=None,
                   help="skip the annotated video")
    p.add_argument("--task", help='task factors as JSON, e.g. \'{"load_kg": 12, "coupling": "fair"}\'')
    p.add_argument("--task-ranges", help='JSON list, e.g. \'[{"from_s": 10, "to_s": 20, "load_kg": 15}]\'')
    p.add_argument("--rules", help="rule settings as JSON (see docs/scoring.md)")


def job_input_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The job input dict that the same flags mean for the RunPod handler."""
    inp: dict[str, Any] = {"video_path": args.video, "output_dir": args.out}
    if args.methods:
        inp["methods"] = [m.strip() for m in args.methods.split(",") if m.strip()]
    for key in ("analysis_fps", "workers", "language", "smplx", "camera_pitch_deg", "face_blur",
                "annotated_video"):
        if getattr(args, key) is not None:
            inp[key] = getattr(args, key)
    for key in ("task", "task_ranges", "rules"):
        raw = getattr(args, key)
        if raw:
            try:
                inp[key] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"--{key.replace('_', '-')} is not valid JSON: {exc}") from None
    return inp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ergopipe", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _analyze_parser(sub)
    sub.add_parser("score", help="score a CSV of postures (no video)", add_help=False)
    sub.add_parser("doctor", help="check the worker's configuration (token, SMPL-X files)", add_help=False)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["score"]:
        from ergopipe.methods.cli import main as score_main

        return score_main(argv[1:])
    if argv[:1] == ["doctor"]:
        from ergopipe.doctor import main as doctor_main

        return doctor_main(argv[1:])
    args = parser.parse_args(argv)

    from handler import Worker, configure_logging
    from ergopipe.config import Settings

    settings = Settings.from_env({**os.environ, "RUNPOD_WEBHOOK_GET_JOB": ""})
    configure_logging(settings.log_level)
    result = Worker(settings)({"id": "cli", "input": job_input_from_args(args)})
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
