"""Real-person reference from calibrated views: Qualisys (.qca) calibration, DLT triangulation of MediaPipe's
2D landmarks, and per-view angle errors against it (accuracy harness part c, Pose2Sim demo data).

The reference is triangulated from the same MediaPipe model, so it shares the model's 2D placement of joints
but not its monocular depth guess: the errors measure what a single view loses in 3D.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ergopipe.types import CleanPose, PoseSequence

_FLIP_YZ = np.diag([1.0, -1.0, -1.0])


@dataclass(frozen=True)
class CalibratedCamera:
    name: str
    k: np.ndarray  # (3, 3) intrinsics, pixels
    dist: np.ndarray  # (4,) k1, k2, p1, p2 (OpenCV order)
    r_world_to_cam: np.ndarray  # (3, 3), OpenCV camera axes (x right, y down, z forward)
    t_world_to_cam_m: np.ndarray  # (3,)

    def project(self, xyz_m: np.ndarray) -> np.ndarray:
        """(k, 3) lab points -> (k, 2) distorted pixel positions."""
        import cv2

        rvec = cv2.Rodrigues(self.r_world_to_cam)[0]
        px, _ = cv2.projectPoints(
            np.asarray(xyz_m, dtype=float), rvec, self.t_world_to_cam_m, self.k, self.dist
        )
        return px.reshape(-1, 2)

    @property
    def pitch_deg(self) -> float:
        """Downward tilt of the optical axis against the lab's horizontal plane (lab z up)."""
        axis = self.r_world_to_cam[2]  # camera z (forward) in lab coordinates
        return float(np.degrees(np.arcsin(-axis[2])))


def read_qca(path: str | Path) -> list[CalibratedCamera]:
    """Cameras of a Qualisys .qca(.txt) calibration. Units: sensor sub-pixels / 64 = pixels, millimetres.

    The transform's matrix maps camera to lab coordinates with the camera looking along its -z and y up;
    flipping y and z gives OpenCV's camera axes. (Chosen by reprojection: on the Pose2Sim demo this reading
    gives a 16 px median reprojection error of triangulated MediaPipe landmarks on 1920 px frames, the other
    three readings hundreds of pixels or points behind the cameras.)
    """
    root = ET.parse(path).getroot()
    cams = []
    for c in root.iter("camera"):
        tr, it = c.find("transform"), c.find("intrinsic")
        if tr is None or it is None:
            continue
        rot = np.array([[float(tr.get(f"r{i}{j}", "nan")) for j in (1, 2, 3)] for i in (1, 2, 3)])
        pos_m = np.array([float(tr.get(a, "nan")) for a in "xyz"]) / 1000.0
        k = np.array(
            [
                [float(it.get("focalLengthU", "nan")) / 64, 0.0, float(it.get("centerPointU", "nan")) / 64],
                [0.0, float(it.get("focalLengthV", "nan")) / 64, float(it.get("centerPointV", "nan")) / 64],
                [0.0, 0.0, 1.0],
            ]
        )
        dist = np.array(
            [
                float(it.get(a, "0"))
                for a in (
                    "radialDistortion1",
                    "radialDistortion2",
                    "tangentalDistortion1",
                    "tangentalDistortion2",
                )
            ]
        )
        r_wc = _FLIP_YZ @ rot
        cams.append(CalibratedCamera(str(c.get("serial")), k, dist, r_wc, -r_wc @ pos_m))
    return cams


def triangulate(
    cams: list[CalibratedCamera],
    image_xy_px: list[np.ndarray],
    visibility: list[np.ndarray],
    min_visibility: float = 0.5,
) -> tuple[np.ndarray, float]:
    """DLT triangulation. image_xy_px[i]: (n, 33, 2) for cams[i]; visibility[i]: (n, 33).

    Returns ((n, 33, 3) lab metres, NaN where fewer than two views see the landmark; median reprojection
    error in pixels)."""
    import cv2

    n = image_xy_px[0].shape[0]
    out = np.full((n, image_xy_px[0].shape[1], 3), np.nan)
    norm = [
        cv2.undistortPoints(xy.reshape(-1, 1, 2).astype(float), c.k, c.dist).reshape(xy.shape)
        for c, xy in zip(cams, image_xy_px, strict=True)
    ]
    mats = [np.hstack([c.r_world_to_cam, c.t_world_to_cam_m[:, None]]) for c in cams]
    for f in range(n):
        for lmk in range(out.shape[1]):
            rows = []
            for m, xy, vis in zip(mats, norm, visibility, strict=True):
                if vis[f, lmk] >= min_visibility and np.isfinite(xy[f, lmk]).all():
                    rows += [xy[f, lmk, 0] * m[2] - m[0], xy[f, lmk, 1] * m[2] - m[1]]
            if len(rows) >= 4:
                h = np.linalg.svd(np.array(rows))[2][-1]
                out[f, lmk] = h[:3] / h[3]
    errs = []
    for c, xy, vis in zip(cams, image_xy_px, visibility, strict=True):
        ok = np.isfinite(out).all(-1) & (vis >= min_visibility)
        if ok.any():
            errs.append(np.linalg.norm(c.project(out[ok]) - xy[ok], axis=-1))
    return out, float(np.median(np.concatenate(errs))) if errs else float("nan")


