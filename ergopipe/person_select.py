"""Who is who across frames, and which person is the analysed worker. Pure functions, no I/O.

Input: per analysed frame, the people a multi-person pose model returned, each as image-space landmarks.
From them this module takes a box (min/max of the landmarks, px) and a torso centroid (mean of shoulders
and hips, px), and:

1. ``suppress_duplicates`` drops a second detection of the same person (the Tasks API sometimes returns
   one person twice, slightly shifted or with a squashed skeleton): box IoU > 0.5, or mostly inside a more
   confident one with a torso of similar length.
2. ``track_people`` links detections frame to frame into numbered tracks (Hungarian assignment,
   ``scipy.optimize.linear_sum_assignment``). Association rule, per new frame:
   - the track's centroid is predicted with its smoothed velocity (constant velocity, so two people whose
     paths cross keep their identities; capped at half a torso per frame);
   - sizes are torso lengths (shoulder centre to hip centre, px): unlike the box, they do not jump when
     arms or legs move;
   - *continuing* track (unseen for at most ``max_gap_frames`` analysed frames): a detection may join it if
     its centroid is at most ``(1.5 + 0.5 * gap)`` torso lengths from the prediction (or from one of the
     track's last 3 sightings, if nearer: one outlying detection does not derail the track) and the torso
     lengths differ by at most 2.5x (track torso = median of its last 5 sightings); cost = that normalised
     distance + 0.5 x (1 - box IoU);
   - *re-entry* (unseen for longer, e.g. the person walked out of view): a detection may take the track
     back if it appears within ``reentry_radius`` (fraction of the frame diagonal) of where the track was
     last seen and its torso is within 1.6x of the track's median torso; cost = 1 + 2 x that distance;
   - starting a new track costs 2 (NEW_TRACK_COST): a detection joins a track only when that is cheaper,
     so a spurious extra detection near a person starts its own (brief) track instead of stealing theirs.
3. ``choose_person`` picks the analysed worker among tracks that are not brief (see ``MIN_SHARE``):
   "longest" (most frames), "largest" (median box area), "central" (median distance of the hip centre from
   the frame centre), "auto" (longest; tracks within ``AUTO_TIE_SHARE`` of the longest count as equally
   long and the largest of them wins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

SHOULDERS_HIPS = (11, 12, 23, 24)
HIPS = (23, 24)
MODES = ("auto", "largest", "central", "longest")
MIN_SHARE = 0.2  # a track seen in fewer than 20 % of the longest track's frames is a brief/false detection
MIN_FRAMES = 3
AUTO_TIE_SHARE = 0.9  # "auto": tracks with >= 90 % of the longest track's frames compete on size
DUPLICATE_IOU = 0.5  # box IoU above which two detections of one frame are one person
DUPLICATE_CONTAINED = 0.6  # ... or this share of the smaller box inside the other one
NEW_TRACK_COST = 2.0  # a detection starts a new track rather than join one at a higher cost
REENTRY_COST = 1.0  # base cost of reviving a lost track (+ 2 x distance as a fraction of the diagonal)
_NO_MATCH = 1e6


@dataclass(frozen=True)
class Detection:
    """One person in one analysed frame (image pixels, x right, y down)."""

    box_px: np.ndarray  # (4,) x0, y0, x1, y1
    centroid_px: np.ndarray  # (2,) mean of shoulders and hips
    hip_px: np.ndarray  # (2,) mean of the hips
    score: float  # mean landmark visibility, 0..1
    torso_px: float  # shoulder-centre to hip-centre distance: a size that arms and legs do not change

    @property
    def area_px2(self) -> float:
        return float(max(self.box_px[2] - self.box_px[0], 1.0) * max(self.box_px[3] - self.box_px[1], 1.0))


def detection_from_landmarks(image_xy_px: np.ndarray, visibility: np.ndarray) -> Detection:
    """Detection from one person's (33, 2) image landmarks (px) and (33,) visibility."""
    xy = np.asarray(image_xy_px, dtype=float)
    box = np.array([xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()])
    hip = xy[list(HIPS)].mean(axis=0)
    torso = float(np.linalg.norm(xy[list(SHOULDERS_HIPS[:2])].mean(axis=0) - hip))
    centroid = xy[list(SHOULDERS_HIPS)].mean(axis=0)
    return Detection(box, centroid, hip, float(np.mean(visibility)), max(torso, 1.0))


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    inter = _intersection(a, b)
    union = _area(a) + _area(b) - inter
    return inter / union if union > 0 else 0.0


def _area(box: np.ndarray) -> float:
    return float(max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0))


def _intersection(a: np.ndarray, b: np.ndarray) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return float(max(w, 0.0) * max(h, 0.0))


