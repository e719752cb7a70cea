"""Writes the job's files: `<stem>_frames.csv`, `<stem>_results.json`, `<stem>_ergonomics.xlsx`,
`<stem>_annotated.mp4` (and pictures). The per-frame table is built once here and shared by CSV and Excel.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ergopipe.columns import ALL_COLUMNS
from ergopipe.types import AngleTable, PoseSequence, VideoInfo, VideoScores


def frames_table(table: AngleTable, scores: VideoScores) -> pd.DataFrame:
    """One row per analysed frame: frame, time_s, detected, every angle/flag column, every score column."""
    data: dict[str, Any] = {
        "frame": np.asarray(table.frame_index, dtype=np.int64),
        "time_s": np.round(np.asarray(table.time_s, dtype=float), 4),
        "detected": np.asarray(table.detected, dtype=bool).astype(int),
    }
    for name in ALL_COLUMNS:
        data[name] = np.round(np.asarray(table.columns[name], dtype=float), 2)
    for name, values in scores.frames.items():
        data[name] = np.asarray(values, dtype=float)
    return pd.DataFrame(data)


def json_ready(value: Any) -> Any:
    """Convert numpy scalars/arrays and NaN into plain JSON values (NaN -> null)."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Path):
        return str(value)
    return value


def write_tables(
    out_dir: Path,
    stem: str,
    table: AngleTable,
    scores: VideoScores,
    summary: Mapping[str, Any],
    provenance: Mapping[str, Any],
    warnings: list[str],
) -> dict[str, Path]:
    csv_path = out_dir / f"{stem}_frames.csv"
    frames_table(table, scores).to_csv(csv_path, index=False, na_rep="")
    json_path = out_dir / f"{stem}_results.json"
    payload = {"summary": summary, "provenance": provenance, "warnings": warnings}
    json_path.write_text(json.dumps(json_ready(payload), indent=2, ensure_ascii=False), encoding="utf-8")
    return {"csv": csv_path, "json": json_path}


def worst_moment_rows(summary: Mapping[str, Any]) -> list[int]:
    """Analysed-row indices of every method's worst moments."""
    rows: set[int] = set()
    for method in ("reba", "rula", "owas"):
        m = summary.get(method)
        for w in (m.get("worst_moments") or []) if isinstance(m, Mapping) else []:
            if isinstance(w.get("row"), int):
                rows.add(int(w["row"]))
    return sorted(rows)


def moment_thumbnails(
    info: VideoInfo,
    table: AngleTable,
    pose: PoseSequence | None,
    summary: Mapping[str, Any],
    *,
    face_blur: bool,
    spool_dir: Path | None = None,
) -> dict[int, bytes]:
    """Source frame number -> JPEG of each worst moment (from the pose stage's spool, else decoded)."""
    from ergopipe.report.thumbnails import Wanted, thumbnails

    wanted = []
    for row in worst_moment_rows(summary):
        if row >= len(table.frame_index):
            continue
        head = None
        if pose is not None and row < pose.n_frames and bool(pose.detected[row]):
            head = np.asarray(pose.image_xy_px[row, :11], dtype=float)
        wanted.append(Wanted(int(table.frame_index[row]), float(table.time_s[row]), head))
    return dict(thumbnails(info, wanted, face_blur=face_blur, spool_dir=spool_dir))


def write_report(
    out_dir: Path,
    stem: str,
    table: AngleTable,
    scores: VideoScores,
    summary: Mapping[str, Any],
    provenance: Mapping[str, Any],
    warnings: list[str],
    *,
    language: str,
    info: VideoInfo | None = None,
    pose: PoseSequence | None = None,
    face_blur: bool = True,
    spool_dir: Path | None = None,
) -> dict[str, Path]:
    """Pictures and workbook. With `info` (the source video) the worst moments get thumbnails; `pose` gives
    the head position for face blurring (without it a blurred thumbnail is pixelated whole)."""
    from ergopipe.report import excel, figures

    plain = json_ready(summary)
    name = str(plain.get("video", {}).get("name", stem))
    pictures = figures.write_figures(out_dir, stem, table.time_s, scores.frames, name, language=language)
    thumbs: dict[int, bytes] = {}
    if info is not None:
        thumbs = moment_thumbnails(info, table, pose, plain, face_blur=face_blur, spool_dir=spool_dir)
    xlsx = out_dir / f"{stem}_ergonomics.xlsx"
    excel.write_workbook(
        xlsx,
        frames_table(table, scores),
        plain,
        json_ready(provenance),
        warnings,
        pictures=pictures,
        language=language,
        thumbs=thumbs,
    )
    return {"xlsx": xlsx, **pictures}


def write_video(
    out_dir: Path,
    stem: str,
    info: VideoInfo,
    seq: PoseSequence,
    table: AngleTable,
    scores: VideoScores,
    *,
    language: str,
    face_blur: bool,
    on_progress: Callable[[float], None] | None = None,
    spool_dir: Path | None = None,
) -> Path:
    from ergopipe.report.overlay import write_annotated_video

    return write_annotated_video(
        info,
        seq,
        scores.frames,
        table.columns,
        out_dir / f"{stem}_annotated.mp4",
        language=language,
        face_blur=face_blur,
        on_progress=on_progress,
        spool_dir=spool_dir,
    )
