"""Pictures saved beside the workbook and embedded in it: a risk timeline and a body map.

The figures are built with matplotlib's object API (no pyplot state, safe on a warm worker) and every text
on them comes from ergopipe.report.i18n, so both languages are complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch
from matplotlib.ticker import MaxNLocator

from ergopipe.report import palette
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import verdict

# Body map: part score column -> line segments (x0, y0, x1, y1) of a simple front-view figure; the person's
# right is on the picture's left, as when facing them.
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
RISK_CMAP = LinearSegmentedColormap.from_list(
    "risk", ["#" + palette.GREEN, "#" + palette.AMBER, "#" + palette.RED]
)
NOT_MEASURED = "#" + palette.GREY


def time_at_risk_pct(values: np.ndarray) -> float:
    """% of scorable frames whose part score is above the neutral score 1 (NaN if none scorable)."""
    v = np.asarray(values, float)
    ok = np.isfinite(v)
    return float(100.0 * np.mean(v[ok] > 1)) if ok.any() else float("nan")


def timeline_figure(
    time_s: np.ndarray, frames: Mapping[str, np.ndarray], title: str, language: str
) -> Figure:
    """REBA and RULA scores over time (step lines), each on its method's action-level bands."""
    t = texts(language)
    fig = Figure(figsize=(10, 4.6), dpi=110)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, method in zip(axes, ("reba", "rula"), strict=True):
        lo, hi = palette.SCORE_RANGE[method]
        handles = []
        for smin, smax, level in palette.score_bands(method):
            colour = "#" + palette.LEVEL_FILL[method][level]
            ax.axhspan(smin - 0.5, smax + 0.5, color=colour, alpha=0.35, lw=0, zorder=0)
            handles.append(
                Patch(color=colour, alpha=0.6, label=f"{level}: {verdict(method, level, language)}")
            )
        column = f"{method}_score"
        if column in frames:
            ax.step(
                time_s, np.asarray(frames[column], float), where="post", color="#212121", lw=1.6, zorder=2
            )
        ax.set_ylim(lo - 0.5, hi + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(f"{method.upper()} – {t['score'].lower()}")
        ax.legend(
            handles=handles,
            title=t["level"],
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            fontsize=7,
            title_fontsize=8,
            frameon=False,
        )
    axes[-1].set_xlabel(t["time_s"])
    axes[0].set_title(title)
    fig.subplots_adjust(left=0.07, right=0.78, top=0.92, bottom=0.12, hspace=0.12)
    return fig


def body_map_figure(frames: Mapping[str, np.ndarray], language: str) -> Figure:
    """Front-view stick figure, each part coloured by its % of time with a REBA part score above 1."""
    t = texts(language)
    fig = Figure(figsize=(4.6, 6.2), dpi=110)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
    for key, segments in BODY_PARTS.items():
        pct = time_at_risk_pct(frames[key]) if key in frames else float("nan")
        colour = NOT_MEASURED if not np.isfinite(pct) else RISK_CMAP(pct / 100.0)
        for x0, y0, x1, y1 in segments:
            ax.plot([x0, x1], [y0, y1], color=colour, lw=11, solid_capstyle="round")
        x0, y0, x1, y1 = segments[0]
        label = t["not_measured"] if not np.isfinite(pct) else f"{pct:.0f} %"
        ax.text(
            (x0 + x1) / 2 + (0.35 if x0 >= 0 else -0.35),
            (y0 + y1) / 2,
            label,
            fontsize=8,
            ha="left" if x0 >= 0 else "right",
            va="center",
        )
    ax.add_patch(Circle((0, 7.75), 0.5, color="#cfd8dc"))
    ax.text(-2.5, 7.9, t["right"], fontsize=9)
    ax.text(2.5, 7.9, t["left"], fontsize=9, ha="right")
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(0, 8.5)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.suptitle(t["body_map_title"], fontsize=10)
    cax = fig.add_axes((0.15, 0.06, 0.7, 0.025))
    bar = fig.colorbar(_mappable(), cax=cax, orientation="horizontal")
    bar.set_label(t["body_map_legend"], fontsize=8)
    bar.ax.tick_params(labelsize=7)
    return fig


def _mappable() -> Any:
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    return ScalarMappable(norm=Normalize(0, 100), cmap=RISK_CMAP)


def write_figures(
    out_dir: Path,
    stem: str,
    time_s: np.ndarray,
    frames: Mapping[str, np.ndarray],
    video_name: str,
    *,
    language: str,
) -> dict[str, Path]:
    """Save `<stem>_risk_timeline.png` and `<stem>_body_map.png`; returns {"timeline_png", "bodymap_png"}."""
    t = texts(language)
    files = {
        "timeline_png": out_dir / f"{stem}_risk_timeline.png",
        "bodymap_png": out_dir / f"{stem}_body_map.png",
    }
    fig = timeline_figure(np.asarray(time_s, float), frames, f"{t['risk_timeline']} – {video_name}", language)
    fig.savefig(files["timeline_png"])
    body_map_figure(frames, language).savefig(files["bodymap_png"])
    return files
