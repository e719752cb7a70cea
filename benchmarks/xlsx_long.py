"""Workbook memory and time for a short and a long video: peak RSS and seconds of `excel.write_workbook`.

    PYTHONPATH=. python benchmarks/xlsx_long.py [--rows 2000 54000] [--old REV]

For each row count (54,000 rows = a 30-min video analysed at 30 fps) a synthetic, scored per-frame table is
built here (the same columns and scores as a real job), saved, and written to a workbook in a fresh
subprocess, so every figure has its own peak RSS. The child reports its RSS with the table loaded ("base"),
the peak RSS while the workbook is written ("peak": the high-water mark is reset after loading, via
/proc/self/clear_refs, so loading the table does not hide it), and the seconds the writing took.
`--old REV` also runs the workbook writer as it was at git revision REV (e.g. 1f61a1e, the last
non-write-only version) side by side; it must use the same helper modules as this checkout.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import gc, importlib.util, json, pickle, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
old = {old_file!r}
if old:
    spec = importlib.util.spec_from_file_location("ergopipe.report.excel_old", old)
    excel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(excel)
else:
    from ergopipe.report import excel
import numpy as np, pandas as pd
with open({data!r} + ".pkl", "rb") as f:
    columns, summary, provenance = pickle.load(f)
with np.load({data!r} + ".npz") as arrays:
    frames = pd.DataFrame({{name: arrays[f"c{{k}}"] for k, name in enumerate(columns)}})
del arrays
gc.collect()
def rss_mb(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field)) / 1024
load_peak_mb = rss_mb("VmHWM:")
base_mb = rss_mb("VmRSS:")
try:  # reset the high-water mark so "peak" is the workbook's own (Linux >= 4.0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
t = time.perf_counter()
excel.write_workbook(Path({xlsx!r}), frames, summary, provenance, [], pictures={{}}, language="cs")
seconds = time.perf_counter() - t
peak_mb = rss_mb("VmHWM:")
print(json.dumps({{"base_mb": base_mb, "load_peak_mb": load_peak_mb, "peak_mb": peak_mb, "seconds": seconds,
                  "xlsx_mb": Path({xlsx!r}).stat().st_size / 2**20}}))
"""


def synthetic_frames(n_rows: int, fps: float = 30.0) -> tuple[object, dict, dict]:
    """(frames DataFrame as in the CSV, JSON-ready summary, provenance) for `n_rows` analysed frames.

    Postures sweep through every zone once a minute; one wrist is unmeasurable for a third of the time
    (empty cells), as in a real clip.
    """
    from ergopipe import methods
    from ergopipe.columns import ALL_COLUMNS
    from ergopipe.pipeline import add_source_frames
    from ergopipe.report.outputs import frames_table, json_ready
    from ergopipe.types import AngleTable

    time_s = np.arange(n_rows) / fps
    phase = np.abs(np.sin(2 * np.pi * time_s / 60.0))
    cols = {name: np.zeros(n_rows) for name in ALL_COLUMNS}
    cols["trunk_flexion_deg"] = 80.0 * phase
    cols["neck_flexion_deg"] = 30.0 * phase - 5.0
    for side in ("left", "right"):
        cols[f"{side}_upper_arm_flexion_deg"] = 100.0 * phase**2
        cols[f"{side}_elbow_flexion_deg"] = 60.0 + 40.0 * phase
        cols[f"{side}_knee_flexion_deg"] = 10.0 * phase
    cols["bilateral_weight_bearing"] = np.ones(n_rows)
    cols["right_wrist_flexion_deg"][: n_rows // 3] = np.nan
    frame_index = np.arange(n_rows)
    table = AngleTable(
        time_s=time_s,
        frame_index=frame_index,
        detected=np.ones(n_rows, bool),
        columns=cols,
        sources={c: "keypoints" for c in cols},
    )
    scores = add_source_frames(methods.score_video(table.columns, table.time_s), frame_index)
    video = {"name": "bench.mp4", "duration_s": n_rows / fps, "frames_analysed": n_rows, "analysis_fps": fps}
    summary = json_ready({"video": {**video, "detected_pct": 100.0}, **scores.summary})
    provenance = {"software": "benchmark", "source_file": "bench.mp4", "options": {"analysis_fps": fps}}
    return frames_table(table, scores), summary, provenance


def run_child(data: Path, xlsx: Path, old_file: str) -> dict:
    code = CHILD.format(root=str(ROOT), old_file=old_file, data=str(data), xlsx=str(xlsx))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 54000])
    parser.add_argument("--old", default="", help="git revision of the old workbook writer to run as well")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        variants = {"new": ""}
        if args.old:
            old_file = tmp / "excel_old.py"
            source = subprocess.run(
                ["git", "show", f"{args.old}:ergopipe/report/excel.py"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            old_file.write_text(source, encoding="utf-8")
            variants["old"] = str(old_file)
        results: dict[str, dict[int, dict]] = {name: {} for name in variants}
        for n_rows in args.rows:
            frames, summary, provenance = synthetic_frames(n_rows)
            data = tmp / f"frames_{n_rows}"  # columns as plain arrays: loading costs only the table itself
            arrays = {f"c{k}": frames[name].to_numpy() for k, name in enumerate(frames.columns)}
            np.savez(f"{data}.npz", **arrays)
            with open(f"{data}.pkl", "wb") as f:
                pickle.dump((list(frames.columns), summary, provenance), f)
            del frames
            for name, old_file_path in variants.items():
                r = run_child(data, tmp / f"{name}_{n_rows}.xlsx", old_file_path)
                results[name][n_rows] = r
                print(
                    f"{name:>3} {n_rows:>6} rows: {r['seconds']:6.1f} s, peak RSS {r['peak_mb']:7.0f} MB "
                    f"(table loaded: {r['base_mb']:5.0f} MB, "
                    f"workbook adds {r['peak_mb'] - r['base_mb']:6.0f} MB; "
                    f"peak while loading {r['load_peak_mb']:4.0f} MB), "
                    f"file {r['xlsx_mb']:.1f} MB",
                    flush=True,
                )
        for name, by_rows in results.items():
            if len(by_rows) >= 2:
                short, long = min(by_rows), max(by_rows)
                ratio = by_rows[long]["peak_mb"] / by_rows[short]["peak_mb"]
                print(f"{name}: peak RSS {long} rows / {short} rows = {ratio:.2f}")


if __name__ == "__main__":
    main()
