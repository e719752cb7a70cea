"""Tracking identities and choosing the worker on generated detections (no model, fast)."""

from __future__ import annotations

import numpy as np
import pytest

from ergopipe import person_select as ps

SIZE_PX = (1920, 1080)
PARAMS = ps.TrackingParams(max_gap_frames=5, frame_size_px=SIZE_PX)


def person(cx: float, cy: float, w: float = 120.0, h: float = 360.0, score: float = 0.9) -> ps.Detection:
    """A detection whose torso centroid is (cx, cy) px and whose box is w x h px."""
    box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return ps.Detection(box, np.array([cx, cy]), np.array([cx, cy + 0.1 * h]), score, 0.3 * h)


def identity_per_person(labels, owners):
    """Map person name -> set of track ids it got (owners[t][k] names detection k of frame t)."""
    out: dict[str, set[int]] = {}
    for ids, names in zip(labels, owners):
        for tid, name in zip(ids, names):
            out.setdefault(name, set()).add(tid)
    return out


def test_two_people_crossing_keep_their_identities():
    # A walks left -> right, B right -> left on the same line, same size; between frames 20 and 21 they
    # pass each other (14 px apart at each), so after that each is nearer the OTHER one's last position:
    # only their motion (the constant-velocity prediction) tells who is who.
    frames, owners = [], []
    for t in range(40):
        a, b = person(400 + 28 * t, 600), person(1534 - 28 * t, 600)
        frames.append([b, a] if t % 2 else [a, b])  # model order is not stable
        owners.append(["B", "A"] if t % 2 else ["A", "B"])
    ids = identity_per_person(ps.track_people(frames, PARAMS), owners)
    assert len(ids["A"]) == 1 and len(ids["B"]) == 1 and ids["A"] != ids["B"]


def test_person_leaving_and_reentering_regains_the_track():
    # A stays in view; B is seen for 20 frames, gone for 30 (longer than the gap tolerance), back near
    # where they left and about the same size.
    frames, owners = [], []
    for t in range(80):
        dets, names = [person(500, 600)], ["A"]
        if t < 20 or t >= 50:
            dets.append(person(1700 + (t - 20) * 0.5 if t < 20 else 1690, 620, w=130, h=370))
            names.append("B")
        frames.append(dets)
        owners.append(names)
    labels = ps.track_people(frames, PARAMS)
    ids = identity_per_person(labels, owners)
    assert len(ids["B"]) == 1 and ids["A"] != ids["B"]
    summaries = ps.summarise_tracks(frames, labels, SIZE_PX)
    assert len(summaries) == 2 and {s.n_frames for s in summaries} == {80, 50}


def test_someone_else_appearing_far_away_after_a_long_gap_is_a_new_person():
    frames = [[person(300, 600)] for _ in range(10)] + [[] for _ in range(20)] + [[person(1600, 600)]] * 10
    labels = ps.track_people(frames, PARAMS)
    assert labels[0] == [0] and labels[-1] == [1]


def test_brief_false_detection_is_neither_a_track_of_the_worker_nor_chosen():
    # The worker (small, off-centre) is seen in all 60 frames; a huge, central false detection in 3.
    frames = []
    for t in range(60):
        dets = [person(1500, 700, w=100, h=300)]
        if 30 <= t < 33:
            dets.append(person(960, 540, w=600, h=900, score=0.5))
        frames.append(dets)
    labels = ps.track_people(frames, PARAMS)
    worker_ids = {ids[0] for ids in labels}
    assert worker_ids == {0}
    summaries = ps.summarise_tracks(frames, labels, SIZE_PX)
    for mode in ps.MODES:
        choice = ps.choose_person(summaries, mode)
        assert choice.track_id == 0, mode
    assert "1 person seen (+1 brief detection ignored)" in ps.choose_person(summaries).reason


def test_modes_choose_largest_central_longest():
    # big: large, off-centre, 40 frames; mid: small, central, 60 frames.
    frames = []
    for t in range(60):
        dets = [person(960, 540, w=80, h=250)]
        if t < 40:
            dets.append(person(300, 600, w=160, h=480))
        frames.append(dets)
    summaries = ps.summarise_tracks(frames, ps.track_people(frames, PARAMS), SIZE_PX)
    central, big = 0, 1
    assert ps.choose_person(summaries, "largest").track_id == big
    assert ps.choose_person(summaries, "central").track_id == central
    assert ps.choose_person(summaries, "longest").track_id == central
    assert ps.choose_person(summaries, "auto").track_id == central  # 40 < 90 % of 60: length decides
    reason = ps.choose_person(summaries, "central").reason
    assert reason.startswith("2 people seen; analysed person #1") and "most central" in reason


def test_auto_prefers_the_larger_of_two_equally_long_tracks():
    frames = [[person(960, 540, w=80, h=250), person(300, 600, w=160, h=480)] for _ in range(50)]
    frames[10] = frames[10][1:]  # the large one is missed once: still "as long"
    summaries = ps.summarise_tracks(frames, ps.track_people(frames, PARAMS), SIZE_PX)
    big = next(s.track_id for s in summaries if s.median_area_px2 > 100 * 300)
    assert ps.choose_person(summaries, "auto").track_id == big


def test_duplicate_detection_of_one_person_is_suppressed():
    a = person(500, 600, score=0.95)
    dup = person(505, 560, w=150, h=480, score=0.7)  # same person, taller box
    other = person(900, 600)
    assert ps.suppress_duplicates([dup, a, other]) == [1, 2]


def test_nobody_and_unknown_mode():
    assert ps.choose_person([], "auto").track_id is None
    with pytest.raises(ValueError, match="person must be one of"):
        ps.choose_person([], "tallest")


def test_detection_from_landmarks_box_and_centroid():
    xy = np.zeros((33, 2))
    xy[:, 0] = np.linspace(100, 200, 33)
    xy[:, 1] = np.linspace(50, 450, 33)
    det = ps.detection_from_landmarks(xy, np.full(33, 0.8))
    assert det.box_px.tolist() == [100, 50, 200, 450]
    assert np.allclose(det.hip_px, xy[[23, 24]].mean(axis=0))
    assert det.score == pytest.approx(0.8)