def suppress_duplicates(people: Sequence[Detection]) -> list[int]:
    """Indices of the detections to keep. Most confident first; a detection is a duplicate of a kept one
    when their boxes overlap (IoU > DUPLICATE_IOU), or when one box lies mostly inside the other
    (intersection > DUPLICATE_CONTAINED of the smaller box) and their torsos are of similar length (< 2x).
    A spurious box spanning two people has a much longer torso than either, so it cannot hide them."""
    keep: list[int] = []
    for i in sorted(range(len(people)), key=lambda k: -people[k].score):
        a = people[i]
        if not any(_duplicate(a, people[k]) for k in keep):
            keep.append(i)
    return sorted(keep)


def _duplicate(a: Detection, b: Detection) -> bool:
    if box_iou(a.box_px, b.box_px) > DUPLICATE_IOU:
        return True
    smaller = max(min(_area(a.box_px), _area(b.box_px)), 1.0)
    return (_intersection(a.box_px, b.box_px) > DUPLICATE_CONTAINED * smaller
            and _ratio(a.torso_px, b.torso_px) < 2.0)


def _ratio(a: float, b: float) -> float:
    return max(a, b) / max(min(a, b), 1e-9)


@dataclass
class _Track:
    track_id: int
    last_frame: int
    last: Detection
    velocity_px: np.ndarray = field(default_factory=lambda: np.zeros(2))  # px per analysed frame
    torsos_px: list[float] = field(default_factory=list)
    recent_px: list[np.ndarray] = field(default_factory=list)  # centroids of the last 3 sightings

    @property
    def torso_px(self) -> float:
        """Robust size: median torso of the last few sightings (one bad detection does not change it)."""
        return float(np.median(self.torsos_px[-5:]))

    def predicted_px(self, frame: int) -> np.ndarray:
        return self.last.centroid_px + self.velocity_px * (frame - self.last_frame)

    def update(self, frame: int, det: Detection) -> None:
        gap = frame - self.last_frame
        step = (det.centroid_px - self.last.centroid_px) / max(gap, 1)
        # Velocity only from consecutive-ish sightings (after a long absence it says nothing about now),
        # smoothed, and capped at half a torso per frame so one jumpy detection cannot throw the
        # prediction off.
        velocity = 0.7 * self.velocity_px + 0.3 * step if gap <= 2 else np.zeros(2)
        speed, cap = float(np.linalg.norm(velocity)), 0.5 * self.torso_px
        self.velocity_px = velocity * (cap / speed) if speed > cap else velocity
        self.last_frame, self.last = frame, det
        self.torsos_px.append(det.torso_px)
        self.recent_px = (self.recent_px + [det.centroid_px])[-3:]

    def distance_px(self, centroid_px: np.ndarray, frame: int) -> float:
        """Distance to the prediction, or to one of the last 3 sightings if nearer: one outlying detection
        (a leg taken for the hip) then does not pull the track away from the person."""
        points = [self.predicted_px(frame)] + self.recent_px
        return min(float(np.linalg.norm(centroid_px - p)) for p in points)


@dataclass(frozen=True)
class TrackingParams:
    max_gap_frames: int = 15  # analysed frames a track may be unseen and still continue normally
    reentry_radius: float = 0.25  # fraction of the frame diagonal
    frame_size_px: tuple[int, int] = (1920, 1080)


def _cost(track: _Track, det: Detection, frame: int, p: TrackingParams) -> float:
    gap = frame - track.last_frame
    if gap <= p.max_gap_frames:
        dist = track.distance_px(det.centroid_px, frame) / track.torso_px
        if dist > 1.5 + 0.5 * gap or _ratio(det.torso_px, track.torso_px) > 2.5:
            return _NO_MATCH
        return dist + 0.5 * (1.0 - box_iou(det.box_px, track.last.box_px))
    diag_px = float(np.hypot(*p.frame_size_px))
    dist = float(np.linalg.norm(det.centroid_px - track.last.centroid_px)) / diag_px
    if dist > p.reentry_radius or _ratio(det.torso_px, float(np.median(track.torsos_px))) > 1.6:
        return _NO_MATCH
    return REENTRY_COST + 2.0 * dist