def lab_to_clean_pose(xyz_lab_m: np.ndarray, time_s: np.ndarray) -> CleanPose:
    """(n, 33, 3) lab coordinates (z up) -> CleanPose in the gravity frame (y up), mid-hip at the origin."""
    grav = xyz_lab_m @ np.array(
        [[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]]
    )  # (X, Y, Z) -> (X, Z, -Y)
    grav = grav - (grav[:, 23:24] + grav[:, 24:25]) / 2
    ok = np.isfinite(grav).all(-1)
    return CleanPose(
        time_s=np.asarray(time_s, dtype=float),
        frame_index=np.arange(grav.shape[0]),
        xyz_m=grav,
        landmark_ok=ok,
        detected=ok.any(-1),
        camera_pitch_deg=0.0,
        camera_roll_deg=0.0,
        gravity_confidence=1.0,
        gravity_source="declared",
        notes=("triangulated reference, lab vertical",),
    )


@dataclass(frozen=True)
class SingleViewComparison:
    """Single views against the multi-view triangulated reference (see measure_single_views)."""

    cams: list[CalibratedCamera]
    n_frames: int
    reprojection_px: float  # median over views and triangulated landmarks
    landmark_share: float  # share of (frame, landmark) triangulated (seen by >= 2 views)
    reference_xyz_m: np.ndarray  # (n, 33, 3) triangulated landmarks, lab frame (z up)
    mae_deg: dict[tuple[str, bool], dict[str, float]]  # (camera, pitch declared?) -> column -> MAE


def estimate_first_frames(path: str | Path, max_frames: int | None = None) -> PoseSequence:
    """ergopipe.pose on the first `max_frames` frames of a video (all when None), in this process.

    MediaPipe's tracker only looks back, so these are the same landmarks as the first frames of a full run.
    """
    from ergopipe import pose, video

    info = video.probe(path)
    # The model input size the pipeline uses (frames scaled to pose.POSE_INPUT_MAX_SIDE_PX).
    part = pose._run_segment(pose._Segment(info, 1, 0, 0, max_frames, size_px=pose.input_size_px(info)))
    return PoseSequence(
        frame_index=part["frame_index"],
        time_s=part["time_s"],
        world_xyz_m=part["world_xyz_m"],
        image_xy_px=part["image_xy_px"],
        visibility=part["visibility"],
        detected=part["detected"],
        source_fps=info.fps,
        analysis_fps=info.fps,
        model=pose.model_name(),
        frame_size_px=(info.width_px, info.height_px),
    )


def measure_single_views(
    data_dir: str | Path = "data/pose2sim",
    *,
    max_frames: int | None = None,
    cam_names: tuple[str, ...] | None = None,
    columns: tuple[str, ...] | None = None,
) -> SingleViewComparison:
    """Triangulate MediaPipe's 2D landmarks of the calibrated views of data_dir into a lab-frame reference,
    and compare each single view's pipeline angles (clean_pose + compute_angles, camera tilt estimated and
    declared from the calibration) with the reference's angles. Runs MediaPipe on every clip."""
    from ergopipe.angles import compute_angles
    from ergopipe.clean import clean_pose
    from ergopipe.synth.harness import REPORTED

    cols = columns or REPORTED
    data_dir = Path(data_dir)
    cams = [c for c in read_qca(data_dir / "Calib.qca.txt") if cam_names is None or c.name in cam_names]
    seqs = [estimate_first_frames(data_dir / f"{c.name}.mp4", max_frames) for c in cams]
    n = min(s.n_frames for s in seqs)
    ref_xyz, reproj_px = triangulate(
        cams, [s.image_xy_px[:n] for s in seqs], [s.visibility[:n] for s in seqs]
    )
    ref = compute_angles(lab_to_clean_pose(ref_xyz, seqs[0].time_s[:n]))
    mae: dict[tuple[str, bool], dict[str, float]] = {}
    for cam, seq in zip(cams, seqs, strict=True):
        for declared in (False, True):
            table = compute_angles(clean_pose(seq, camera_pitch_deg=cam.pitch_deg if declared else None))
            row = {}
            for col in cols:
                err = np.abs(np.asarray(table.columns[col])[:n] - np.asarray(ref.columns[col]))
                row[col] = float(np.nanmean(err)) if np.isfinite(err).any() else float("nan")
            mae[(cam.name, declared)] = row
    share = float(np.isfinite(ref_xyz).all(-1).mean())
    return SingleViewComparison(cams, n, reproj_px, share, ref_xyz, mae)


def single_view_errors(
    data_dir: str | Path = "data/pose2sim",
    columns: tuple[str, ...] | None = None,
    max_frames: int | None = None,
) -> str:
    """Table: per camera, MAE (deg) of single-view angles against the 4-view triangulated reference, with
    the camera tilt estimated and declared (from the calibration)."""
    from ergopipe.synth.harness import REPORTED

    cols = columns or REPORTED
    res = measure_single_views(data_dir, max_frames=max_frames, columns=cols)
    lines = [
        f"reference: {len(res.cams)} views, {res.n_frames} frames, median reprojection "
        f"{res.reprojection_px:.1f} px, {100 * res.landmark_share:.0f} % of landmarks triangulated",
        f"{'angle (MAE, deg)':34s}" + "".join(f"{c.name + m:>12s}" for c in res.cams for m in ("", "+d")),
    ]
    for col in cols:
        cells = []
        for cam in res.cams:
            for declared in (False, True):
                v = res.mae_deg[(cam.name, declared)][col]
                cells.append(f"{v:12.1f}" if np.isfinite(v) else f"{'n/a':>12s}")
        lines.append(f"{col:34s}" + "".join(cells))
    lines.append(
        "(+d: camera pitch declared from the calibration: "
        + ", ".join(f"{c.name} {c.pitch_deg:.1f} deg" for c in res.cams)
        + ")"
    )
    return "\n".join(lines)
