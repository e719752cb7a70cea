"""Pictures saved beside the workbook and embedded in it: a risk timeline and a body map."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ergopipe.report.i18n import texts
from ergopipe.types import AngleTable, VideoScores

# REBA action-level bands (grand score) drawn behind the timeline: (low, high, colour).
REBA_BANDS = [(0.5, 1.5, "#c8e6c9"), (1.5, 3.5, "#fff9c4"), (3.5, 7.5, "#ffe0b2"), (7.5, 10.5, "#ffcdd2"),
              (10.5, 15.5, "#ef9a9a")]
# Body map: part key in scores -> list of line segments (x0, y0, x1, y1) of a simple figure (front view).
BODY_PARTS: dict[str, list[tuple[float, float, float, float]]] = {
    "reba_neck": [(0, 7.2, 0, 6.6)],
    "reba_trunk": [(0, 6.6, 0, 4.0), (-0.8, 6.5, 0.8, 6.5), (-0.5, 4.0, 0.5, 4.0)],
    "reba_upper_arm_right": [(-0.8, 6.5, -1.3, 5.0)],
    "reba_lower_arm_right": [(-1.3, 5.0, -1.6, 3.7)],
    "reba_wrist_right": [(-1.6, 3.7, -1.7, 3.3)],
    "reba_upper_arm_left": [(0.8, 6.5, 1.3, 5.0)],
    "reba_lower_arm_left": [(1.3, 5.0, 1.6, 3.7)],
    "reba_wrist_left": [(1.6, 3.7, 1.7, 3.3)],
    "reba_legs": [(-0.5, 4.0, -0.6, 2.0), (-0.6, 2.0, -0.6, 0.2), (0.5, 4.0, 0.6, 2.0), (0.6, 2.0, 0.6, 0.2)],
}


def time_at_risk_pct(values: np.ndarray) -> float:
    """% of scorable frames whose part score is above the neutral score 1 (NaN if none scorable)."""
    v = np.asarray(values, float)
    ok = np.isfinite(v)
    return float(100.0 * np.mean(v[ok] > 1)) if ok.any() else float("nan")


def write_figures(out_dir: Path, stem: str, table: AngleTable, scores: VideoScores, summary: Mapping[str, Any],
                  *, language: str) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = texts(language)
    files: dict[str, Path] = {}
    time_s = np.asarray(table.time_s, float)

    fig, ax = plt.subplots(figsize=(10, 3.2), dpi=110)
    for lo, hi, colour in REBA_BANDS:
        ax.axhspan(lo, hi, color=colour, zorder=0)
    for key, label, colour in (("reba_score", "REBA", "#b71c1c"), ("rula_score", "RULA", "#0d47a1")):
        if key in scores.frames:
            ax.plot(time_s, scores.frames[key], label=label, color=colour, lw=1.6, zorder=2)
    ax.set_xlabel(t["time_s"])
    ax.set_ylabel(t["score"])
    ax.set_ylim(0.5, 15.5)
    ax.set_title(f"{t['risk_timeline']} – {summary.get('video', {}).get('name', stem)}")
    ax.legend(loc="upper right")
    fig.tight_layout()
    files["timeline_png"] = out_dir / f"{stem}_risk_timeline.png"
    fig.savefig(files["timeline_png"])
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.2, 6), dpi=110)
    cmap = plt.get_cmap("RdYlGn_r")
    for key, segments in BODY_PARTS.items():
        pct = time_at_risk_pct(scores.frames[key]) if key in scores.frames else float("nan")
        colour = "#9e9e9e" if not np.isfinite(pct) else cmap(pct / 100.0)
        for x0, y0, x1, y1 in segments:
            ax.plot([x0, x1], [y0, y1], color=colour, lw=11, solid_capstyle="round")
        x0, y0, x1, y1 = segments[0]
        label = "–" if not np.isfinite(pct) else f"{pct:.0f}%"
        ax.text((x0 + x1) / 2 + (0.35 if x0 >= 0 else -0.35), (y0 + y1) / 2, label, fontsize=8,
                ha="left" if x0 >= 0 else "right", va="center")
    ax.add_patch(plt.Circle((0, 7.75), 0.5, color="#cfd8dc"))
    ax.text(-2.3, 7.9, t["right"], fontsize=9)
    ax.text(1.6, 7.9, t["left"], fontsize=9)
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(0, 8.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"REBA – % {t['time_pct'].split(' ')[0].lower()} > 1", fontsize=10)
    fig.tight_layout()
    files["bodymap_png"] = out_dir / f"{stem}_body_map.png"
    fig.savefig(files["bodymap_png"])
    plt.close(fig)
    return files