def track_people(frames: Sequence[Sequence[Detection]], params: TrackingParams = TrackingParams()
                 ) -> list[list[int]]:
    """Track id (0, 1, ... in order of first appearance) for every detection of every analysed frame.

    frames[t] lists the detections of analysed frame t (duplicates already suppressed); the result has the
    same shape. Two detections of one frame never share a track.
    """
    tracks: list[_Track] = []
    labels: list[list[int]] = []
    for t, dets in enumerate(frames):
        ids = [-1] * len(dets)
        if dets and tracks:
            # One "new track" column per detection, so a poor match is not forced just because a track
            # is free (plain rectangular assignment matches as many pairs as it can).
            cost = np.full((len(dets), len(tracks) + len(dets)), _NO_MATCH)
            cost[:, : len(tracks)] = [[_cost(tr, d, t, params) for tr in tracks] for d in dets]
            cost[np.arange(len(dets)), len(tracks) + np.arange(len(dets))] = NEW_TRACK_COST
            rows, cols = linear_sum_assignment(cost)
            for r, c in zip(rows, cols):
                if c < len(tracks) and cost[r, c] < _NO_MATCH:
                    ids[r] = tracks[c].track_id
                    tracks[c].update(t, dets[r])
        for r, det in enumerate(dets):
            if ids[r] < 0:
                tracks.append(_Track(len(tracks), t, det, torsos_px=[det.torso_px],
                                     recent_px=[det.centroid_px]))
                ids[r] = tracks[-1].track_id
        labels.append(ids)
    return labels


@dataclass(frozen=True)
class TrackSummary:
    track_id: int
    n_frames: int  # analysed frames in which the track was seen
    share: float  # n_frames / all analysed frames
    median_area_px2: float
    median_centre_dist: float  # median |hip centre - frame centre| / frame diagonal


@dataclass(frozen=True)
class Choice:
    track_id: int | None  # None when nobody was seen
    reason: str  # one sentence for PoseSequence.notes
    summaries: tuple[TrackSummary, ...]


def summarise_tracks(frames: Sequence[Sequence[Detection]], labels: Sequence[Sequence[int]],
                     frame_size_px: tuple[int, int]) -> list[TrackSummary]:
    """Per-track frame count, median box area and median normalised hip distance from the frame centre."""
    centre = np.array(frame_size_px, dtype=float) / 2.0
    diag_px = float(np.hypot(*frame_size_px))
    areas: dict[int, list[float]] = {}
    dists: dict[int, list[float]] = {}
    for dets, ids in zip(frames, labels):
        for det, tid in zip(dets, ids):
            areas.setdefault(tid, []).append(det.area_px2)
            dists.setdefault(tid, []).append(float(np.linalg.norm(det.hip_px - centre)) / diag_px)
    n_total = max(len(frames), 1)
    return [TrackSummary(tid, len(areas[tid]), len(areas[tid]) / n_total, float(np.median(areas[tid])),
                         float(np.median(dists[tid]))) for tid in sorted(areas)]


def choose_person(summaries: Sequence[TrackSummary], mode: str = "auto") -> Choice:
    """Pick the analysed worker's track; brief tracks (< MIN_SHARE of the longest, or < MIN_FRAMES) are
    never chosen. Raises ValueError for an unknown mode."""
    if mode not in MODES:
        raise ValueError(f"person must be one of {', '.join(MODES)}, not {mode!r}")
    if not summaries:
        return Choice(None, "no person seen", ())
    longest = max(s.n_frames for s in summaries)
    real = [s for s in summaries if s.n_frames >= max(MIN_FRAMES, MIN_SHARE * longest)] or \
        [max(summaries, key=lambda s: s.n_frames)]
    if mode == "longest":
        best = max(real, key=lambda s: (s.n_frames, s.median_area_px2))
    elif mode == "largest":
        best = max(real, key=lambda s: s.median_area_px2)
    elif mode == "central":
        best = min(real, key=lambda s: s.median_centre_dist)
    else:
        tied = [s for s in real if s.n_frames >= AUTO_TIE_SHARE * longest]
        best = max(tied, key=lambda s: s.median_area_px2)
    return Choice(best.track_id, _reason(best, real, len(summaries) - len(real), mode), tuple(summaries))


def _reason(best: TrackSummary, real: Sequence[TrackSummary], n_brief: int, mode: str) -> str:
    traits = [f"tracked in {best.share:.0%} of frames"]
    if len(real) > 1:
        if best.median_area_px2 >= max(s.median_area_px2 for s in real):
            traits.append("largest")
        if best.median_centre_dist <= min(s.median_centre_dist for s in real):
            traits.append("most central")
        if best.n_frames >= max(s.n_frames for s in real):
            traits.append("longest tracked")
    people = f"{len(real)} {'person' if len(real) == 1 else 'people'} seen"
    if n_brief:
        people += f" (+{n_brief} brief detection{'s' if n_brief > 1 else ''} ignored)"
    return f"{people}; analysed person #{best.track_id + 1} (person={mode}): {', '.join(traits)}"
