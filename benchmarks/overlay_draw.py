"""CPU per frame of the annotated video's drawing alone, and the drawn frames to compare before/after.

    PYTHONPATH=. python benchmarks/overlay_draw.py [--reps 10] [--save F.npy | --check F.npy]

Pose, angles and scores come from the real pipeline on data/pose2sim/cam01.mp4 (computed once, cached in
the temp folder). The clip is decoded once at the output size (I420, as the frame spool holds it);
`write_annotated_video` then runs with its decoder and encoder replaced by those pictures and a sink, so the
process CPU (getrusage, not wall-clock: the figure holds on a busy machine) is the drawing's own. `--save` /
`--check` keep or compare the drawn I420 pictures (before encoding) of one pass: a change that should not
alter the drawing leaves them identical.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import tempfile
from pathlib import Path

import numpy as np

CLIP = Path(__file__).resolve().parents[1] / "data" / "pose2sim" / "cam01.mp4"
CACHE = Path(tempfile.gettempdir()) / "ergopipe_overlay_draw_pose.pkl"


def _analysed():
    from ergopipe import angles, clean, methods, pose, video

    if CACHE.exists():
        return pickle.loads(CACHE.read_bytes())
    info = video.probe(CLIP)
    seq = pose.estimate(info, workers=1)
    table = angles.compute_angles(clean.clean_pose(seq))
    scores = methods.score_video(table.columns, table.time_s)
    data = (info, seq, dict(table.columns), dict(scores.frames))
    CACHE.write_bytes(pickle.dumps(data))
    return data


class _Sink:
    """Stands in for H264Writer: keeps copies of the drawn frames when asked, encodes nothing."""

    def __init__(self, keep: list[np.ndarray] | None) -> None:
        self.keep, self.frames_written = keep, 0

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write_i420(self, i420: np.ndarray) -> None:
        self.frames_written += 1
        if self.keep is not None:
            self.keep.append(i420.copy())


def _draw_pass(data, decoded: list[np.ndarray], keep: list[np.ndarray] | None = None) -> float:
    """Process CPU seconds of one write_annotated_video over `decoded`, decoding and encoding stubbed."""
    from ergopipe.report import overlay

    info, seq, angle_columns, score_frames = data
    pictures = [(k, i420.copy()) for k, i420 in enumerate(decoded)]  # drawn in place
    overlay.iter_video_pictures = lambda *_a, **_k: iter(pictures)
    overlay.H264Writer = lambda *_a, **_k: _Sink(keep)
    before = resource.getrusage(resource.RUSAGE_SELF)
    overlay.write_annotated_video(info, seq, score_frames, angle_columns, Path("unused.mp4"), language="en")
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=10, help="timed passes over the clip")
    ap.add_argument("--save", type=Path, help="write the drawn frames of one pass to this .npy")
    ap.add_argument("--check", type=Path, help="compare the drawn frames of one pass with this .npy")
    args = ap.parse_args()

    from ergopipe.frame_spool import iter_video_pictures
    from ergopipe.report import overlay

    data = _analysed()
    info = data[0]
    decoded = [i420 for _, i420 in iter_video_pictures(info, None, overlay.output_size_px(info))]
    if args.save or args.check:
        keep: list[np.ndarray] = []
        _draw_pass(data, decoded, keep)
        drawn = np.stack(keep)
        if args.save:
            np.save(args.save, drawn)
            print(f"saved {len(drawn)} drawn frames to {args.save}")
        else:
            differ = np.nonzero((np.load(args.check) != drawn).reshape(len(drawn), -1).any(axis=1))[0]
            print("drawn frames identical" if not differ.size else f"frames that differ: {differ.tolist()}")
        return
    _draw_pass(data, decoded)  # warm-up: font, imports, text lines (cached as on a warm worker)
    cpu_s = 0.0
    for _ in range(args.reps):
        cpu_s += _draw_pass(data, decoded)
    n = args.reps * len(decoded)
    print(f"drawing CPU {1000 * cpu_s / n:.3f} ms/frame over {n} frames ({info.width_px}x{info.height_px} ->"
          f" {'x'.join(map(str, overlay.output_size_px(info)))})")


if __name__ == "__main__":  # pose estimation runs in spawned processes
    main()
